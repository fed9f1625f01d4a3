package dev.kubelogs.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.collector.testing.Await;
import dev.kubelogs.collector.testing.CollectorJvm;
import dev.kubelogs.collector.testing.LogTree;
import dev.kubelogs.collector.testing.SpoolContents;
import dev.kubelogs.spool.SpoolPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chaos drill's case as a collector process: the job stops consuming, the collector pauses at its spool limit and
 * commits nothing, kubelet rotates the container's log twice, the collector is killed with SIGKILL and restarted while
 * the spool is still full; once the job consumes again, every line written reaches the spool exactly once.
 */
class PausedCollectorRestartTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private final List<String> written = new ArrayList<>();

    @Test
    void aCollectorKilledWhilePausedAtItsSpoolLimitAcrossRotationsLosesAndRepeatsNothing() throws Exception {
        LogTree tree = new LogTree(tmp.resolve("log"));
        String link = tree.container("ns", "pod", "c", 1);
        Path live = tree.target(link);
        Path nodeDir = tmp.resolve("spool/c/n");
        Path consumed = Files.createDirectories(tmp.resolve("consumed"));
        Consumer job = new Consumer(nodeDir, consumed);

        Process first = start(tree, 0);
        job.start();
        write(live, 200);
        Await.until("the first lines consumed", DEADLINE, () -> lines(consumed) >= 200);

        // the job stops consuming: the collector fills its spool and pauses, committing nothing from then on
        job.pause();
        Await.until("the collector to pause at its spool limit", DEADLINE, () -> {
            write(live, 50);
            return log(0).contains("tailing paused");
        });
        write(live, 100);
        rotate(live, "0.log.20270115-080000");
        write(live, 100); // a file rotated in and out while paused
        rotate(live, "0.log.20270115-080010");
        write(live, 100);

        first.destroyForcibly();
        assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
        write(live, 100);
        Process second = start(tree, 1);
        Await.until("the restarted collector to pause at once", DEADLINE, () -> log(1).contains("tailing paused"));
        write(live, 100);

        job.resume();
        try {
            Await.until(
                    "every line written in the spool",
                    DEADLINE,
                    () -> lines(consumed) + lines(nodeDir) >= written.size());
        } catch (AssertionError e) {
            List<String> missing = new ArrayList<>(written);
            missing.removeAll(SpoolContents.read(consumed).texts("/var/log/containers/" + link));
            throw new AssertionError(
                    e.getMessage() + ": " + written.size() + " written, " + lines(consumed) + " consumed, "
                            + lines(nodeDir) + " in the spool; missing " + missing.size() + ", first "
                            + missing.subList(0, Math.min(3, missing.size())) + "; restarted collector's log:\n"
                            + log(1),
                    e);
        }
        second.destroy();
        assertThat(second.waitFor(10, TimeUnit.SECONDS)).isTrue();
        job.stop();

        SpoolContents spooled = SpoolContents.read(consumed);
        assertThat(spooled.texts("/var/log/containers/" + link)).containsExactlyInAnyOrderElementsOf(written);
        assertThat(log(1)).contains("was rotated in and out after the last commit");
    }

    private Process start(LogTree tree, int run) throws IOException {
        return CollectorJvm.start(
                tmp,
                tree,
                tmp.resolve("collector-" + run + ".log"),
                "--max-segment-bytes=2K",
                "--max-segment-age=20ms",
                "--poll-interval=20ms",
                "--max-spool-bytes=8K");
    }

    private String log(int run) {
        try {
            return Files.readString(tmp.resolve("collector-" + run + ".log"));
        } catch (IOException e) {
            return "";
        }
    }

    private void write(Path file, int lines) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            String line = "line " + written.size() + " of the container, some words to make it longer";
            written.add(line);
            b.append(line).append('\n');
        }
        try {
            LogTree.append(file, b.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A rename rotation, as kubelet's: the file moves to a dated name and a new one takes its path. */
    private static void rotate(Path live, String rotatedName) throws IOException {
        Files.move(live, live.resolveSibling(rotatedName), StandardCopyOption.ATOMIC_MOVE);
        Files.createFile(live);
    }

    private static long lines(Path dir) {
        try {
            return SpoolContents.read(dir).countLines();
        } catch (IOException e) {
            return 0; // a segment moved while read: asked again
        }
    }

    /** The job's part: takes published segments out of the spool (moving them aside) every 20 ms while not paused. */
    private static final class Consumer {
        private final Path nodeDir;
        private final Path consumed;
        private final AtomicBoolean paused = new AtomicBoolean();
        private final AtomicReference<IOException> failure = new AtomicReference<>();
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

        Consumer(Path nodeDir, Path consumed) {
            this.nodeDir = nodeDir;
            this.consumed = consumed;
        }

        void start() {
            timer.scheduleWithFixedDelay(this::consume, 0, 20, TimeUnit.MILLISECONDS);
        }

        void pause() {
            paused.set(true);
        }

        void resume() {
            paused.set(false);
        }

        void stop() throws Exception {
            timer.shutdown();
            assertThat(timer.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            if (failure.get() != null) {
                throw failure.get();
            }
            moveAll(); // what the graceful stop published last
        }

        private void consume() {
            if (paused.get() || failure.get() != null) {
                return;
            }
            try {
                moveAll();
            } catch (IOException e) {
                failure.set(e);
            }
        }

        private void moveAll() throws IOException {
            if (!Files.isDirectory(nodeDir)) {
                return;
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(nodeDir, "*" + SpoolPaths.SEGMENT_SUFFIX)) {
                for (Path p : ds) {
                    if (!p.getFileName().toString().startsWith(".")) {
                        Files.move(p, consumed.resolve(p.getFileName()), StandardCopyOption.ATOMIC_MOVE);
                    }
                }
            }
        }
    }
}
