package dev.kubelogs.collector.tail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.collector.metrics.CollectorMetrics;
import dev.kubelogs.collector.testing.Await;
import dev.kubelogs.collector.testing.LogTree;
import dev.kubelogs.spool.SourceKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which new files discovery leaves to the running create watcher, and for how long. */
class WatcherHandoverTest {
    @TempDir
    Path tmp;

    private WatchedLogTree watched;
    private CollectorMetrics metrics;
    private LogTree tree;
    private CreateWatcher watcher;
    private WatcherHandover handover;

    @BeforeEach
    void handover() throws IOException {
        watched = new WatchedLogTree(tmp);
        metrics = watched.metrics;
        tree = watched.tree;
        watcher = watched.watcher;
        handover = watched.handover;
    }

    @AfterEach
    void close() {
        watched.close();
    }

    /** A tailed file's candidate, its directory watched as the tail thread does once it follows the file. */
    private Discovery.Candidate tailed(String link) throws IOException {
        Path target = tree.target(link);
        Discovery.Candidate c = new Discovery.Candidate(
                "/var/log/containers/" + link, tree.root.resolve("containers/" + link), SourceKind.CONTAINER);
        watcher.watchTailedFile(target, c);
        return c;
    }

    @Test
    void theFirstDiscoveryOpensEveryFileItself() throws IOException {
        Discovery.Candidate c = tailed(tree.container("ns", "p", "c", 1));
        FileIdentity id = FileIdentity.stat(c.path()).id();

        assertThat(handover.leftToWatcher(c, id, true)).isFalse();
        assertThat(metrics.errors(WatcherHandover.CREATION_EVENT_LATE)).isZero();
    }

    @Test
    void aNewFileAtAWatchedPathIsLeftToTheWatcherForASecondThenOpenedAndCountedLate() throws IOException {
        Discovery.Candidate c = tailed(tree.container("ns", "p", "c", 1));
        FileIdentity id = FileIdentity.stat(c.path()).id();

        assertThat(handover.leftToWatcher(c, id, false)).isTrue();
        Await.until("the grace over", Duration.ofSeconds(10), () -> !handover.leftToWatcher(c, id, false));
        assertThat(metrics.errors(WatcherHandover.CREATION_EVENT_LATE)).isEqualTo(1);
    }

    @Test
    void aPathBeingReplacedIsLeftToTheWatcherToo() throws IOException {
        String link = tree.container("ns", "p", "c", 1);
        Discovery.Candidate c = tailed(link);
        FileIdentity id = FileIdentity.stat(c.path()).id();
        // deleted after discovery's stat, the next file not yet created: the link dangles for a moment
        Files.delete(tree.target(link));

        assertThat(handover.leftToWatcher(c, id, false))
                .as("its creation event is on its way; opening the next file here would leave that event to a "
                        + "later file")
                .isTrue();
        assertThat(metrics.errors(WatcherHandover.CREATION_EVENT_LATE)).isZero();
    }

    @Test
    void aFileTheWatcherDoesNotOpenIsOpenedByDiscoveryAtOnce() throws IOException {
        String link = tree.container("ns", "p", "c", 1);
        Discovery.Candidate c = new Discovery.Candidate(
                "/var/log/containers/" + link, tree.root.resolve("containers/" + link), SourceKind.CONTAINER);
        FileIdentity id = FileIdentity.stat(c.path()).id();

        assertThat(handover.leftToWatcher(c, id, false))
                .as("its pod directory is not watched yet")
                .isFalse();
        assertThat(metrics.errors(WatcherHandover.CREATION_EVENT_LATE)).isZero();
    }
}
