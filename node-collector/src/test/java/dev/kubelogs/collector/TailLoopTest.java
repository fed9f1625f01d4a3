package dev.kubelogs.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.collector.metrics.CollectorMetrics;
import dev.kubelogs.collector.schedule.DiscoverySchedule;
import dev.kubelogs.collector.testing.Await;
import dev.kubelogs.collector.testing.LogTree;
import dev.kubelogs.collector.testing.SpoolContents;
import dev.kubelogs.spool.LineFlags;
import dev.kubelogs.spool.SpoolPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tail thread's work driven pass by pass on this thread, on a real log tree and spool. */
class TailLoopTest {
    @TempDir
    Path tmp;

    LogTree tree;
    Path file;
    String logical;
    TailLoop loop;
    final CollectorMetrics metrics = new CollectorMetrics();

    @BeforeEach
    void tree() throws IOException {
        tree = new LogTree(tmp.resolve("log"));
        String link = tree.container("ns", "pod", "c", 1);
        file = tree.target(link);
        logical = "/var/log/containers/" + link;
    }

    @AfterEach
    void finish() {
        if (loop != null) {
            loop.finish();
        }
    }

    private TailLoop open(CollectorConfig.Builder config) throws IOException {
        loop = TailLoop.open(config.build(), Map.of(), metrics, () -> {});
        return loop;
    }

    private Path nodeDir() {
        return SpoolPaths.nodeDirectory(tmp.resolve("spool"), "c", "n");
    }

    /** Runs passes until {@code condition} holds, as the tail thread would (without its waits). */
    private void passUntil(String what, BooleanSupplier condition) {
        Await.until(what, Duration.ofSeconds(20), () -> {
            try {
                loop.pass(false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return condition.getAsBoolean();
        });
    }

    private List<String> spooled() {
        try {
            return SpoolContents.read(nodeDir()).texts(logical);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void linesGoIntoSegmentsRolledBySizeAndTheirOffsetsAreCommitted() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            lines.add("line " + i + " " + "x".repeat(40));
        }
        LogTree.append(file, String.join("\n", lines) + "\n");
        open(tree.collectorConfig(tmp).maxSegmentBytes(512).maxSegmentAge(Duration.ofHours(1)));
        while (loop.pass(false)) {
            // read until the inputs have nothing left
        }
        assertThat(loop.committed().committedSeq)
                .as("segments committed while reading")
                .isPositive();
        loop.stop();
        assertThat(spooled()).containsExactlyElementsOf(lines);
        assertThat(SpoolContents.read(nodeDir()).segments).as("rolled by size").hasSizeGreaterThan(3);
        assertThat(loop.committed().files)
                .singleElement()
                .extracting(f -> f.offset)
                .isEqualTo(fileSize());
    }

    @Test
    void aPassAsksForAnotherAtOnceOnlyWhileAFileHasMoreThanItReads() throws IOException {
        LogTree.append(file, "small\n");
        // one pass reads up to one buffer a file: 64 KiB with lines of at most 1 KiB
        open(tree.collectorConfig(tmp).maxLineBytes(1024).maxSegmentAge(Duration.ofHours(1)));
        assertThat(loop.pass(false))
                .as("everything ready was read: wait for the poll")
                .isFalse();

        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            big.append("line ").append(i).append('\n');
        }
        LogTree.append(file, big.toString());
        int passes = 0;
        while (loop.pass(false)) {
            passes++;
        }
        assertThat(passes).as("passes that left more than a buffer behind").isPositive();
        loop.stop();
        assertThat(spooled()).hasSize(10_001).startsWith("small", "line 0").endsWith("line 9999");
    }

    @Test
    void aSegmentStatesTheStartOfTheLastPassThatReadEveryFileToItsEnd() throws IOException {
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            big.append("line ").append(i).append('\n');
        }
        LogTree.append(file, big.toString());
        long before = System.currentTimeMillis();
        open(tree.collectorConfig(tmp).maxLineBytes(1024).maxSegmentBytes(8192).maxSegmentAge(Duration.ofHours(1)));
        while (loop.pass(false)) {
            // each pass leaves more than a buffer behind until the last
        }
        long caughtUp = System.currentTimeMillis();
        LogTree.append(file, "after\n");
        loop.pass(false);
        loop.stop();
        long after = System.currentTimeMillis();

        List<dev.kubelogs.spool.Segment> segments =
                new ArrayList<>(SpoolContents.read(nodeDir()).segments.values());
        assertThat(segments).as("rolled by size while behind").hasSizeGreaterThan(3);
        assertThat(segments.get(0).statesCaughtUp())
                .as("rolled by size in the first pass, which had not read everything")
                .isFalse();
        dev.kubelogs.spool.Segment last = segments.get(segments.size() - 1);
        assertThat(last.statesCaughtUp()).isTrue();
        assertThat(last.caughtUpMillis())
                .as("the start of the pass that read 'after'")
                .isBetween(caughtUp, after);
        assertThat(segments.stream()
                        .filter(dev.kubelogs.spool.Segment::statesCaughtUp)
                        .mapToLong(dev.kubelogs.spool.Segment::caughtUpMillis))
                .as("never before the run started")
                .allMatch(t -> t >= before);
        assertThat(spooled()).hasSize(10_001).endsWith("line 9999", "after");
    }

    private long fileSize() {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aFullSpoolPausesReadingUntilSegmentsAreConsumed() throws IOException {
        LogTree.append(file, "first\n");
        open(tree.collectorConfig(tmp)
                .maxSpoolBytes(1)
                .maxSegmentAge(Duration.ofMillis(1))
                .pollInterval(Duration.ofMillis(1)));
        passUntil("the first segment", () -> spooled().contains("first"));
        // the newest segment does not count (the job never deletes it): the limit is reached with the second one
        LogTree.append(file, "second\n");
        passUntil("the second segment", () -> spooled().contains("second"));
        LogTree.append(file, "third\n");
        for (int i = 0; i < 20; i++) {
            loop.pass(true);
        }
        assertThat(spooled()).as("paused: the spool is over its limit").containsExactly("first", "second");
        assertThat(metrics.backpressure.get()).isEqualTo(1.0);

        List<String> consumed = new ArrayList<>(spooled());
        try (var segments = Files.list(nodeDir())) {
            for (Path p : segments.filter(p -> p.toString().endsWith(SpoolPaths.SEGMENT_SUFFIX))
                    .toList()) {
                Files.delete(p); // what the job does with consumed segments
            }
        }
        passUntil("resumed", () -> !spooled().isEmpty());
        consumed.addAll(spooled());
        assertThat(consumed).containsExactly("first", "second", "third");
    }

    /**
     * The chaos drill's split stack trace: a restarted collector reached the spool limit in the middle of a trace its
     * writer had written at once, stopped reading there, and the job, waiting longer than its multiline flush timeout
     * for the rest, shipped the head and then every remaining frame as an event of its own. Back-pressure now stops
     * reading between read buffers, never inside one.
     */
    @Test
    void theSpoolLimitDoesNotCutWhatWasReadAtOnce() throws IOException {
        List<String> trace = new ArrayList<>(List.of("java.lang.IllegalStateException: order failed"));
        for (int i = 0; i < 20; i++) {
            trace.add("\tat com.example.F" + i + ".call(F.java:" + i + ")");
        }
        LogTree.append(file, String.join("\n", trace) + "\n");
        open(tree.collectorConfig(tmp)
                .maxSpoolBytes(1)
                .maxSegmentBytes(200)
                .maxSegmentAge(Duration.ofHours(1))
                .pollInterval(Duration.ofMillis(1)));
        loop.pass(false);
        assertThat(metrics.backpressure.get())
                .as("the limit was reached while reading")
                .isEqualTo(1.0);
        assertThat(spooled()).as("the whole trace, read at once").containsExactlyElementsOf(trace);

        LogTree.append(file, "after the pause\n");
        loop.pass(false);
        assertThat(spooled()).as("paused for what comes next").doesNotContain("after the pause");
    }

    @Test
    void aSealReadsEverythingIncludingALastLineWithoutNewlineAndWritesTheMarker() throws IOException {
        LogTree.append(file, "complete\nno newline");
        open(tree.collectorConfig(tmp).maxSegmentAge(Duration.ofHours(1)));
        long sealed = loop.seal();
        SpoolContents s = SpoolContents.read(nodeDir());
        assertThat(sealed).isEqualTo(s.segments.lastKey());
        assertThat(Files.readString(nodeDir().resolve(SpoolPaths.SEALED)).trim())
                .isEqualTo(Long.toString(sealed));
        assertThat(s.texts(logical)).containsExactly("complete", "no newline");
        assertThat(s.lines.get(1).flags()).isEqualTo(LineFlags.NO_NEWLINE);
    }

    /**
     * With the job's schedule in the directory spool (discoveries every 2.5 s, SEGMENT_MAX_AGE 1 s): a line written
     * just after a roll point stays in the open segment past its age deadline and is rolled at the next roll point,
     * and the idle wait runs to that point, not to the age deadline.
     */
    @Test
    void whileAScheduleIsValidTheSegmentRollsAtTheRollPointNotAtItsMaxAge() throws Exception {
        long period = 2500;
        long lead = 300;
        long now = System.currentTimeMillis();
        DiscoverySchedule schedule = new DiscoverySchedule(1, now, now + 1000, period, 60_000);
        Files.createDirectories(tmp.resolve("spool"));
        Files.writeString(
                tmp.resolve("spool").resolve(DiscoverySchedule.FILE_NAME),
                "{\"version\":1,\"publishedMillis\":" + schedule.publishedMillis() + ",\"nextMillis\":"
                        + schedule.nextMillis() + ",\"periodMillis\":" + period
                        + ",\"validMillis\":60000,\"writer\":\"job\"}");
        open(tree.collectorConfig(tmp)
                .maxSegmentAge(Duration.ofSeconds(1))
                .segmentRollLead(Duration.ofMillis(lead))
                .discoverySchedulePoll(Duration.ofMillis(20))
                .pollInterval(Duration.ofSeconds(5)));
        passUntil("the schedule followed", loop::followsSchedule);
        // just after a roll point: the next one is about a period away, the age deadline 1 s
        passUntil("just after a roll point", () -> {
            long t = System.currentTimeMillis();
            return t - schedule.rollPointAtOrBefore(t, lead) < 100;
        });
        LogTree.append(file, "at the point\n");
        loop.pass(false);
        long written = System.currentTimeMillis();
        long point = schedule.rollPointAtOrBefore(written, lead) + period;
        long wait = loop.idleNanos();
        assertThat(wait)
                .as("the idle wait runs to the roll point")
                .isGreaterThan(Duration.ofMillis(1500).toNanos())
                .isLessThanOrEqualTo(Duration.ofMillis(point - written).toNanos());

        // the tail thread's own idle wait between passes, cut short 50 ms before the point
        for (long left = point - 50 - System.currentTimeMillis();
                left > 0;
                left = point - 50 - System.currentTimeMillis()) {
            loop.pass(false);
            LockSupport.parkNanos(
                    Math.min(loop.idleNanos(), Duration.ofMillis(left).toNanos()));
        }
        assertThat(System.currentTimeMillis() - written)
                .as("past the age deadline")
                .isGreaterThan(1500);
        assertThat(spooled()).as("not rolled by age").isEmpty();
        passUntil("the roll at the point", () -> spooled().contains("at the point"));
        assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(point);
        assertThat(metrics.scheduleRolls.get()).isEqualTo(1.0);
    }

    @Test
    void aRewindDropsTheOpenSegmentAndReadsItsLinesAgainOnce() throws IOException {
        LogTree.append(file, "a\nb\n");
        open(tree.collectorConfig(tmp).maxSegmentAge(Duration.ofHours(1)));
        loop.pass(false);
        loop.rewindToCommitted(); // as after an error in the loop: nothing of the open segment was committed
        assertThat(spooled()).isEmpty();
        loop.pass(false);
        loop.stop();
        assertThat(spooled()).containsExactly("a", "b");
    }
}
