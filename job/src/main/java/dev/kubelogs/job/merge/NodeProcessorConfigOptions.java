package dev.kubelogs.job.merge;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Settings of the keyed stage (order, dedupe, parse, multiline, enrichment, routing); read by {@code JobOptions}. */
public final class NodeProcessorConfigOptions {
    private NodeProcessorConfigOptions() {}

    public static final ConfigOption<String> LOG_GROUP_PREFIX = ConfigOptions.key("kubelogs.log-group-prefix")
            .stringType()
            .defaultValue("/aws/containerinsights")
            .withDescription("Log groups are <prefix>/<cluster>/{application,host,dataplane}.");

    public static final ConfigOption<Duration> MULTILINE_FLUSH_TIMEOUT = ConfigOptions.key(
                    "kubelogs.multiline.flush-timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(4))
            .withDescription(
                    "Flush a pending multiline record after this long without a continuation (Fluent Bit's flush_timeout).");

    /**
     * Fluent Bit's flush as the collectors' segments let the job decide it: a segment that states its collector's
     * caught-up time completes every pending record whose stream read nothing for this long before that time. Only
     * segments that state no such time, and nodes that stop sending, wait for {@link #MULTILINE_FLUSH_TIMEOUT}.
     */
    public static final ConfigOption<Duration> MULTILINE_IDLE_FLUSH = ConfigOptions.key("kubelogs.multiline.idle-flush")
            .durationType()
            .defaultValue(Duration.ofSeconds(4))
            .withDescription(
                    "A pending multiline record is complete when its stream read nothing for this long before a "
                            + "segment's caught-up time (Fluent Bit's 4-s flush, decided from the segments).");

    public static final ConfigOption<Boolean> STACK_TRACE_JOINING = ConfigOptions.key(
                    "kubelogs.multiline.stack-trace-joining")
            .booleanType()
            .defaultValue(true)
            .withDescription(
                    "Join java/python/go stack traces of application logs (runtime partial lines are always joined).");

    public static final ConfigOption<String> MULTILINE_RULES = ConfigOptions.key("kubelogs.multiline.rules-file")
            .stringType()
            .noDefaultValue()
            .withDescription("User multiline rule sets (JSON), tried first for the containers they select.");

    /**
     * Fluent Bit's multiline_buffer_limit "2MB", which it counts as 2,000,000 bytes. A record flushed at it leaves as
     * two CloudWatch events ({@link OversizeEvents#SPLIT}), a third only when escapes or metadata need it. Not lower:
     * a Docker line the collector split is parsed only once whole (its time comes last), and this limit bounds it.
     */
    public static final ConfigOption<Integer> MAX_RECORD_BYTES = ConfigOptions.key(
                    "kubelogs.multiline.max-record-bytes")
            .intType()
            .defaultValue(2_000_000)
            .withDescription(
                    "A joined record is flushed and marked multiline_truncated at this size, the rest following "
                            + "as the next record (Fluent Bit's multiline_buffer_limit).");

    public static final ConfigOption<OversizeEvents> OVERSIZE_EVENTS = ConfigOptions.key("kubelogs.oversize-events")
            .enumType(OversizeEvents.class)
            .defaultValue(OversizeEvents.SPLIT)
            .withDescription(
                    "An event over CloudWatch's 1,048,550 bytes: SPLIT into consecutive events with a kubelogs_part "
                            + "index (nothing lost), TRUNCATE (cut with a marker, bytes lost) or DEAD_LETTER.");

    public static final ConfigOption<Duration> METADATA_WAIT = ConfigOptions.key("kubelogs.enrich.metadata-wait")
            .durationType()
            .defaultValue(Duration.ofSeconds(10))
            .withDescription(
                    "How long a line waits for its pod's metadata before it leaves with the file name's fields.");

    public static final ConfigOption<Integer> MAX_AWAITING_EVENTS_PER_NODE = ConfigOptions.key(
                    "kubelogs.enrich.max-awaiting-events-per-node")
            .intType()
            .defaultValue(10_000)
            .withDescription(
                    "Lines of one node waiting for pod metadata at most; more leave at once with the file name's fields.");

    public static final ConfigOption<Boolean> KUBERNETES_LABELS = ConfigOptions.key("kubelogs.enrich.kubernetes-labels")
            .booleanType()
            .defaultValue(false)
            .withDescription("Add pod labels to the kubernetes block (Container Insights: off).");

    public static final ConfigOption<Boolean> KUBERNETES_ANNOTATIONS = ConfigOptions.key(
                    "kubelogs.enrich.kubernetes-annotations")
            .booleanType()
            .defaultValue(false)
            .withDescription("Add pod annotations to the kubernetes block (Container Insights: off).");

    /**
     * The parsers a pod's {@code fluentbit.io/parser} annotations may name: a Fluent Bit parsers file ([PARSER]
     * sections, formats regex and json), which takes the place of Container Insights' parsers.conf as the
     * ConfigMap's parsers.conf would ({@code dev.kubelogs.job.parse.ParsersFile} lists what it accepts).
     */
    public static final ConfigOption<String> PARSERS_FILE = ConfigOptions.key("kubelogs.enrich.parsers-file")
            .stringType()
            .noDefaultValue()
            .withDescription(
                    "Fluent Bit parsers file ([PARSER] sections, regex or json) whose parsers pods may name with the "
                            + "fluentbit.io/parser annotations, in place of Container Insights' parsers.conf "
                            + "(syslog, container_firstline, cwagent_firstline).");

    public static final ConfigOption<Duration> SEGMENT_GAP_TIMEOUT = ConfigOptions.key(
                    "kubelogs.order.segment-gap-timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(30))
            .withDescription(
                    "How long later segments of a node wait for a missing earlier one before the gap is skipped.");

    public static final ConfigOption<Duration> FILE_STATE_TTL = ConfigOptions.key("kubelogs.dedupe.file-state-ttl")
            .durationType()
            .defaultValue(Duration.ofDays(7))
            .withDescription("Per-file replay positions of files that stopped growing are forgotten after this long.");
}
