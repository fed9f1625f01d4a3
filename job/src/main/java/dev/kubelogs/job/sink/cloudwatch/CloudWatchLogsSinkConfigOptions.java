package dev.kubelogs.job.sink.cloudwatch;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.connector.base.DeliveryGuarantee;

/** Settings of the job's CloudWatch Logs sinks (the log events' and the metrics pipeline's, configured alike). */
public final class CloudWatchLogsSinkConfigOptions {
    private CloudWatchLogsSinkConfigOptions() {}

    public static final ConfigOption<String> REGION = ConfigOptions.key("kubelogs.sink.region")
            .stringType()
            .noDefaultValue()
            .withDescription("AWS region (default: $AWS_REGION, else us-east-1).");

    public static final ConfigOption<String> ENDPOINT = ConfigOptions.key("kubelogs.sink.endpoint")
            .stringType()
            .noDefaultValue()
            .withDescription("A CloudWatch-Logs-compatible endpoint instead of AWS's, e.g. http://127.0.0.1:4566.");

    public static final ConfigOption<DeliveryGuarantee> DELIVERY_GUARANTEE = ConfigOptions.key(
                    "kubelogs.sink.delivery-guarantee")
            .enumType(DeliveryGuarantee.class)
            .defaultValue(DeliveryGuarantee.EXACTLY_ONCE)
            .withDescription("exactly-once or at-least-once (the command line's --delivery-guarantee: EXACTLY_ONCE or "
                    + "AT_LEAST_ONCE).");

    public static final ConfigOption<Integer> RETENTION_DAYS = ConfigOptions.key("kubelogs.sink.retention-days")
            .intType()
            .noDefaultValue()
            .withDescription(
                    "PutRetentionPolicy on every log group the job creates (default: never expire, like Container Insights).");

    public static final ConfigOption<String> DEAD_LETTER_GROUP = ConfigOptions.key("kubelogs.sink.dead-letter-group")
            .stringType()
            .noDefaultValue()
            .withDescription("Events CloudWatch rejects (too old/new, invalid) go to this log group "
                    + "(default: <prefix>/<cluster>/kubelogs-dead-letter, beside the event's own group).");

    public static final ConfigOption<String> DEAD_LETTER_DIR = ConfigOptions.key("kubelogs.sink.dead-letter-dir")
            .stringType()
            .noDefaultValue()
            .withDescription("…or to JSON-lines files in this directory.");

    public static final ConfigOption<MemorySize> MAX_HELD_BYTES = ConfigOptions.key("kubelogs.sink.max-held-bytes")
            .memoryType()
            .defaultValue(MemorySize.ofMebiBytes(64))
            .withDescription("EXACTLY_ONCE: the event bytes (UTF-8 + 26 per event) one sink subtask may hold, "
                    + "buffered since the last checkpoint barrier and cut into committables not stored yet, before "
                    + "its writer stops taking input until the committer stored them (backpressure instead of an "
                    + "OutOfMemoryError when CloudWatch takes less than the job offers). The heap holds these "
                    + "bytes in the committables' encoding (one array a batch, the writer's arrays pooled from one "
                    + "interval to the next, up to about one interval's encoded bytes, which this limit does not "
                    + "count); the default fits two such subtasks in the 1.1 GB heap of the FlinkDeployment's 3072m "
                    + "TaskManager. At least 1 MiB (one batch).");

    public static final ConfigOption<Boolean> LEAN_PUTS = ConfigOptions.key("kubelogs.sink.lean-puts")
            .booleanType()
            .defaultValue(true)
            .withDescription("Send PutLogEvents as one request signed with the AWS SDK's SigV4 signer on the sink "
                    + "client's HTTP client, without the SDK client's per-request pipeline; other calls and the "
                    + "failures' handling are unchanged. false sends them through the SDK client.");
}
