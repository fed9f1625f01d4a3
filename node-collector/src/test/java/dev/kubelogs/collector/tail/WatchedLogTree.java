package dev.kubelogs.collector.tail;

import dev.kubelogs.collector.metrics.CollectorMetrics;
import dev.kubelogs.collector.testing.LogTree;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A kubelet log tree under {@code tmp} with container logs discovered as the collector does and its create watcher
 * running, and the handover between the two: what the tail's tests that follow paths build first.
 */
final class WatchedLogTree implements AutoCloseable {
    final CollectorMetrics metrics = new CollectorMetrics();
    final LogTree tree;
    final Discovery discovery;
    final CreateWatcher watcher;
    final WatcherHandover handover;

    WatchedLogTree(Path tmp) throws IOException {
        tree = new LogTree(tmp.resolve("log"));
        discovery = new Discovery(tree.root, tmp.resolve("docker"), List.of("containers/*.log"), List.of(), List.of());
        watcher = CreateWatcher.start(discovery, metrics, () -> {}, "test-watch");
        handover = new WatcherHandover(watcher, metrics);
    }

    /** A file opener on this tree's discovery and watcher, its problems and truncations counted into {@code metrics}. */
    FileOpener opener(StartPositions positions, TrackedFiles files, CollectorMetrics metrics) {
        return new FileOpener(
                discovery, watcher, handover, positions, files, new PathProblems(metrics), new Truncations(metrics));
    }

    @Override
    public void close() {
        handover.closeAll();
        watcher.close();
    }
}
