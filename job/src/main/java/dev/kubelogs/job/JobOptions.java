package dev.kubelogs.job;

import dev.kubelogs.job.merge.SelectedRuleSet;
import dev.kubelogs.job.route.JournalRouting;
import dev.kubelogs.job.route.RoutingRules;
import dev.kubelogs.job.sink.cloudwatch.BatchCutter;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/** The knobs of the keyed stage; the Container Insights defaults unless configured otherwise. */
public final class JobOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String DEFAULT_GROUP_PREFIX = "/aws/containerinsights";
    /**
     * Default record limit: Fluent Bit's multiline_buffer_limit "2MB", which it counts as 2,000,000 bytes. A record
     * flushed at it leaves as two CloudWatch events (see {@link OversizeEvents#SPLIT}), a third only when escapes
     * or metadata need it. Not lower: a Docker line the collector split is parsed only once whole (its time comes
     * last), and this limit bounds it.
     */
    public static final int DEFAULT_MAX_RECORD_BYTES = 2_000_000;

    /** What the job does with an event over CloudWatch's event size. */
    public enum OversizeEvents {
        /** Split it into consecutive events that each fit (nothing lost; the default). */
        SPLIT,
        /** Leave it whole: the sink cuts it to the limit with a marker (bytes are lost). */
        TRUNCATE,
        /** Leave it whole: the sink sends it to the dead letter. */
        DEAD_LETTER
    }

    private final String logGroupPrefix;
    private final RoutingRules routingRules;
    private final JournalRouting journalRouting;
    private final Duration multilineFlushTimeout;
    private boolean stackTraceJoining = true;
    private List<SelectedRuleSet> userRuleSets = List.of();
    private int maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;
    private OversizeEvents oversizeEvents = OversizeEvents.SPLIT;
    private int maxEventBytes = BatchCutter.MAX_EVENT_BYTES;
    private Duration metadataWait = Duration.ofSeconds(10);
    private int maxAwaitingEventsPerNode = 10_000;
    private boolean kubernetesLabels;
    private boolean kubernetesAnnotations;
    private Duration segmentGapTimeout = Duration.ofSeconds(30);
    private Duration fileStateTtl = Duration.ofDays(7);

    public JobOptions(
            String logGroupPrefix, RoutingRules routingRules, JournalRouting journalRouting, Duration multilineFlushTimeout) {
        this.logGroupPrefix = logGroupPrefix;
        this.routingRules = routingRules;
        this.journalRouting = journalRouting;
        this.multilineFlushTimeout = multilineFlushTimeout;
    }

    public static JobOptions defaults() {
        return new JobOptions(
                DEFAULT_GROUP_PREFIX,
                RoutingRules.containerInsightsDefaults(),
                JournalRouting.containerInsightsDefaults(),
                Duration.ofSeconds(4));
    }

    /** Java/python/go stack traces joined for application logs (on by default; the incumbent needs a filter). */
    public JobOptions stackTraceJoining(boolean on) {
        this.stackTraceJoining = on;
        return this;
    }

    /** User rule sets, tried before the built-in ones for the containers they select. */
    public JobOptions userRuleSets(List<SelectedRuleSet> sets) {
        this.userRuleSets = List.copyOf(sets);
        return this;
    }

    /**
     * A joined record is flushed (and marked multiline_truncated) at this size, the rest following as the next
     * record; default {@link #DEFAULT_MAX_RECORD_BYTES}.
     */
    public JobOptions maxRecordBytes(int bytes) {
        this.maxRecordBytes = bytes;
        return this;
    }

    /** What happens to an event over {@code maxEventBytes} (UTF-8 bytes; default and ceiling: CloudWatch's). */
    public JobOptions oversizeEvents(OversizeEvents policy, int maxEventBytes) {
        if (maxEventBytes < 64 || maxEventBytes > BatchCutter.MAX_EVENT_BYTES) {
            throw new IllegalArgumentException(
                    "maxEventBytes must be in [64, " + BatchCutter.MAX_EVENT_BYTES + "], got " + maxEventBytes);
        }
        this.oversizeEvents = policy;
        this.maxEventBytes = maxEventBytes;
        return this;
    }

    /** How long an application line waits for its pod's metadata before it leaves with the file name's fields. */
    public JobOptions metadataWait(Duration wait, int maxEventsPerNode) {
        this.metadataWait = wait;
        this.maxAwaitingEventsPerNode = maxEventsPerNode;
        return this;
    }

    /** Labels and annotations in the kubernetes block (off, like Container Insights' Labels Off / Annotations Off). */
    public JobOptions kubernetesLabelsAndAnnotations(boolean labels, boolean annotations) {
        this.kubernetesLabels = labels;
        this.kubernetesAnnotations = annotations;
        return this;
    }

    /** How long later segments of a node wait for a missing earlier one before the gap is skipped. */
    public JobOptions segmentGapTimeout(Duration timeout) {
        this.segmentGapTimeout = timeout;
        return this;
    }

    /** Per-file replay positions of files that stopped growing are forgotten after this long. */
    public JobOptions fileStateTtl(Duration ttl) {
        this.fileStateTtl = ttl;
        return this;
    }

    public boolean stackTraceJoining() {
        return stackTraceJoining;
    }

    public List<SelectedRuleSet> userRuleSets() {
        return userRuleSets;
    }

    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    public OversizeEvents oversizeEvents() {
        return oversizeEvents;
    }

    public boolean splitsOversizeEvents() {
        return oversizeEvents == OversizeEvents.SPLIT;
    }

    public int maxEventBytes() {
        return maxEventBytes;
    }

    public Duration metadataWait() {
        return metadataWait;
    }

    public int maxAwaitingEventsPerNode() {
        return maxAwaitingEventsPerNode;
    }

    public boolean kubernetesLabels() {
        return kubernetesLabels;
    }

    public boolean kubernetesAnnotations() {
        return kubernetesAnnotations;
    }

    public Duration segmentGapTimeout() {
        return segmentGapTimeout;
    }

    public Duration fileStateTtl() {
        return fileStateTtl;
    }

    public String logGroupPrefix() {
        return logGroupPrefix;
    }

    public RoutingRules routingRules() {
        return routingRules;
    }

    public JournalRouting journalRouting() {
        return journalRouting;
    }

    public Duration multilineFlushTimeout() {
        return multilineFlushTimeout;
    }
}
