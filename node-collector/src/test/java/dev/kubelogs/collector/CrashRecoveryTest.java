package dev.kubelogs.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.collector.testing.Await;
import dev.kubelogs.collector.testing.CollectorJvm;
import dev.kubelogs.collector.testing.LogTree;
import dev.kubelogs.collector.testing.SpoolContents;
import dev.kubelogs.spool.SourceKind;
import dev.kubelogs.spool.SpoolPaths;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the collector as a separate JVM (the container entry point), kills it with SIGKILL at random moments while
 * files are being written, restarts it, and finally stops it with SIGTERM: the spool must hold every line exactly
 * once.
 */
class CrashRecoveryTest {
    @TempDir
    Path tmp;

    Process start(LogTree tree, int run) throws IOException {
        return CollectorJvm.start(
                tmp,
                tree,
                tmp.resolve("collector-" + run + ".log"),
                "--max-segment-bytes=16K",
                "--max-segment-age=20ms",
                "--poll-interval=20ms");
    }

    static int segmentCount(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SpoolPaths.SEGMENT_SUFFIX)) {
            for (Path ignored : ds) {
                n++;
            }
        }
        return n;
    }

    @Test
    void killDashNineAtRandomMomentsLosesNothingAndDuplicatesNothing() throws Exception {
        LogTree tree = new LogTree(tmp.resolve("log"));
        List<String> links = List.of(
                tree.container("ns", "a", "c", 1),
                tree.container("ns", "b", "c", 2),
                tree.container("ns", "c", "c", 3));
        Path messages = tree.root.resolve("messages");
        Files.createFile(messages);
        Path nodeDir = tmp.resolve("spool/c/n");
        AtomicLong written = new AtomicLong();
        int perFile = 8000;
        Thread writer = new Thread(
                () -> {
                    try {
                        List<OutputStream> outs = new ArrayList<>();
                        for (String l : links) {
                            outs.add(Files.newOutputStream(tree.target(l), StandardOpenOption.APPEND));
                        }
                        outs.add(Files.newOutputStream(messages, StandardOpenOption.APPEND));
                        for (int i = 0; i < perFile; i++) {
                            for (int f = 0; f < outs.size(); f++) {
                                outs.get(f)
                                        .write(("file " + f + " line " + i + " " + "p".repeat(i % 97) + "\n")
                                                .getBytes(StandardCharsets.UTF_8));
                                written.incrementAndGet();
                            }
                            if (i % 200 == 0) {
                                Thread.onSpinWait();
                                java.util.concurrent.locks.LockSupport.parkNanos(2_000_000L);
                            }
                        }
                        for (OutputStream o : outs) {
                            o.close();
                        }
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                },
                "test-writer");
        writer.start();

        Random random = new Random(42);
        for (int run = 0; run < 4; run++) {
            int before = segmentCount(nodeDir);
            int waitFor = 1 + random.nextInt(6);
            Process p = start(tree, run);
            Await.until("run " + run + " to write " + waitFor + " segments", Duration.ofSeconds(30), () -> {
                try {
                    return segmentCount(nodeDir) >= before + waitFor || !p.isAlive();
                } catch (IOException e) {
                    return false;
                }
            });
            assertThat(p.isAlive())
                    .as("collector run %d alive (see collector-%d.log)", run, run)
                    .isTrue();
            p.destroyForcibly(); // SIGKILL
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        writer.join();
        long total = written.get();
        assertThat(total).isEqualTo(4L * perFile);

        Process last = start(tree, 99);
        Await.until("all " + total + " lines spooled", Duration.ofSeconds(60), () -> {
            try {
                return SpoolContents.read(nodeDir).countLines() >= total;
            } catch (IOException e) {
                return false;
            }
        });
        long t0 = System.nanoTime();
        last.destroy(); // SIGTERM: close the open segment, commit
        assertThat(last.waitFor(10, TimeUnit.SECONDS)).isTrue();
        long stopMillis = (System.nanoTime() - t0) / 1_000_000;
        String log = Files.readString(tmp.resolve("collector-99.log"));
        assertThat(log).contains("shutdown complete");
        assertThat(stopMillis).as("SIGTERM to exit, ms").isLessThan(5000);

        int unfinished = 0;
        int adopted = 0;
        for (int run = 1; run <= 4; run++) {
            String l = Files.readString(tmp.resolve("collector-" + (run == 4 ? 99 : run) + ".log"));
            unfinished += l.split("deleted unfinished segment", -1).length - 1;
            adopted += l.split("adopting its pending state", -1).length - 1;
        }
        System.out.println("crash test: " + unfinished + " unfinished segments discarded, " + adopted
                + " pending states adopted after SIGKILL");

        SpoolContents s = SpoolContents.read(nodeDir);
        assertThat(s.countLines()).isEqualTo(total);
        for (String l : links) {
            CollectorEndToEndTest.assertExactly(s, "/var/log/containers/" + l, tree.target(l), SourceKind.CONTAINER);
        }
        CollectorEndToEndTest.assertExactly(s, "/var/log/messages", messages, SourceKind.HOST_FILE);
        assertThat(s.segments.keySet()).containsExactlyElementsOf(CollectorEndToEndTest.range(0, s.segments.size()));
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(nodeDir, ".*")) {
            assertThat(ds.iterator().hasNext())
                    .as("no temp segments after a graceful stop")
                    .isFalse();
        }
    }
}
