package dev.kubelogs.job;

import static dev.kubelogs.job.merge.NodeProcessorConfigOptions.FILE_STATE_TTL;
import static dev.kubelogs.job.merge.NodeProcessorConfigOptions.KUBERNETES_ANNOTATIONS;
import static dev.kubelogs.job.merge.NodeProcessorConfigOptions.KUBERNETES_LABELS;
import static dev.kubelogs.job.merge.NodeProcessorConfigOptions.LOG_GROUP_PREFIX;
import static dev.kubelogs.job.merge.NodeProcessorConfigOptions.MAX_AWAITING_EVENTS_PER_NODE;
import static dev.kubelogs.job.merge.NodeProcessorConfigOptions.MAX_RECORD_BYTES;
import static dev.kubelogs.job.merge.NodeProcessorConfigOptions.METADATA_WAIT;
import static dev.kubelogs.job.merge.NodeProcessorConfigOptions.MULTILINE_FLUSH_TIMEOUT;
import static dev.kubelogs.job.merge.NodeProcessorConfigOptions.MULTILINE_IDLE_FLUSH;
import static dev.kubelogs.job.merge.NodeProcessorConfigOptions.MULTILINE_RULES;
import static dev.kubelogs.job.merge.NodeProcessorConfigOptions.OVERSIZE_EVENTS;
import static dev.kubelogs.job.merge.NodeProcessorConfigOptions.PARSERS_FILE;
import static dev.kubelogs.job.merge.NodeProcessorConfigOptions.SEGMENT_GAP_TIMEOUT;
import static dev.kubelogs.job.merge.NodeProcessorConfigOptions.STACK_TRACE_JOINING;

import dev.kubelogs.job.config.ConfigChecks;
import dev.kubelogs.job.merge.OversizeEvents;
import dev.kubelogs.job.multiline.RuleSetsFile;
import dev.kubelogs.job.multiline.SelectedRuleSet;
import dev.kubelogs.job.parse.Parsers;
import dev.kubelogs.job.parse.ParsersFile;
import dev.kubelogs.job.route.JournalRouting;
import dev.kubelogs.job.route.RoutingRules;
import dev.kubelogs.job.sink.cloudwatch.BatchCutter;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The keyed stage's settings, immutable: {@link #from(ReadableConfig)} reads {@code NodeProcessorConfigOptions}
 * (the defaults are the Container Insights ones and live there); each {@code with…} method returns a changed copy.
 */
public final class JobOptions implements Serializable {
    private static final long serialVersionUID = 3L;

    public static final String DEFAULT_GROUP_PREFIX = LOG_GROUP_PREFIX.defaultValue();
    public static final int DEFAULT_MAX_RECORD_BYTES = MAX_RECORD_BYTES.defaultValue();

    private final String logGroupPrefix;
    private final RoutingRules routingRules;
    private final JournalRouting journalRouting;
    private final Duration multilineFlushTimeout;
    private final Duration multilineIdleFlush;
    private final boolean stackTraceJoining;
    private final List<SelectedRuleSet> userRuleSets;
    private final int maxRecordBytes;
    private final OversizeEvents oversizeEvents;
    private final int maxEventBytes = BatchCutter.MAX_EVENT_BYTES;
    private final Duration metadataWait;
    private final int maxAwaitingEventsPerNode;
    private final boolean kubernetesLabels;
    private final boolean kubernetesAnnotations;
    private final Duration segmentGapTimeout;
    private final Duration fileStateTtl;
    private final Parsers parsers;

    private JobOptions(ReadableConfig config, List<SelectedRuleSet> userRuleSets, Parsers parsers) {
        this.logGroupPrefix = config.get(LOG_GROUP_PREFIX);
        this.routingRules = RoutingRules.containerInsightsDefaults();
        this.journalRouting = JournalRouting.containerInsightsDefaults();
        this.multilineFlushTimeout = ConfigChecks.longerThanZero(config, MULTILINE_FLUSH_TIMEOUT);
        this.multilineIdleFlush = ConfigChecks.longerThanZero(config, MULTILINE_IDLE_FLUSH);
        this.stackTraceJoining = config.get(STACK_TRACE_JOINING);
        this.userRuleSets = List.copyOf(userRuleSets);
        this.maxRecordBytes = ConfigChecks.atLeast(config, MAX_RECORD_BYTES, 1);
        this.oversizeEvents = config.get(OVERSIZE_EVENTS);
        this.metadataWait = ConfigChecks.notNegative(config, METADATA_WAIT);
        this.maxAwaitingEventsPerNode = ConfigChecks.atLeast(config, MAX_AWAITING_EVENTS_PER_NODE, 0);
        this.kubernetesLabels = config.get(KUBERNETES_LABELS);
        this.kubernetesAnnotations = config.get(KUBERNETES_ANNOTATIONS);
        this.segmentGapTimeout = ConfigChecks.notNegative(config, SEGMENT_GAP_TIMEOUT);
        this.fileStateTtl = ConfigChecks.longerThanZero(config, FILE_STATE_TTL);
        this.parsers = parsers;
    }

    /** The settings in {@code config}, with the rule sets of its rules file and the parsers of its parsers file read. */
    public static JobOptions from(ReadableConfig config) throws IOException {
        String rules = config.get(MULTILINE_RULES);
        return new JobOptions(
                config,
                rules == null ? List.of() : RuleSetsFile.read(Path.of(rules)),
                parsers(config.get(PARSERS_FILE)));
    }

    /** Container Insights' parsers.conf, or the parsers file in its place; an IOException naming the file. */
    static Parsers parsers(String file) throws IOException {
        if (file == null) {
            return Parsers.defaults();
        }
        try {
            return Parsers.of(ParsersFile.read(Path.of(file)));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** The Container Insights defaults. */
    public static JobOptions defaults() {
        return new JobOptions(new Configuration(), List.of(), Parsers.defaults());
    }

    private JobOptions with(java.util.function.Consumer<Configuration> change, List<SelectedRuleSet> ruleSets) {
        return with(change, ruleSets, parsers);
    }

    private JobOptions with(
            java.util.function.Consumer<Configuration> change, List<SelectedRuleSet> ruleSets, Parsers parsers) {
        Configuration config = toConfiguration();
        change.accept(config);
        return new JobOptions(config, ruleSets, parsers);
    }

    /** These settings as configuration (without the rules and parsers files: their contents are carried as read). */
    private Configuration toConfiguration() {
        Configuration c = new Configuration();
        c.set(LOG_GROUP_PREFIX, logGroupPrefix);
        c.set(MULTILINE_FLUSH_TIMEOUT, multilineFlushTimeout);
        c.set(MULTILINE_IDLE_FLUSH, multilineIdleFlush);
        c.set(STACK_TRACE_JOINING, stackTraceJoining);
        c.set(MAX_RECORD_BYTES, maxRecordBytes);
        c.set(OVERSIZE_EVENTS, oversizeEvents);
        c.set(METADATA_WAIT, metadataWait);
        c.set(MAX_AWAITING_EVENTS_PER_NODE, maxAwaitingEventsPerNode);
        c.set(KUBERNETES_LABELS, kubernetesLabels);
        c.set(KUBERNETES_ANNOTATIONS, kubernetesAnnotations);
        c.set(SEGMENT_GAP_TIMEOUT, segmentGapTimeout);
        c.set(FILE_STATE_TTL, fileStateTtl);
        return c;
    }

    /** Java/python/go stack traces joined for application logs (on by default; the incumbent needs a filter). */
    public JobOptions stackTraceJoining(boolean on) {
        return with(c -> c.set(STACK_TRACE_JOINING, on), userRuleSets);
    }

    /** User rule sets, tried before the built-in ones for the containers they select. */
    public JobOptions userRuleSets(List<SelectedRuleSet> sets) {
        return with(c -> {}, sets);
    }

    /** The parsers pods may name with fluentbit.io/parser annotations, in place of Container Insights' parsers.conf. */
    public JobOptions parsers(Parsers named) {
        return with(c -> {}, userRuleSets, named);
    }

    /** A joined record is flushed (and marked multiline_truncated) at this size, the rest following as the next record. */
    public JobOptions maxRecordBytes(int bytes) {
        return with(c -> c.set(MAX_RECORD_BYTES, bytes), userRuleSets);
    }

    /** What happens to an event over CloudWatch's event size. */
    public JobOptions oversizeEvents(OversizeEvents policy) {
        return with(c -> c.set(OVERSIZE_EVENTS, policy), userRuleSets);
    }

    /** How long an application line waits for its pod's metadata before it leaves with the file name's fields. */
    public JobOptions metadataWait(Duration wait, int maxEventsPerNode) {
        return with(
                c -> {
                    c.set(METADATA_WAIT, wait);
                    c.set(MAX_AWAITING_EVENTS_PER_NODE, maxEventsPerNode);
                },
                userRuleSets);
    }

    /** Labels and annotations in the kubernetes block (off, like Container Insights' Labels Off / Annotations Off). */
    public JobOptions kubernetesLabelsAndAnnotations(boolean labels, boolean annotations) {
        return with(
                c -> {
                    c.set(KUBERNETES_LABELS, labels);
                    c.set(KUBERNETES_ANNOTATIONS, annotations);
                },
                userRuleSets);
    }

    /** How long later segments of a node wait for a missing earlier one before the gap is skipped. */
    public JobOptions segmentGapTimeout(Duration timeout) {
        return with(c -> c.set(SEGMENT_GAP_TIMEOUT, timeout), userRuleSets);
    }

    /** Per-file replay positions of files that stopped growing are forgotten after this long. */
    public JobOptions fileStateTtl(Duration ttl) {
        return with(c -> c.set(FILE_STATE_TTL, ttl), userRuleSets);
    }

    /** Pending multiline records are flushed after this long without a continuation. */
    public JobOptions multilineFlushTimeout(Duration timeout) {
        return with(c -> c.set(MULTILINE_FLUSH_TIMEOUT, timeout), userRuleSets);
    }

    /** Log groups are {@code <prefix>/<cluster>/<category>}. */
    public JobOptions logGroupPrefix(String prefix) {
        return with(c -> c.set(LOG_GROUP_PREFIX, prefix), userRuleSets);
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

    /** CloudWatch's event size: events over it are split (or, when asked, left to the sink). */
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

    /** The parsers pods may name with fluentbit.io/parser annotations. */
    public Parsers parsers() {
        return parsers;
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

    public Duration multilineIdleFlush() {
        return multilineIdleFlush;
    }
}
