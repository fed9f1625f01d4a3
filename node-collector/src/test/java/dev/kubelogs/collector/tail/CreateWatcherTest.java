package dev.kubelogs.collector.tail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.collector.metrics.CollectorMetrics;
import dev.kubelogs.collector.testing.Await;
import dev.kubelogs.collector.testing.LogTree;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watch thread on a real directory: what it opens when a file is created, and whom it wakes. */
class CreateWatcherTest {
    @TempDir
    Path tmp;

    LogTree tree;
    CreateWatcher watcher;
    final CollectorMetrics metrics = new CollectorMetrics();
    final AtomicInteger wakes = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        tree = new LogTree(tmp.resolve("log"));
        Discovery discovery =
                new Discovery(tree.root, tmp.resolve("docker"), List.of("containers/*.log"), List.of(), List.of());
        watcher = CreateWatcher.start(discovery, metrics, wakes::incrementAndGet, "test-watch");
    }

    @AfterEach
    void stop() {
        watcher.close();
    }

    private CreateWatcher.Opened awaitOpened() {
        AtomicReference<CreateWatcher.Opened> got = new AtomicReference<>();
        Await.until("a file opened on creation", Duration.ofSeconds(20), () -> {
            got.set(watcher.poll());
            return got.get() != null;
        });
        return got.get();
    }

    @Test
    void aFileCreatedAtAnIncludedPathIsOpenedAtOnceAndStaysReadableWhenDeleted() throws IOException {
        Path file = tree.root.resolve("containers").resolve("short-lived.log");
        assertThat(watcher.expects(file.getParent().toRealPath().resolve(file.getFileName())))
                .as("the tail thread leaves it to the watcher")
                .isTrue();
        Files.createFile(file);
        CreateWatcher.Opened opened = awaitOpened();
        LogTree.append(file, "last words\n");
        Files.delete(file);

        assertThat(opened.path().getFileName().toString()).isEqualTo("short-lived.log");
        ByteBuffer buf = ByteBuffer.allocate(64);
        int n = opened.channel().read(buf, 0);
        assertThat(new String(buf.array(), 0, n, StandardCharsets.UTF_8)).isEqualTo("last words\n");
        // the watch thread wakes the tail thread after the event's files are queued, so poll may see the file first
        Await.until("the tail thread is woken", Duration.ofSeconds(20), () -> wakes.get() > 0);
        opened.channel().close();
    }

    @Test
    void aFileThatNoGlobIncludesIsNeitherOpenedNorWakesTheTailThread() throws IOException {
        Path other = tree.root.resolve("containers").resolve("notes.txt");
        assertThat(watcher.expects(other.getParent().toRealPath().resolve(other.getFileName())))
                .isFalse();
        Files.createFile(other);
        Files.createFile(tree.root.resolve("containers").resolve("after.log"));
        assertThat(awaitOpened().path().getFileName().toString())
                .as("only the included file")
                .isEqualTo("after.log");
        Await.until("the wake for after.log", Duration.ofSeconds(20), () -> wakes.get() > 0);
        assertThat(wakes).as("one wake, for the included file").hasValue(1);
        assertThat(watcher.poll()).isNull();
    }
}
