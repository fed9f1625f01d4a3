package dev.kubelogs.collector.tail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.collector.metrics.CollectorMetrics;
import dev.kubelogs.collector.testing.LogTree;
import dev.kubelogs.spool.LineFlags;
import dev.kubelogs.spool.SourceKind;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read loop over files opened here directly, pass by pass, with a recording sink. */
class TailReaderTest {
    private static final int MAX_LINE = 32;

    @TempDir
    Path tmp;

    private final CollectorMetrics metrics = new CollectorMetrics();
    private final RecordingSink sink = new RecordingSink();
    private final StartPositions positions = new StartPositions(MAX_LINE, metrics);
    private CreateWatcher watcher;
    private TrackedFiles files;

    @BeforeEach
    void files() {
        Discovery nothing = new Discovery(tmp, tmp.resolve("docker"), List.of(), List.of(), List.of());
        watcher = CreateWatcher.start(nothing, metrics, () -> {}, "test-watch");
        files = new TrackedFiles(watcher);
    }

    @AfterEach
    void close() {
        files.closeAll();
        watcher.close();
    }

    private TailReader reader(Duration rotateWait) {
        return new TailReader(files, positions, new Truncations(metrics), MAX_LINE, rotateWait, metrics);
    }

    /** Opens {@code name} (with {@code content}) from its head, as the file at its path. */
    private TrackedFile follow(String name, String content) throws IOException {
        Path p = tmp.resolve(name);
        LogTree.append(p, content);
        FileChannel ch = FileChannel.open(p, StandardOpenOption.READ);
        TrackedFile f =
                new TrackedFile("/var/log/" + name, FileIdentity.stat(p).id(), SourceKind.CONTAINER, p, ch, 0, 0);
        files.opened(f);
        files.follow(f);
        return f;
    }

    /** Opens {@code name} as a file rotated away from its path, still to be read to its end. */
    private TrackedFile rotated(String name, String content) throws IOException {
        TrackedFile f = follow(name, content);
        files.addRotated(files.leavePath(f.logicalPath));
        return f;
    }

    private static void drain(TailReader r, RecordingSink sink) throws IOException {
        while (r.readPass(sink)) {
            // read until nothing is left
        }
    }

    @Test
    void completeLinesLeaveWithTheirOffsetsAndAnIncompleteLineWaitsForItsNewline() throws IOException {
        TrackedFile f = follow("a.log", "a\nb\nincompl");
        TailReader r = reader(Duration.ofHours(1));
        drain(r, sink);
        assertThat(f.offset).isEqualTo(4);
        LogTree.append(tmp.resolve("a.log"), "ete\n");
        drain(r, sink);
        assertThat(sink.lines)
                .containsExactly(
                        new RecordingSink.Line("a", 0, 0),
                        new RecordingSink.Line("b", 0, 2),
                        new RecordingSink.Line("incomplete", 0, 4));
        assertThat(metrics.records(CollectorMetrics.CONTAINER).get()).isEqualTo(3.0);
        assertThat(metrics.bytes(CollectorMetrics.CONTAINER).get()).isEqualTo(15.0);
    }

    @Test
    void aPassReportsABacklogOnlyWhenAFileHasMoreThanOneBufferReady() throws IOException {
        TrackedFile f = follow("a.log", "a\nb\n");
        TailReader r = reader(Duration.ofHours(1));
        assertThat(r.readPass(sink)).as("read something").isTrue();
        assertThat(r.backlog()).as("everything there was read in one pass").isFalse();

        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            big.append("line ").append(i).append('\n');
        }
        LogTree.append(tmp.resolve("a.log"), big.toString());
        assertThat(r.readPass(sink)).isTrue();
        assertThat(r.backlog()).as("more than one 64 KiB buffer was ready").isTrue();
        while (r.backlog()) {
            r.readPass(sink);
        }
        assertThat(f.offset).isEqualTo(Files.size(tmp.resolve("a.log")));
        assertThat(sink.lines).hasSize(10_002);
        assertThat(r.readPass(sink)).isFalse();
        assertThat(r.backlog()).isFalse();
    }

    @Test
    void aLineLongerThanTheLimitLeavesInPartialPiecesOfExactlyTheLimit() throws IOException {
        String longLine = "x".repeat(MAX_LINE * 2 + 5);
        follow("a.log", longLine + "\nshort\n");
        drain(reader(Duration.ofHours(1)), sink);
        assertThat(sink.lines)
                .extracting(RecordingSink.Line::flags)
                .containsExactly(LineFlags.PARTIAL, LineFlags.PARTIAL, 0, 0);
        assertThat(sink.lines).extracting(l -> l.text().length()).containsExactly(MAX_LINE, MAX_LINE, 5, 5);
        assertThat(String.join("", sink.texts().subList(0, 3))).isEqualTo(longLine);
        assertThat(metrics.longLinesSplit.get()).isEqualTo(2.0);
    }

    @Test
    void aFileTruncatedInPlaceIsReadAgainFromItsHeadAsTheNextGeneration() throws IOException {
        TrackedFile f = follow("a.log", "first line\nsecond line\n");
        TailReader r = reader(Duration.ofHours(1));
        drain(r, sink);
        Files.write(tmp.resolve("a.log"), "after\n".getBytes(StandardCharsets.UTF_8));
        drain(r, sink);
        assertThat(sink.texts()).containsExactly("first line", "second line", "after");
        assertThat(sink.lines.get(2).offset()).isZero();
        assertThat(f.generation).isEqualTo(1);
        assertThat(f.ref().generation()).isEqualTo(1);
        assertThat(f.offset).isEqualTo(6);
        assertThat(metrics.truncations.get()).isEqualTo(1.0);
    }

    /** logrotate's copytruncate: copies {@code name} to {@code copyName} beside it, then truncates it in place. */
    private Path copytruncate(String name, String copyName) throws IOException {
        Path copy = Files.copy(tmp.resolve(name), tmp.resolve(copyName));
        truncate(name);
        return copy;
    }

    private void truncate(String name) throws IOException {
        try (FileChannel ch = FileChannel.open(tmp.resolve(name), StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
    }

    @Test
    void anUnreadTailIsReadFromTheCopyNamedDotOneAsTheRestOfItsGenerationBeforeTheNewContent() throws IOException {
        TrackedFile f = follow("messages", "one\ntwo\n");
        TailReader r = reader(Duration.ofHours(1));
        drain(r, sink);
        // the collector lags: these are written, copied and truncated away before it reads them
        LogTree.append(tmp.resolve("messages"), "three\nfour\n");
        copytruncate("messages", "messages.1");
        LogTree.append(tmp.resolve("messages"), "new\n");
        drain(r, sink);

        assertThat(sink.lines)
                .containsExactly(
                        new RecordingSink.Line("one", 0, 0),
                        new RecordingSink.Line("two", 0, 4),
                        new RecordingSink.Line("three", 0, 8),
                        new RecordingSink.Line("four", 0, 14),
                        new RecordingSink.Line("new", 0, 0));
        assertThat(sink.generations).containsExactly(0, 0, 0, 0, 1);
        assertThat(f.generation).isEqualTo(1);
        assertThat(f.offset).isEqualTo(4);
        assertThat(f.copy).isNull();
        assertThat(metrics.truncations.get()).isEqualTo(1.0);
        assertThat(metrics.truncatedTailsRecovered.get()).isEqualTo(1.0);
        assertThat(metrics.truncatedBytesRecovered.get()).isEqualTo(11.0);
        assertThat(metrics.truncatedTailsLost.get()).isZero();
        assertThat(metrics.truncatedBytesLost.get()).isZero();
        assertThat(metrics.records(CollectorMetrics.CONTAINER).get()).isEqualTo(5.0);
    }

    @Test
    void anUnreadTailIsReadFromADatedCopy() throws IOException {
        follow("messages", "Dec  4 10:00:01 host a\n");
        TailReader r = reader(Duration.ofHours(1));
        drain(r, sink);
        LogTree.append(tmp.resolve("messages"), "Dec  4 10:00:02 host b\n");
        copytruncate("messages", "messages-20261204");
        drain(r, sink);

        assertThat(sink.texts()).containsExactly("Dec  4 10:00:01 host a", "Dec  4 10:00:02 host b");
        assertThat(sink.lines).extracting(RecordingSink.Line::offset).containsExactly(0L, 23L);
        assertThat(sink.generations).containsExactly(0, 0);
        assertThat(metrics.truncatedTailsRecovered.get()).isEqualTo(1.0);
        assertThat(metrics.truncatedBytesRecovered.get()).isEqualTo(23.0);
    }

    @Test
    void theCopysLastLineWithoutANewlineLeavesNoNewlineAndTheNextGenerationFollows() throws IOException {
        follow("messages", "the first line, read\n");
        TailReader r = reader(Duration.ofHours(1));
        drain(r, sink);
        LogTree.append(tmp.resolve("messages"), "two\ncut short");
        copytruncate("messages", "messages.1");
        LogTree.append(tmp.resolve("messages"), " by the truncation\n");
        drain(r, sink);

        assertThat(sink.lines)
                .containsExactly(
                        new RecordingSink.Line("the first line, read", 0, 0),
                        new RecordingSink.Line("two", 0, 21),
                        new RecordingSink.Line("cut short", LineFlags.NO_NEWLINE, 25),
                        new RecordingSink.Line(" by the truncation", 0, 0));
        assertThat(sink.generations).containsExactly(0, 0, 0, 1);
        assertThat(metrics.truncatedBytesRecovered.get()).isEqualTo(13.0);
    }

    @Test
    void aCopiedTailLongerThanABufferIsReadPassByPassObeyingBackPressure() throws IOException {
        follow("messages", "first\n");
        TailReader r = reader(Duration.ofHours(1));
        drain(r, sink);
        StringBuilder unread = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            unread.append("unread line ").append(i).append('\n');
        }
        LogTree.append(tmp.resolve("messages"), unread.toString());
        copytruncate("messages", "messages.1");
        LogTree.append(tmp.resolve("messages"), "new\n");

        sink.budget = 1;
        assertThat(r.readPass(sink)).isTrue();
        int afterOnePass = sink.lines.size();
        assertThat(afterOnePass)
                .as("one buffer of the copy (64 KiB), then the full spool stops the pass")
                .isBetween(2, 64 * 1024 / "unread line 0\n".length());
        sink.budget = Integer.MAX_VALUE;
        drain(r, sink);

        List<String> expected = new ArrayList<>(List.of("first"));
        for (int i = 0; i < 20_000; i++) {
            expected.add("unread line " + i);
        }
        expected.add("new");
        assertThat(sink.texts()).isEqualTo(expected);
        assertThat(sink.generations.subList(0, 20_001)).containsOnly(0);
        assertThat(sink.generations.get(20_001)).isEqualTo(1);
        assertThat(sink.lines.get(20_000).offset()).isEqualTo(6 + unread.length() - "unread line 19999\n".length());
        assertThat(metrics.truncatedBytesRecovered.get()).isEqualTo((double) unread.length());
    }

    @Test
    void aCopyWithOtherFirstBytesIsNotTheGenerationsAndTheUnreadTailIsCountedLost() throws IOException {
        TrackedFile f = follow("messages", "one\nincomplete");
        Files.writeString(tmp.resolve("messages.1"), "another generation, long enough\n");
        TailReader r = reader(Duration.ofHours(1));
        drain(r, sink);
        assertThat(f.offset).isEqualTo(4);
        truncate("messages"); // copied away to a name looked nowhere for, say
        LogTree.append(tmp.resolve("messages"), "new\n");
        drain(r, sink);

        assertThat(sink.texts()).containsExactly("one", "new");
        assertThat(sink.generations).containsExactly(0, 1);
        assertThat(metrics.truncations.get()).isEqualTo(1.0);
        assertThat(metrics.truncatedTailsLost.get()).isEqualTo(1.0);
        assertThat(metrics.truncatedBytesLost.get())
                .as("'incomplete' was seen in the file's size and never read")
                .isEqualTo(10.0);
        assertThat(metrics.truncatedTailsRecovered.get()).isZero();
    }

    @Test
    void aCopyAlreadyCompressedCannotBeReadAndTheTruncationIsCountedLost() throws IOException {
        follow("messages", "one\n");
        TailReader r = reader(Duration.ofHours(1));
        drain(r, sink);
        LogTree.append(tmp.resolve("messages"), "two\n");
        Path copy = copytruncate("messages", "messages.1");
        Files.move(copy, tmp.resolve("messages.1.gz")); // stands for gzip's output: its name is what counts
        drain(r, sink);

        assertThat(sink.texts()).containsExactly("one");
        assertThat(metrics.truncatedTailsLost.get()).isEqualTo(1.0);
        assertThat(metrics.truncatedBytesLost.get()).as("'two' was never seen").isZero();
        assertThat(metrics.truncatedTailsRecovered.get()).isZero();
    }

    @Test
    void aTruncationFollowedByMoreThanWasReadIsFoundAtTheNextReadByTheByteBeforeTheOffset() throws IOException {
        TrackedFile f = follow("messages", "first\n");
        TailReader r = reader(Duration.ofHours(1));
        drain(r, sink);
        LogTree.append(tmp.resolve("messages"), "second\n");
        copytruncate("messages", "messages.1");
        LogTree.append(tmp.resolve("messages"), "a new generation, already longer\n");
        long lastLook = f.lastHeadCheckNanos;
        drain(r, sink);

        assertThat(sink.lines)
                .containsExactly(
                        new RecordingSink.Line("first", 0, 0),
                        new RecordingSink.Line("second", 0, 6),
                        new RecordingSink.Line("a new generation, already longer", 0, 0));
        assertThat(sink.generations).containsExactly(0, 0, 1);
        assertThat(f.lastHeadCheckNanos)
                .as("found without looking at the first bytes")
                .isEqualTo(lastLook);
        assertThat(metrics.truncations.get()).isEqualTo(1.0);
        assertThat(metrics.truncatedTailsRecovered.get()).isEqualTo(1.0);
    }

    @Test
    void aTruncationFollowedByMoreThanWasReadWithANewlineBeforeTheOffsetIsFoundByTheFirstBytesAtTheNextLook()
            throws IOException {
        TrackedFile f = follow("messages", "first\n");
        TailReader r = reader(Duration.ofHours(1));
        drain(r, sink);
        LogTree.append(tmp.resolve("messages"), "second\n");
        copytruncate("messages", "messages.1");
        // its byte before offset 6 is a newline too
        LogTree.append(tmp.resolve("messages"), "new 1\nthe new generation goes on\n");
        f.lastHeadCheckNanos = System.nanoTime() - Duration.ofSeconds(2).toNanos(); // a second went by
        drain(r, sink);

        assertThat(sink.lines)
                .containsExactly(
                        new RecordingSink.Line("first", 0, 0),
                        new RecordingSink.Line("second", 0, 6),
                        new RecordingSink.Line("new 1", 0, 0),
                        new RecordingSink.Line("the new generation goes on", 0, 6));
        assertThat(sink.generations).containsExactly(0, 0, 1, 1);
        assertThat(metrics.truncations.get()).isEqualTo(1.0);
        assertThat(metrics.truncatedTailsRecovered.get()).isEqualTo(1.0);
    }

    @Test
    void aFileShorterThanItWasSeenButNotThanWhatWasReadIsLookedAtAtOnce() throws IOException {
        follow("messages", "l1\nl2\nunfinished");
        TailReader r = reader(Duration.ofHours(1));
        drain(r, sink); // reads to 6, sees 16
        copytruncate("messages", "messages.1");
        LogTree.append(tmp.resolve("messages"), "new\nnew2"); // 8 bytes: not below the offset
        drain(r, sink);

        assertThat(sink.lines)
                .containsExactly(
                        new RecordingSink.Line("l1", 0, 0),
                        new RecordingSink.Line("l2", 0, 3),
                        new RecordingSink.Line("unfinished", LineFlags.NO_NEWLINE, 6),
                        new RecordingSink.Line("new", 0, 0));
        assertThat(sink.generations).containsExactly(0, 0, 0, 1);
        assertThat(metrics.truncatedBytesLost.get()).isZero();
    }

    @Test
    void aCopyAsLongAsWhatWasReadShowsNothingWasLeftUnread() throws IOException {
        follow("messages", "one\n");
        TailReader r = reader(Duration.ofHours(1));
        drain(r, sink);
        copytruncate("messages", "messages.1");
        LogTree.append(tmp.resolve("messages"), "n\n"); // shorter than what was read
        drain(r, sink);

        assertThat(sink.texts()).containsExactly("one", "n");
        assertThat(sink.generations).containsExactly(0, 1);
        assertThat(metrics.truncations.get()).isEqualTo(1.0);
        assertThat(metrics.truncatedTailsRecovered.get()).isZero();
        assertThat(metrics.truncatedTailsLost.get()).isZero();
    }

    @Test
    void aFileNeverTruncatedIsReadAsBeforeWhileItsFirstBytesAreLookedAtAndFingerprinted() throws IOException {
        TrackedFile f = follow("a.log", "");
        TailReader r = reader(Duration.ofHours(1));
        StringBuilder written = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            String line = "line " + i + " " + "x".repeat(i % 7);
            written.append(line).append('\n');
            LogTree.append(tmp.resolve("a.log"), line + "\n");
            f.lastHeadCheckNanos = 0; // every pass looks at the first bytes
            drain(r, sink);
        }

        assertThat(String.join("\n", sink.texts()) + "\n").isEqualTo(written.toString());
        assertThat(sink.generations).containsOnly(0);
        assertThat(f.generation).isZero();
        assertThat(f.headLen).isEqualTo(TrackedFile.HEAD_BYTES);
        assertThat(f.headCrc)
                .isEqualTo(TrackedFile.crcOfHead(
                        FileChannel.open(tmp.resolve("a.log"), StandardOpenOption.READ), TrackedFile.HEAD_BYTES));
        assertThat(metrics.truncations.get()).isZero();
        assertThat(metrics.truncatedTailsLost.get()).isZero();
        assertThat(metrics.truncatedTailsRecovered.get()).isZero();
    }

    @Test
    void backPressureStopsThePassAfterTheBufferItHitAndTheNextPassContinues() throws IOException {
        follow("a.log", "1\n2\n3\n");
        follow("b.log", "b\n");
        TailReader r = reader(Duration.ofHours(1));
        sink.budget = 1;
        r.readPass(sink);
        assertThat(sink.texts())
                .as("the first file's buffer, read at once, whole; no other file")
                .containsExactly("1", "2", "3");
        sink.budget = Integer.MAX_VALUE;
        drain(r, sink);
        assertThat(sink.texts()).containsExactly("1", "2", "3", "b");
    }

    @Test
    void aFinalDrainEmitsTheLastLineWithoutItsNewline() throws IOException {
        TrackedFile f = follow("a.log", "done\nno newline yet");
        TailReader r = reader(Duration.ofHours(1));
        drain(r, sink);
        r.emitUnterminatedLines(sink);
        assertThat(sink.lines)
                .containsExactly(
                        new RecordingSink.Line("done", 0, 0),
                        new RecordingSink.Line("no newline yet", LineFlags.NO_NEWLINE, 5));
        assertThat(f.offset).isEqualTo(Files.size(tmp.resolve("a.log")));
    }

    @Test
    void aRotatedFileIsLetGoOnceReadToItsEndAndIdleWithItsLastLineAndWhereItStopped() throws IOException {
        TrackedFile f = rotated("a.log", "one\ntwo\nlast");
        TailReader r = reader(Duration.ZERO);
        r.releaseFinished(sink);
        assertThat(files.size()).as("complete lines still to read").isEqualTo(1);
        drain(r, sink);
        r.releaseFinished(sink);
        assertThat(sink.lines)
                .containsExactly(
                        new RecordingSink.Line("one", 0, 0),
                        new RecordingSink.Line("two", 0, 4),
                        new RecordingSink.Line("last", LineFlags.NO_NEWLINE, 8));
        assertThat(files.size()).isZero();
        assertThat(f.channel.isOpen()).isFalse();
        assertThat(metrics.filesReleased.get()).isEqualTo(1.0);
        assertThat(positions.retired()).singleElement().satisfies(ret -> {
            assertThat(ret.inode).isEqualTo(f.id.inode());
            assertThat(ret.offset).isEqualTo(12);
            assertThat(ret.headLen).isEqualTo(12);
        });
    }

    @Test
    void aRotatedFileThatIsNeitherIdleNorGoneIsKeptAndLetGoOnceDeleted() throws IOException {
        TrackedFile f = rotated("a.log", "one\n");
        TailReader r = reader(Duration.ofHours(1));
        drain(r, sink);
        f.lastLocateNanos = System.nanoTime() - Duration.ofSeconds(2).toNanos();
        r.releaseFinished(sink);
        assertThat(files.size()).as("still there, written to within rotateWait").isEqualTo(1);

        Files.delete(tmp.resolve("a.log"));
        f.lastLocateNanos = System.nanoTime() - Duration.ofSeconds(2).toNanos();
        r.releaseFinished(sink);
        assertThat(files.size()).isZero();
        assertThat(sink.texts()).containsExactly("one");
    }

    @Test
    void theNewlineScanFindsTheFirstNewlineAtEveryPositionAmongBytesThatLookAlike() {
        // bytes one bit or a borrow away from '\n' (0x0A): a SWAR scan that gets its masks wrong reports them
        byte[] alphabet = {'\n', 0x0B, 0x09, 0x08, (byte) 0x8A, (byte) 0xFF, 0x00, 'a'};
        Random random = new Random(12);
        for (int round = 0; round < 500; round++) {
            int first = round % 2; // every other array has no newline at all
            byte[] b = new byte[1 + random.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                b[i] = alphabet[first + random.nextInt(alphabet.length - first)];
            }
            for (int from = 0; from <= b.length; from++) {
                for (int to = from; to <= b.length; to++) {
                    assertThat(TailReader.indexOfNewline(b, from, to))
                            .as("from %d to %d", from, to)
                            .isEqualTo(naiveIndexOfNewline(b, from, to));
                }
            }
        }
    }

    private static int naiveIndexOfNewline(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
