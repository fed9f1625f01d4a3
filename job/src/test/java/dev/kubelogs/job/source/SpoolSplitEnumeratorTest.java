package dev.kubelogs.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.spool.SpoolPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.mocks.MockSplitEnumeratorContext;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which segments the enumerator deletes, and when: never one a reader may still need after a restore. */
class SpoolSplitEnumeratorTest {
    @TempDir
    java.nio.file.Path root;

    private java.nio.file.Path node;

    private SpoolSplitEnumerator enumerator(MockSplitEnumeratorContext<FileSourceSplit> ctx, SpoolEnumeratorState state)
            throws Throwable {
        return enumerator(ctx, state, new Path(root.toUri()));
    }

    private static SpoolSplitEnumerator enumerator(
            MockSplitEnumeratorContext<FileSourceSplit> ctx, SpoolEnumeratorState state, Path spoolRoot)
            throws Throwable {
        ctx.registerReader(new ReaderInfo(0, "host"));
        SpoolSplitEnumerator e =
                new SpoolSplitEnumerator(ctx, spoolRoot, Duration.ofSeconds(1), false, true, false, state);
        e.start();
        ctx.runPeriodicCallable(0);
        return e;
    }

    /** The spool root on the file system that counts what would be S3 requests. */
    private Path countingRoot() {
        return new Path(CountingFileSystem.SCHEME + "://" + root.toUri().getPath());
    }

    private static void runOneTimeCallables(MockSplitEnumeratorContext<FileSourceSplit> ctx) throws Throwable {
        while (ctx.getOneTimeCallables().size() > 0) {
            ctx.runNextOneTimeCallable();
        }
    }

    private List<String> segmentsLeft() throws IOException {
        try (Stream<java.nio.file.Path> s = Files.list(node)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private void writeSegments(int count) throws IOException {
        node = Files.createDirectories(root.resolve("prod/n1"));
        for (int i = 0; i < count; i++) {
            Files.write(node.resolve(SpoolPaths.segmentFileName(i)), new byte[] {1});
        }
    }

    @Test
    void afterARestoreNothingIsDeletedUntilTheReaderFinishedWhatItRestored() throws Throwable {
        writeSegments(4);
        MockSplitEnumeratorContext<FileSourceSplit> ctx = new MockSplitEnumeratorContext<>(1);
        SpoolSplitEnumerator first = enumerator(ctx, SpoolEnumeratorState.empty());
        first.handleSplitRequest(0, "host"); // gets segment 0
        first.handleSplitRequest(0, "host"); // finished 0, reads 1
        SpoolEnumeratorState checkpoint1 = first.snapshotState(1);

        // failover: the reader restores segment 1 from its own state; the new enumerator has not seen it
        MockSplitEnumeratorContext<FileSourceSplit> ctx2 = new MockSplitEnumeratorContext<>(1);
        SpoolSplitEnumerator restored = enumerator(ctx2, checkpoint1);
        restored.snapshotState(2);
        restored.notifyCheckpointComplete(2);
        while (ctx2.getOneTimeCallables().size() > 0) {
            ctx2.runNextOneTimeCallable();
        }
        assertThat(segmentsLeft()).contains(SpoolPaths.segmentFileName(1));

        // the reader finished segment 1 and asks again: now segments below the one it reads may go
        restored.handleSplitRequest(0, "host"); // reads 2
        restored.snapshotState(3);
        restored.notifyCheckpointComplete(3);
        while (ctx2.getOneTimeCallables().size() > 0) {
            ctx2.runNextOneTimeCallable();
        }
        assertThat(segmentsLeft()).containsExactly(SpoolPaths.segmentFileName(2), SpoolPaths.segmentFileName(3));
    }

    @Test
    void theNewestSegmentOfANodeIsKeptEvenWhenConsumed() throws Throwable {
        writeSegments(2);
        MockSplitEnumeratorContext<FileSourceSplit> ctx = new MockSplitEnumeratorContext<>(1);
        SpoolSplitEnumerator e = enumerator(ctx, SpoolEnumeratorState.empty());
        e.handleSplitRequest(0, "host"); // 0
        e.handleSplitRequest(0, "host"); // 1
        e.handleSplitRequest(0, "host"); // nothing left: idle
        e.snapshotState(1);
        e.notifyCheckpointComplete(1);
        while (ctx.getOneTimeCallables().size() > 0) {
            ctx.runNextOneTimeCallable();
        }
        assertThat(segmentsLeft()).containsExactly(SpoolPaths.segmentFileName(1));
        assertThat(ctx.getSplitsAssignmentSequence()).hasSize(2);
    }

    @Test
    void deletingWhatACheckpointCoveredListsNoDirectory() throws Throwable {
        writeSegments(4);
        MockSplitEnumeratorContext<FileSourceSplit> ctx = new MockSplitEnumeratorContext<>(1);
        SpoolSplitEnumerator e = enumerator(ctx, SpoolEnumeratorState.empty(), countingRoot());
        e.handleSplitRequest(0, "host"); // 0
        e.handleSplitRequest(0, "host"); // 1
        e.handleSplitRequest(0, "host"); // 2
        e.snapshotState(1);
        CountingFileSystem.LISTINGS.set(0);
        e.notifyCheckpointComplete(1);
        runOneTimeCallables(ctx);
        // the last discovery's listing names what to delete: no LIST per node and checkpoint on S3
        assertThat(CountingFileSystem.LISTINGS.get()).isZero();
        assertThat(segmentsLeft()).containsExactly(SpoolPaths.segmentFileName(2), SpoolPaths.segmentFileName(3));
    }

    @Test
    void discoveryListsWithoutProbingTheRootFirst() throws Throwable {
        writeSegments(1);
        CountingFileSystem.PROBES.set(0);
        CountingFileSystem.LISTINGS.set(0);
        MockSplitEnumeratorContext<FileSourceSplit> ctx = new MockSplitEnumeratorContext<>(1);
        SpoolSplitEnumerator e = enumerator(ctx, SpoolEnumeratorState.empty(), countingRoot());
        // root, cluster, node: one listing each, and no exists() (two HEADs and a LIST on S3)
        assertThat(CountingFileSystem.LISTINGS.get()).isEqualTo(3);
        assertThat(CountingFileSystem.PROBES.get()).isZero();
        e.handleSplitRequest(0, "host");
        assertThat(ctx.getSplitsAssignmentSequence()).hasSize(1);
    }

    @Test
    void aSpoolRootNoCollectorWroteYetIsFoundLater() throws Throwable {
        MockSplitEnumeratorContext<FileSourceSplit> ctx = new MockSplitEnumeratorContext<>(1);
        SpoolSplitEnumerator e = enumerator(
                ctx,
                SpoolEnumeratorState.empty(),
                new Path(root.resolve("not-yet").toUri()));
        e.handleSplitRequest(0, "host");
        assertThat(ctx.getSplitsAssignmentSequence()).isEmpty();
        node = Files.createDirectories(root.resolve("not-yet/prod/n1"));
        Files.write(node.resolve(SpoolPaths.segmentFileName(0)), new byte[] {1});
        ctx.runPeriodicCallable(0);
        assertThat(ctx.getSplitsAssignmentSequence()).hasSize(1);
    }
}
