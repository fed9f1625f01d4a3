package dev.kubelogs.collector.tail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.collector.metrics.CollectorMetrics;
import dev.kubelogs.collector.testing.Await;
import dev.kubelogs.collector.testing.LogTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Following discovered paths on a real log tree, with the create watcher running as in the collector. */
class PathFollowerTest {
    @TempDir
    Path tmp;

    private WatchedLogTree watched;
    private CollectorMetrics metrics;
    private LogTree tree;
    private TrackedFiles files;
    private PathFollower follower;

    @BeforeEach
    void follower() throws IOException {
        watched = new WatchedLogTree(tmp);
        metrics = watched.metrics;
        tree = watched.tree;
        Discovery discovery = watched.discovery;
        CreateWatcher watcher = watched.watcher;
        WatcherHandover handover = watched.handover;
        files = new TrackedFiles(watcher);
        StartPositions positions = new StartPositions(1024, metrics);
        positions.reset(null, false);
        PathProblems problems = new PathProblems(metrics);
        FileOpener opener =
                new FileOpener(discovery, watcher, handover, positions, files, problems, new Truncations(metrics));
        follower = new PathFollower(discovery, watcher, handover, opener, files, problems, metrics);
    }

    @AfterEach
    void close() {
        files.closeAll();
        watched.close();
    }

    private static String logical(String link) {
        return "/var/log/containers/" + link;
    }

    private void discover() {
        try {
            follower.discover(false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aNewFileAtThePathIsFollowedAndTheOldOneReadOnAsRotated() throws IOException {
        String link = tree.container("ns", "p", "c", 1);
        Path live = tree.target(link);
        follower.discover(true);
        TrackedFile first = files.atPath(logical(link));
        assertThat(first).isNotNull();

        Files.move(live, live.resolveSibling("0.log.20270115-080000"));
        LogTree.append(live, "new\n");
        FileIdentity second = FileIdentity.stat(live).id();
        Await.until("the new file followed", Duration.ofSeconds(10), () -> {
            discover();
            TrackedFile f = files.atPath(logical(link));
            return f != null && f.id.equals(second);
        });

        assertThat(files.rotated()).containsExactly(first);
        assertThat(first.rotated()).isTrue();
        assertThat(files.size()).isEqualTo(2);
        assertThat(metrics.rotations.get()).isEqualTo(1.0);
    }

    @Test
    void aPathNoLongerDiscoveredLeavesItsFileToBeReadToItsEnd() throws IOException {
        String link = tree.container("ns", "p", "c", 1);
        follower.discover(true);
        TrackedFile f = files.atPath(logical(link));

        Files.delete(tree.root.resolve("containers").resolve(link));
        follower.discover(false);

        assertThat(files.atPath(logical(link))).isNull();
        assertThat(files.rotated()).containsExactly(f);
        assertThat(metrics.rotations.get()).as("no new file took its path").isZero();
    }

    @Test
    void theSameFileUnderTwoPathsIsReadOnce() throws IOException {
        String link = tree.container("ns", "p", "c", 1);
        Path second = tree.root.resolve("containers").resolve("q_ns_c-" + LogTree.containerId(2) + ".log");
        Files.createSymbolicLink(second, tree.target(link));

        follower.discover(true);

        assertThat(files.size()).isEqualTo(1);
        assertThat(files.paths()).hasSize(1);
    }

    @Test
    void aMatchedPathThatIsNotARegularFileIsReportedOnceAndAfreshWhenItComesBack() throws IOException {
        Path dir = tree.root.resolve("containers").resolve("d_ns_c-" + LogTree.containerId(3) + ".log");
        Files.createDirectory(dir);
        follower.discover(true);
        follower.discover(false);
        assertThat(metrics.errors("not_regular")).isEqualTo(1);

        Files.delete(dir);
        follower.discover(false);
        Files.createDirectory(dir);
        follower.discover(false);
        assertThat(metrics.errors("not_regular")).isEqualTo(2);
        assertThat(files.size()).isZero();
    }

    @Test
    void aDanglingLinkOfAFollowedFileIsGivenASecondForTheRotationsNewFileThenReported() throws IOException {
        String link = tree.container("ns", "p", "c", 1);
        Path live = tree.target(link);
        follower.discover(true);
        TrackedFile f = files.atPath(logical(link));

        Files.move(live, live.resolveSibling("0.log.20270115-080000"));
        follower.discover(false);
        assertThat(metrics.errors("vanished_target"))
                .as("the successor may come next")
                .isZero();
        assertThat(files.atPath(logical(link))).isSameAs(f);

        Await.until("the dangling link reported", Duration.ofSeconds(10), () -> {
            discover();
            return metrics.errors("vanished_target") == 1;
        });
        assertThat(files.atPath(logical(link))).isNull();
        assertThat(files.rotated()).containsExactly(f);
    }
}
