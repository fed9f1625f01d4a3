package dev.kubelogs.job.source;

import dev.kubelogs.job.config.ConfigChecks;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.ReadableConfig;

/** Settings of the spool source: where the spool is and how it is read. */
public final class SpoolSourceConfigOptions {
    private SpoolSourceConfigOptions() {}

    public static final ConfigOption<String> SPOOL = ConfigOptions.key("kubelogs.source.spool")
            .stringType()
            .noDefaultValue()
            .withDescription("Spool root: a directory, file:///… or s3://bucket/prefix.");

    public static final ConfigOption<Duration> DISCOVERY_INTERVAL = ConfigOptions.key(
                    "kubelogs.source.discovery-interval")
            .durationType()
            .defaultValue(Duration.ofSeconds(1))
            .withDescription("How often new segments are looked for.");

    public static final ConfigOption<Duration> DISCOVERY_LEAD = ConfigOptions.key("kubelogs.source.discovery-lead")
            .durationType()
            .defaultValue(Duration.ofMillis(500))
            .withDescription(
                    "How long before each checkpoint trigger discovery runs, so that the segments it finds are read before that checkpoint's barrier instead of waiting for the next checkpoint. Discovery keeps its interval: only its phase follows the checkpoints, learnt from their triggers, while they come every execution.checkpointing.interval and one of the two intervals is a multiple of the other. At most half the checkpoint interval (a longer lead is cut to that); 0 leaves discovery on its own timer.");

    public static final ConfigOption<Boolean> UNTIL_SEALED = ConfigOptions.key("kubelogs.source.until-sealed")
            .booleanType()
            .defaultValue(false)
            .withDescription(
                    "Finish once every node's collector has sealed its spool and all of it was delivered (demo, tests).");

    public static final ConfigOption<Boolean> KEEP_CONSUMED_SEGMENTS = ConfigOptions.key(
                    "kubelogs.source.keep-consumed-segments")
            .booleanType()
            .defaultValue(false)
            .withDescription("Do not delete segments after a checkpoint covers them.");

    public static final ConfigOption<Boolean> SPREAD_NODES = ConfigOptions.key("kubelogs.source.spread-nodes")
            .booleanType()
            .defaultValue(false)
            .withDescription(
                    "Let any reader take any node's next segment (few busy nodes, many readers): lines are then shuffled to the keyed stage by node, which restores their order.");

    public static final ConfigOption<MemorySize> QUIET_BELOW = ConfigOptions.key("kubelogs.source.quiet-below")
            .memoryType()
            .noDefaultValue()
            .withDescription(
                    "Bytes of new segments a second below which the spool is quiet: once discovery found less than this over a whole minute, the source asks Flink for checkpoints every execution.checkpointing.interval-during-backlog instead of every execution.checkpointing.interval (by reporting backlog, Flink's one lever on the interval at run time), and for the shorter interval again once it found 1.5 times this rate over 30 seconds. Each checkpoint costs the cluster the same S3 requests whatever it carries, and a quiet node's lines wait for the collector's segment age anyway. Needs both intervals, the one during backlog longer. Unset: one interval.");

    /** Every setting of this transport: one of them set with the other transport is an error naming it. */
    public static final List<ConfigOption<?>> OPTIONS = List.of(
            SPOOL, DISCOVERY_INTERVAL, DISCOVERY_LEAD, UNTIL_SEALED, KEEP_CONSUMED_SEGMENTS, SPREAD_NODES, QUIET_BELOW);

    /** The source these settings describe; {@code spoolUri} is {@link #SPOOL} as a URI. */
    public static SpoolSource source(ReadableConfig config, String spoolUri) {
        Duration discovery = ConfigChecks.longerThanZero(config, DISCOVERY_INTERVAL);
        Duration lead = ConfigChecks.notNegative(config, DISCOVERY_LEAD);
        SpoolSource source =
                SpoolSource.of(spoolUri, discovery, config.get(UNTIL_SEALED), !config.get(KEEP_CONSUMED_SEGMENTS));
        Optional<Duration> checkpoints = config.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL);
        if (checkpoints.isPresent()) {
            source = source.discoveringBeforeCheckpoints(checkpoints.get(), lead);
        }
        Optional<MemorySize> quietBelow = config.getOptional(QUIET_BELOW);
        if (quietBelow.isPresent()) {
            source = source.checkpointingLessWhenQuiet(
                    quietBelow.get().getBytes(),
                    checkpoints.orElse(null),
                    quietCheckpointInterval(config, checkpoints));
        }
        if (spoolUri.startsWith("s3://")) {
            // one LIST a pass for the whole spool, with the S3 file system's own settings
            source = source.listingS3With(S3ListingSettings.from(config));
        }
        return config.get(SPREAD_NODES) ? source.spreadingNodesOverReaders() : source;
    }

    /** The interval during backlog {@link #QUIET_BELOW} asks for: set, and longer than the checkpoint interval. */
    private static Duration quietCheckpointInterval(ReadableConfig config, Optional<Duration> checkpoints) {
        ConfigOption<Duration> duringBacklog = CheckpointingOptions.CHECKPOINTING_INTERVAL_DURING_BACKLOG;
        Optional<Duration> quiet = config.getOptional(duringBacklog);
        if (checkpoints.isEmpty() || quiet.isEmpty()) {
            throw ConfigChecks.invalid(
                    QUIET_BELOW,
                    "needs " + CheckpointingOptions.CHECKPOINTING_INTERVAL.key() + " and " + duringBacklog.key(),
                    config.get(QUIET_BELOW));
        }
        if (quiet.get().compareTo(checkpoints.get()) <= 0) {
            throw ConfigChecks.invalid(
                    QUIET_BELOW,
                    "needs " + duringBacklog.key() + " (" + quiet.get() + ") longer than "
                            + CheckpointingOptions.CHECKPOINTING_INTERVAL.key() + " (" + checkpoints.get() + ")",
                    config.get(QUIET_BELOW));
        }
        return quiet.get();
    }
}
