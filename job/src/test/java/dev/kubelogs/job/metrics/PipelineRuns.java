package dev.kubelogs.job.metrics;

import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSink;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** How the metrics pipeline's end-to-end tests run it: the job's type rules, checkpoints, the real sink. */
public final class PipelineRuns {
    private PipelineRuns() {}

    /** A MiniCluster of {@code taskManagers} with two slots each (enough for parallelism 2), on this configuration. */
    public static MiniClusterExtension miniCluster(int taskManagers, Configuration configuration) {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(taskManagers)
                .setNumberSlotsPerTaskManager(2)
                .setConfiguration(configuration)
                .build());
    }

    /**
     * For failure tests: subtasks spread over the TaskManagers (so killing one hits the job), and quick restarts, at
     * most five.
     */
    public static Configuration spreadAndRestart() {
        Configuration c = new Configuration();
        c.set(TaskManagerOptions.TASK_MANAGER_LOAD_BALANCE_MODE, TaskManagerOptions.TaskManagerLoadBalanceMode.SLOTS);
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 5);
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        return c;
    }

    /**
     * The test cluster's environment with the job's own rules (no Kryo: every type has a serializer; no generated
     * uids) and checkpoints every {@code checkpointMs}, which commit the sink's events.
     */
    public static StreamExecutionEnvironment environment(int parallelism, long checkpointMs) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.AUTO_GENERATE_UIDS, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        env.enableCheckpointing(checkpointMs);
        return env;
    }

    /** The job's exactly-once CloudWatch Logs sink, aimed at a local endpoint, as the metrics branch keys it. */
    public static CloudWatchLogsSink sink(URI endpoint, Path deadLetters) {
        return CloudWatchLogsSink.builder()
                .region("us-east-1")
                .endpoint(endpoint.toString())
                .staticCredentials("k", "s")
                .deadLetterDirectory(deadLetters.toString())
                .readBackSettleDelay(Duration.ofMillis(200))
                .streamOwner(CloudWatchLogsSink.streamKeySelector())
                .build();
    }
}
