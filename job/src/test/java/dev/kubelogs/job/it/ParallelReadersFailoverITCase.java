package dev.kubelogs.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.job.JobOptions;
import dev.kubelogs.job.LogPipelineJob;
import dev.kubelogs.job.source.SpoolSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.CommonTestUtils;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Source parallelism 4 over many nodes, stack traces that straddle segment boundaries, and a TaskManager killed
 * mid-stream: every record arrives exactly once, joined, in file order per stream — with each node read beside its
 * keyed subtask, and with consecutive segments of one node read by different readers at once.
 */
class ParallelReadersFailoverITCase {
    private static final int NODES = 16;
    private static final int SEGMENTS = 8;
    private static final int LINES_PER_SEGMENT = 7;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(4)
                    .setConfiguration(restartQuickly())
                    .build());

    private static Configuration restartQuickly() {
        Configuration c = new Configuration();
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 5);
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        return c;
    }

    @TempDir
    Path spool;

    /** Nodes read beside their keyed subtask (the default, no shuffle) and nodes spread over every reader. */
    @ParameterizedTest(name = "spread nodes: {0}")
    @ValueSource(booleans = {false, true})
    void exactlyOnceInFileOrderAcrossReadersAndAFailover(
            boolean spreadNodes, @InjectMiniCluster MiniCluster miniCluster) throws Exception {
        MultiNodeSpool nodes = new MultiNodeSpool(spool, NODES, SEGMENTS, LINES_PER_SEGMENT);
        try (LocalCloudWatchLogs endpoint = LocalCloudWatchLogs.start(0, null)) {
            nodes.writeSegments(0, SEGMENTS / 2);

            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(4);
            env.enableCheckpointing(200);
            String url = endpoint.endpoint().toString();
            // discovery a lead before each checkpoint trigger, on its own timer, as a job with a checkpoint interval
            // runs
            SpoolSource source = SpoolSource.of(spool.toUri().toString(), Duration.ofMillis(50), true, true)
                    .discoveringBeforeCheckpoints(Duration.ofMillis(200), Duration.ofMillis(50));
            new LogPipelineJob(
                            spreadNodes ? source.spreadingNodesOverReaders() : source,
                            LocalSinks.exactlyOnce(url, Duration.ofMillis(200)),
                            // a trace split across the failover must still be joined: no timeout flush in between
                            JobOptions.defaults()
                                    .multilineFlushTimeout(Duration.ofMinutes(5))
                                    .metadataWait(Duration.ZERO, 0))
                    .build(env);
            JobClient job = env.executeAsync("parallel-readers-failover");
            JobID id = job.getJobID();

            CommonTestUtils.waitForAllTaskRunning(miniCluster, id, false);
            CommonTestUtils.waitForCheckpoint(id, miniCluster, 2);
            // the TaskManager dies with state in flight: buffers, pending traces, uncommitted batches
            miniCluster.terminateTaskManager(0).get();
            miniCluster.startTaskManager();
            nodes.writeSegments(SEGMENTS / 2, SEGMENTS);
            nodes.seal();
            job.getJobExecutionResult().get();
            assertThat(miniCluster.getJobStatus(id).get()).isEqualTo(JobStatus.FINISHED);

            for (int n = 0; n < NODES; n++) {
                assertThat(nodes.landed(endpoint, n)).as("node %d", n).containsExactlyElementsOf(nodes.expected(n));
            }
            // consumed segments are deleted once checkpoints cover them
            try (var files = Files.walk(spool)) {
                assertThat(files.filter(p -> p.toString().endsWith(".seg")).count())
                        .isLessThan((long) NODES * SEGMENTS);
            }
        }
    }
}
