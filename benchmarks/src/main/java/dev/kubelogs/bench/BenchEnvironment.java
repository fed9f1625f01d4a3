package dev.kubelogs.bench;

import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSink;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** What the sink and metrics benches run their job on: a MiniCluster in this JVM and the exactly-once sink. */
final class BenchEnvironment {
    private BenchEnvironment() {}

    /**
     * A MiniCluster environment with exactly-once checkpoints into {@code work}/checkpoints, REST on {@code restPort},
     * and the settings of {@code conf}.
     */
    static StreamExecutionEnvironment environment(
            int parallelism,
            Duration checkpointInterval,
            String stateBackend,
            Path work,
            int restPort,
            Configuration conf) {
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
        conf.set(RestOptions.PORT, restPort);
        conf.setString(
                "execution.checkpointing.dir",
                work.resolve("checkpoints").toUri().toString());
        conf.setString("state.backend.type", stateBackend);
        return StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
    }

    /** The exactly-once sink against the local endpoint. */
    static CloudWatchLogsSink sink(URI endpoint) {
        return CloudWatchLogsSink.builder()
                .region("us-west-2")
                .endpoint(endpoint.toString())
                .staticCredentials("local", "local")
                .deliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .build();
    }
}
