package dev.kubelogs.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.collector.testing.Await;
import dev.kubelogs.collector.testing.LogTree;
import dev.kubelogs.collector.testing.SpoolContents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The collector's lifecycle: its thread, the wake-ups from the inputs, stop and seal commands. */
class NodeCollectorTest {
    @TempDir
    Path tmp;

    LogTree tree;
    Path file;
    String logical;

    @BeforeEach
    void tree() throws Exception {
        tree = new LogTree(tmp.resolve("log"));
        String link = tree.container("ns", "pod", "c", 1);
        file = tree.target(link);
        logical = "/var/log/containers/" + link;
    }

    /** Polls and segment ages far beyond the test: only a wake or a command makes the collector act. */
    private CollectorConfig.Builder quiet() {
        return tree.collectorConfig(tmp).pollInterval(Duration.ofHours(1)).maxSegmentAge(Duration.ofHours(1));
    }

    @Test
    void aWakeReadsNewLinesWithoutWaitingForThePoll() throws Exception {
        LogTree.append(file, "at start\n");
        try (NodeCollector c = new NodeCollector(quiet().build())) {
            c.start();
            Await.until(
                    "the line present at start",
                    Duration.ofSeconds(20),
                    () -> c.stats().linesRead() == 1);
            LogTree.append(file, "later\n");
            c.wake();
            Await.until(
                    "the line after the wake",
                    Duration.ofSeconds(20),
                    () -> c.stats().linesRead() == 2);
        }
    }

    @Test
    void closeCommitsTheOpenSegmentAndIsIdempotent() throws Exception {
        LogTree.append(file, "one\ntwo\n");
        NodeCollector c = new NodeCollector(quiet().build());
        c.start();
        Await.until("both lines", Duration.ofSeconds(20), () -> c.stats().linesRead() == 2);
        assertThat(c.committedFiles()).as("the segment is still open").isEmpty();
        c.close();
        c.close();
        assertThat(c.committedFiles()).singleElement().extracting(f -> f.offset).isEqualTo(Files.size(file));
        assertThat(SpoolContents.read(c.nodeSpoolDirectory()).texts(logical)).containsExactly("one", "two");
        assertThat(c.sealedSeq()).as("closed, not sealed").isEqualTo(-1);
    }

    @Test
    void aSealAfterAStopDoesNothingAndTheRestartContinuesWhereTheStopCommitted() throws Exception {
        LogTree.append(file, "one\n");
        NodeCollector first = new NodeCollector(quiet().build());
        first.start();
        Await.until("the line", Duration.ofSeconds(20), () -> first.stats().linesRead() == 1);
        first.close();
        first.drainAndSeal();
        assertThat(first.sealedSeq()).as("already stopped").isEqualTo(-1);

        LogTree.append(file, "two\n");
        NodeCollector second = new NodeCollector(quiet().build());
        second.start();
        second.drainAndSeal();
        assertThat(second.sealedSeq()).isEqualTo(1);
        assertThat(SpoolContents.read(second.nodeSpoolDirectory()).texts(logical))
                .containsExactly("one", "two");
    }

    @Test
    void itStartsOnceAndTakesCommandsOnlyWhenStarted() throws Exception {
        NodeCollector c = new NodeCollector(quiet().build());
        assertThatThrownBy(c::drainAndSeal)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("not started");
        c.close(); // nothing to stop
        c.start();
        try {
            assertThatThrownBy(c::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("already started");
        } finally {
            c.close();
        }
    }
}
