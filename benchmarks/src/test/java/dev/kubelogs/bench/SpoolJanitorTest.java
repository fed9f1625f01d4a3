package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolJanitorTest {

    @Test
    void aSweepDeletesPublishedSegmentsOnly(@TempDir Path spool) throws Exception {
        Path node = Files.createDirectories(spool.resolve("bench/node-a"));
        Path published = Files.writeString(node.resolve("000001.seg"), "x");
        Path beingWritten = Files.writeString(node.resolve(".000002.seg"), "x");
        Path other = Files.writeString(node.resolve("manifest.json"), "{}");

        SpoolJanitor.sweep(spool);

        assertThat(published).doesNotExist();
        assertThat(beingWritten).exists();
        assertThat(other).exists();
    }

    @Test
    void aMissingSpoolIsNoError(@TempDir Path tmp) {
        SpoolJanitor.sweep(tmp.resolve("absent"));

        assertThat(tmp.resolve("absent")).doesNotExist();
    }

    @Test
    void theRunningJanitorDeletesWhatAppears(@TempDir Path spool) throws Exception {
        SpoolJanitor janitor = new SpoolJanitor(spool);
        try (WatchService watch = spool.getFileSystem().newWatchService()) {
            spool.register(watch, StandardWatchEventKinds.ENTRY_DELETE);
            Path segment = Files.writeString(spool.resolve("000003.seg"), "x");
            janitor.start();
            // the deletion event, or none within the deadline
            WatchKey deleted = watch.poll(30, TimeUnit.SECONDS);
            assertThat(deleted).isNotNull();
            assertThat(segment).doesNotExist();
        } finally {
            janitor.stop();
        }
    }
}
