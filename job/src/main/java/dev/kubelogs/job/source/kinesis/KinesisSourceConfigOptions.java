package dev.kubelogs.job.source.kinesis;

import dev.kubelogs.job.config.AwsCredentials;
import dev.kubelogs.job.config.ConfigChecks;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.configuration.ReadableConfig;

/** Settings of the Kinesis transport: which stream the segments come from and how it is read. */
public final class KinesisSourceConfigOptions {
    private KinesisSourceConfigOptions() {}

    public static final ConfigOption<String> STREAM = ConfigOptions.key("kubelogs.source.kinesis.stream")
            .stringType()
            .noDefaultValue()
            .withDescription("The Kinesis data stream the collectors put segments into: its name or its ARN.");

    public static final ConfigOption<String> ENDPOINT = ConfigOptions.key("kubelogs.source.kinesis.endpoint")
            .stringType()
            .noDefaultValue()
            .withDescription("A Kinesis-compatible endpoint instead of AWS's, e.g. http://127.0.0.1:4568.");

    public static final ConfigOption<String> REGION = ConfigOptions.key("kubelogs.source.kinesis.region")
            .stringType()
            .noDefaultValue()
            .withDescription("The stream's region (default: the ARN's, else $AWS_REGION, else us-east-1).");

    public static final ConfigOption<InitialPosition> INITIAL_POSITION = ConfigOptions.key(
                    "kubelogs.source.kinesis.initial-position")
            .enumType(InitialPosition.class)
            .defaultValue(InitialPosition.TRIM_HORIZON)
            .withDescription("Where a job without a checkpoint starts: TRIM_HORIZON (everything the stream holds) or "
                    + "LATEST (what is put from now on). A restored job goes on where it was.");

    public static final ConfigOption<Duration> SHARD_DISCOVERY_INTERVAL = ConfigOptions.key(
                    "kubelogs.source.kinesis.shard-discovery-interval")
            .durationType()
            .defaultValue(Duration.ofSeconds(10))
            .withDescription("How often the stream's shards are listed (a reshard's new shards are found then).");

    public static final ConfigOption<Duration> IDLE_POLL_INTERVAL = ConfigOptions.key(
                    "kubelogs.source.kinesis.idle-poll-interval")
            .durationType()
            .defaultValue(Duration.ofMillis(250))
            .withDescription("How long a shard that returned nothing new waits before the next GetRecords "
                    + "(a shard takes five a second, shared by every consumer of the stream).");

    /** Every setting of this transport: one of them set with the other transport is an error naming it. */
    public static final List<ConfigOption<?>> OPTIONS =
            List.of(STREAM, ENDPOINT, REGION, INITIAL_POSITION, SHARD_DISCOVERY_INTERVAL, IDLE_POLL_INTERVAL);

    /** The source these settings describe. */
    public static KinesisSegmentSource source(ReadableConfig config) {
        String stream = config.get(STREAM);
        if (stream == null || stream.isBlank()) {
            throw new IllegalConfigurationException(
                    STREAM.key() + " must name the stream when kubelogs.source.transport is KINESIS");
        }
        String endpoint = config.get(ENDPOINT);
        return new KinesisSegmentSource(new KinesisStreamSettings(
                stream.trim(),
                config.getOptional(REGION).orElseGet(() -> defaultRegion(stream.trim())),
                endpoint,
                endpoint != null && !AwsCredentials.defaultChainResolves(),
                config.get(INITIAL_POSITION),
                ConfigChecks.longerThanZero(config, SHARD_DISCOVERY_INTERVAL),
                ConfigChecks.longerThanZero(config, IDLE_POLL_INTERVAL)));
    }

    /** An ARN's region ({@code arn:aws:kinesis:REGION:account:stream/name}), else $AWS_REGION, else us-east-1. */
    static String defaultRegion(String stream) {
        String[] arn = stream.split(":", 6);
        if (stream.startsWith("arn:") && arn.length == 6 && !arn[3].isEmpty()) {
            return arn[3];
        }
        return System.getenv().getOrDefault("AWS_REGION", "us-east-1");
    }
}
