package dev.kubelogs.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.job.sink.cloudwatch.DeliveryStatus;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.CommonTestUtils;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Committables that wait in a savepoint's sink state are delivered by the code that restores it, whatever layout
 * wrote them. {@code src/test/resources/savepoints-pending-committables/<layout>/} holds a savepoint of
 * {@link UpgradeScenario} taken while lines a, b and c were cut into committables and not yet delivered (no
 * checkpoint before the savepoint): {@code sink-v2} was written by the sink on Flink's Sink V2 operators (committables
 * in the {@code CommitterOperator}'s {@code streaming_committer_raw_states} under the uid "Sink Committer: &lt;sink
 * uid&gt;"); {@code list-state} by the sink's own operators keeping them in the committer's managed list state
 * {@code cloudwatch_logs_committables} (commit 7541a3d); {@code per-category-sinks} by the raw-state committer of one sink
 * per category (commit 0d113ea), which the job now keeps as restore-only operators beside its one sink. Restored against an empty endpoint, every line must land exactly once: a, b, c from the restored
 * committables (read back, found missing, put), the rest from keyed state and the next segment.
 *
 * <p>Write a fixture of the current layout with {@code mvn -pl job test -Dtest=PendingCommittablesCompatibilityTest
 * -Dkubelogs.writePendingSavepoint=<layout>}.
 */
class PendingCommittablesCompatibilityTest {
    static final String[] LAYOUTS = {"sink-v2", "list-state", "per-category-sinks"};

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    @TempDir
    Path spool;

    @Test
    void pendingCommittablesOfEveryLayoutAreDeliveredOnce() throws Exception {
        for (String layout : LAYOUTS) {
            Path layoutSpool = Files.createDirectories(spool.resolve(layout));
            try (LocalCloudWatchLogs endpoint = LocalCloudWatchLogs.start(0, null)) {
                UpgradeScenario.writeSegment1AndSeal(layoutSpool);
                StreamExecutionEnvironment env = SavepointUpgradeITCase.environment();
                UpgradeScenario.job(layoutSpool, endpoint.endpoint().toString()).build(env);
                StreamGraph graph = env.getStreamGraph();
                graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(
                        savepointOf(layout).toUri().toString(), false));
                env.executeAsync(graph).getJobExecutionResult().get();

                assertThat(UpgradeScenario.landedLogs(endpoint))
                        .as("layout %s", layout)
                        .containsExactlyElementsOf(UpgradeScenario.EXPECTED_LOGS);
            }
        }
    }

    /** Takes the fixture savepoint with the current code: lines a, b, c buffered in the sink, no checkpoint yet. */
    @Test
    @EnabledIfSystemProperty(named = "kubelogs.writePendingSavepoint", matches = ".+")
    void writeSavepointFixture(@InjectMiniCluster MiniCluster miniCluster) throws Exception {
        String layout = System.getProperty("kubelogs.writePendingSavepoint");
        Path target = Paths.get("src/test/resources/savepoints-pending-committables")
                .resolve(layout)
                .toAbsolutePath();
        Files.createDirectories(target);
        try (LocalCloudWatchLogs endpoint = LocalCloudWatchLogs.start(0, null)) {
            UpgradeScenario.writeSegment0(spool);
            StreamExecutionEnvironment env = SavepointUpgradeITCase.environment();
            // no checkpoint before the savepoint: what the sink buffered is cut at its barrier and stays pending
            env.enableCheckpointing(Duration.ofHours(1).toMillis());
            UpgradeScenario.job(spool, endpoint.endpoint().toString()).build(env);
            JobClient job = env.executeAsync("pending-committables-fixture");
            CommonTestUtils.waitForAllTaskRunning(miniCluster, job.getJobID(), false);
            CommonTestUtils.waitUntilCondition(() -> DeliveryStatus.ofThisJvm().eventsWaiting() >= 3);
            String written = job.stopWithSavepoint(false, target.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get();
            System.out.println("Savepoint fixture written to " + written);
        }
    }

    private Path savepointOf(String layout) throws IOException, URISyntaxException {
        Path dir = Paths.get(getClass()
                .getResource("/savepoints-pending-committables/" + layout)
                .toURI());
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(p -> p.getFileName().toString().startsWith("savepoint-"))
                    .findFirst()
                    .orElseThrow(() -> new IOException("no savepoint in " + dir));
        }
    }
}
