package dev.kubelogs.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.job.JobOptions;
import dev.kubelogs.job.LogPipelineJob;
import dev.kubelogs.job.source.SpoolSource;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
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
 * The spool's readers read each node beside the keyed subtask that owns it, with no shuffle in between; a change of
 * parallelism moves key groups between subtasks, so the readers must follow: stop with a savepoint at parallelism 2
 * while traces are half merged, restore at 3, then at 1. Every line lands exactly once, traces joined across both
 * rescales. A node read by the wrong reader would reach a keyed subtask that does not own its key group, which the
 * heap state backend refuses.
 */
class RescaleITCase {
    private static final int SEGMENTS = 9;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(3)
                    .build());

    @TempDir
    Path spool;

    @TempDir
    Path savepoints;

    @Test
    void nodesFollowTheirKeyGroupsAcrossRescales(@InjectMiniCluster MiniCluster miniCluster) throws Exception {
        MultiNodeSpool nodes = new MultiNodeSpool(spool, 12, SEGMENTS, 7);
        try (LocalCloudWatchLogs endpoint = LocalCloudWatchLogs.start(0, null)) {
            String url = endpoint.endpoint().toString();
            nodes.writeSegments(0, 3);
            String atTwo = runUntilSavepoint(miniCluster, url, 2, null, endpoint);
            nodes.writeSegments(3, 6);
            String atThree = runUntilSavepoint(miniCluster, url, 3, atTwo, endpoint);
            nodes.writeSegments(6, SEGMENTS);
            nodes.seal();
            environment(1)
                    .executeAsync(graph(url, 1, atThree))
                    .getJobExecutionResult()
                    .get();

            for (int n = 0; n < nodes.nodes(); n++) {
                assertThat(nodes.landed(endpoint, n)).as("node %d", n).containsExactlyElementsOf(nodes.expected(n));
            }
        }
    }

    /** Runs the job until events landed after its start, then stops it with a savepoint. */
    private String runUntilSavepoint(
            MiniCluster miniCluster, String url, int parallelism, String restoreFrom, LocalCloudWatchLogs endpoint)
            throws Exception {
        long before = stored(endpoint);
        JobClient job = environment(parallelism).executeAsync(graph(url, parallelism, restoreFrom));
        CommonTestUtils.waitForAllTaskRunning(miniCluster, job.getJobID(), false);
        CommonTestUtils.waitUntilCondition(() -> {
            // no restarts: a record at the wrong keyed subtask fails the job instead of looping
            if (job.getJobStatus().get().isGloballyTerminalState()) {
                job.getJobExecutionResult().get(); // throws the job's failure
                throw new AssertionError("the job ended before its savepoint");
            }
            return stored(endpoint) > before;
        });
        return job.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                .get();
    }

    private static long stored(LocalCloudWatchLogs endpoint) {
        return endpoint.eventCount();
    }

    private StreamGraph graph(String url, int parallelism, String restoreFrom) {
        StreamExecutionEnvironment env = environment(parallelism);
        new LogPipelineJob(
                        SpoolSource.of(spool.toUri().toString(), Duration.ofMillis(50), true, false),
                        LocalSinks.exactlyOnce(url, Duration.ofMillis(100)),
                        // only the last run may flush a trace: the rescales must carry the half-merged ones
                        JobOptions.defaults()
                                .multilineFlushTimeout(Duration.ofMinutes(10))
                                .metadataWait(Duration.ZERO, 0))
                .build(env);
        StreamGraph graph = env.getStreamGraph();
        if (restoreFrom != null) {
            graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(restoreFrom, false));
        }
        return graph;
    }

    private static StreamExecutionEnvironment environment(int parallelism) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.AUTO_GENERATE_UIDS, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        env.enableCheckpointing(200);
        return env;
    }
}
