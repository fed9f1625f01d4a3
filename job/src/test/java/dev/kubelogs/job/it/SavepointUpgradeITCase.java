package dev.kubelogs.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
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
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the Kubernetes operator does on an image change with {@code upgradeMode: savepoint}: stop with a
 * savepoint while a stack trace is half merged, pod metadata and sink batches are in state, then start the
 * (new) job from it. Every line lands exactly once and the trace is joined across the upgrade.
 */
class SavepointUpgradeITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    @TempDir
    Path spool;

    @TempDir
    Path savepoints;

    @Test
    void stopWithSavepointAndRestoreLosesAndDuplicatesNothing(@InjectMiniCluster MiniCluster miniCluster)
            throws Exception {
        try (LocalCloudWatchLogs endpoint = LocalCloudWatchLogs.start(0, null)) {
            UpgradeScenario.writeSegment0(spool);
            JobClient v1 = environment().executeAsync(graph(endpoint, null));
            CommonTestUtils.waitForAllTaskRunning(miniCluster, v1.getJobID(), false);
            // the three lines before the trace are committed once a checkpoint covers them
            CommonTestUtils.waitUntilCondition(
                    () -> endpoint.logGroups().stream().anyMatch(g -> g.eventCount() >= 3));
            String savepoint = v1.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get();
            assertThat(UpgradeScenario.landedLogs(endpoint)).containsExactly("line a", "line b", "line c");

            UpgradeScenario.writeSegment1AndSeal(spool);
            JobClient v2 = environment().executeAsync(graph(endpoint, savepoint));
            v2.getJobExecutionResult().get();

            assertThat(UpgradeScenario.landedLogs(endpoint)).containsExactlyElementsOf(UpgradeScenario.EXPECTED_LOGS);
        }
    }

    private StreamGraph graph(LocalCloudWatchLogs endpoint, String restoreFrom) {
        StreamExecutionEnvironment env = environment();
        UpgradeScenario.job(spool, endpoint.endpoint().toString()).build(env);
        StreamGraph graph = env.getStreamGraph();
        if (restoreFrom != null) {
            // allowNonRestoredState stays false: a savepoint whose state has no operator to go to is an error
            graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(restoreFrom, false));
        }
        return graph;
    }

    static StreamExecutionEnvironment environment() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.AUTO_GENERATE_UIDS, false);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(200);
        return env;
    }
}
