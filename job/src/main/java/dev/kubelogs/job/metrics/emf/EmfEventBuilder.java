package dev.kubelogs.job.metrics.emf;

import dev.kubelogs.job.metrics.config.CloudWatchAgentConfig;
import dev.kubelogs.job.metrics.config.EmfLimits;
import dev.kubelogs.job.metrics.config.EmfProcessorConfig;
import dev.kubelogs.job.metrics.config.MetricDeclaration;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.sink.cloudwatch.BatchCutter;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one {@link SeriesGroup} (one label set and type of one scrape, counters already deltas) into the EMF log
 * event(s) the CloudWatch agent writes for it to {@code /aws/containerinsights/<cluster>/prometheus} (or the
 * configured {@code log_group_name}), log stream {@link SeriesGroup#logStream}: root fields are the labels,
 * {@code ClusterName}, {@code JobName} when there is no {@code job}, {@code prom_metric_type} (see
 * {@link EventLabels}), one numeric field per metric and the timestamp; the directive (see {@link EmfFormat}) only
 * when a metric matched a declaration ({@link DeclarationMatcher}). JSON as {@link EmfJsonWriter}.
 *
 * <p>Where it does better than the agent:
 *
 * <ul>
 *   <li>An event never has more than 100 declared metrics (the agent's break EMF: #664, #1813): the declared
 *       metrics, in directive order, are cut into runs of 100, one event each, every one carrying all the labels.
 *       Undeclared plain fields go only into the first, so a value is in the log group once (a Logs Insights
 *       {@code sum()} over the field does not count it twice) and the other events are no bigger than needed.
 *   <li>An event over {@code maxEventBytes} (default 256 KiB − 26, EMF's event limit less PutLogEvents' per-event
 *       overhead) is halved, by its metrics, until every part fits; one that cannot fit even with a single metric
 *       is counted and logged, not written.
 *   <li>Histograms (the agent drops them, #593): each family's buckets become one field named after the family
 *       (its {@code _bucket} name without the suffix) holding a {@link HistogramDistribution}; declarations select
 *       it by that name. {@code _sum} and {@code _count} stay plain numeric fields, as a summary's. A histogram
 *       with no new observation gets no distribution field (an empty value list is no EMF value; the zero
 *       {@code _count} still says "no requests"); one whose buckets contradict each other neither; both counted.
 *   <li>{@code emitUndeclared(false)} keeps undeclared metrics out of the log group (#592, #1544): an event with
 *       no declared metric is not written, and undeclared fields are left out of the others; both counted.
 *   <li>NaN and infinite values (dropped and counted by the scrape stage) are skipped and counted, never written.
 * </ul>
 *
 * <p>One instance per operator instance: it reuses its JSON generator and caches; not thread-safe.
 */
public final class EmfEventBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(EmfEventBuilder.class);
    private static final long WARN_INTERVAL_NANOS = 60_000_000_000L;
    private static final String BUCKET_SUFFIX = "_bucket";
    private static final Comparator<MetricField> BY_NAME = Comparator.comparing(MetricField::name);

    /** EMF's limit of metric definitions in one directive; this stage keeps whole events within it. */
    public static final int MAX_METRICS_PER_EVENT = 100;
    /** EMF's event limit (256 KiB) less the 26 bytes PutLogEvents counts per event. */
    public static final int DEFAULT_MAX_EVENT_BYTES = 256 * 1024 - BatchCutter.EVENT_OVERHEAD_BYTES;

    public static final String DEFAULT_NAMESPACE = "ContainerInsights/Prometheus";

    private final String clusterName;
    private final String logGroup;
    private final boolean emitUndeclared;
    private final int maxEventBytes;
    private final DeclarationMatcher matcher;
    private final EmfJsonWriter writer;
    private final EmfCounters counters;
    /** The labels of the event being built, refilled for each group. */
    private final EventLabels eventLabels = EventLabels.reusable();

    private long lastOversizeWarning = System.nanoTime() - WARN_INTERVAL_NANOS;

    private EmfEventBuilder(Builder b, EmfCounters counters) {
        this.clusterName = b.clusterName;
        this.logGroup =
                b.logGroupName != null ? b.logGroupName : "/aws/containerinsights/" + b.clusterName + "/prometheus";
        this.emitUndeclared = b.emitUndeclared;
        this.maxEventBytes = b.maxEventBytes;
        this.matcher = new DeclarationMatcher(b.declarations);
        this.writer = new EmfJsonWriter(b.format, b.namespace, Map.copyOf(b.metricUnits));
        this.counters = counters;
    }

    public static Builder builder(String clusterName) {
        return new Builder(clusterName);
    }

    public String logGroup() {
        return logGroup;
    }

    /** Hands the group's event(s) to {@code out}; returns how many. */
    public int build(SeriesGroup group, Consumer<CloudWatchEvent> out) {
        EventLabels labels = eventLabels.fill(group.labels, clusterName, group.type);
        List<MetricField> fields = metricFields(group);
        if (fields.isEmpty()) {
            return 0;
        }
        List<Directive> directives = matcher.isEmpty() ? List.of() : matcher.match(labels, names(fields));
        if (directives.isEmpty()) {
            // nothing declared: every field is plain, already in name order
            if (!emitUndeclared) {
                counters.undeclaredFieldsDropped.inc(fields.size());
                counters.undeclaredEventsDropped.inc();
                return 0;
            }
            return emit(group, labels, fields, directives, out);
        }
        Map<String, MetricField> byName = new HashMap<>();
        for (MetricField f : fields) {
            byName.put(f.name(), f);
        }
        List<MetricField> declared = new ArrayList<>();
        for (int d = 0; d < directives.size(); d++) {
            for (String name : directives.get(d).metricNames()) {
                declared.add(byName.remove(name).withDirective(d));
            }
        }
        List<MetricField> plain = new ArrayList<>(byName.size());
        for (MetricField f : fields) {
            if (byName.containsKey(f.name())) {
                plain.add(f);
            }
        }
        if (!emitUndeclared && !plain.isEmpty()) {
            counters.undeclaredFieldsDropped.inc(plain.size());
            plain = List.of();
        }
        if (declared.isEmpty()) {
            if (!emitUndeclared) {
                counters.undeclaredEventsDropped.inc();
                return 0;
            }
            return emit(group, labels, plain, directives, out);
        }
        int emitted = 0;
        int runs = 0;
        for (int start = 0; start < declared.size(); start += MAX_METRICS_PER_EVENT) {
            List<MetricField> items =
                    new ArrayList<>(declared.subList(start, Math.min(declared.size(), start + MAX_METRICS_PER_EVENT)));
            if (start == 0) {
                items.addAll(plain);
            }
            emitted += emit(group, labels, items, directives, out);
            runs++;
        }
        counters.splitForMetricLimit.inc(runs - 1);
        return emitted;
    }

    private static List<String> names(List<MetricField> fields) {
        List<String> names = new ArrayList<>(fields.size());
        for (MetricField f : fields) {
            names.add(f.name());
        }
        return names;
    }

    /** Writes one event of these items (declared ones first, in directive order), halving it while too big. */
    private int emit(
            SeriesGroup group,
            EventLabels labels,
            List<MetricField> items,
            List<Directive> all,
            Consumer<CloudWatchEvent> out) {
        // a plain event (no declared item; they come first) has no directive: no list made for it
        List<Directive> parts = items.isEmpty() || items.get(0).directive() < 0 ? List.of() : new ArrayList<>(2);
        int current = -1;
        for (MetricField item : items) {
            if (item.directive() < 0) {
                break;
            }
            if (item.directive() != current) {
                current = item.directive();
                parts.add(new Directive(all.get(current).dimensionSets(), new ArrayList<>()));
            }
            parts.get(parts.size() - 1).metricNames().add(item.name());
        }
        writer.write(labels, byName(items), parts, group.timestampMs);
        if (writer.size() <= maxEventBytes) {
            // as UTF-8: neither a String decoded here nor one encoded again to cross to the sink
            out.accept(CloudWatchEvent.ofUtf8(
                    logGroup, group.logStream, group.timestampMs, writer.messageUtf8(), null, -1L, null));
            counters.events.inc();
            return 1;
        }
        if (items.size() <= 1) {
            counters.oversizeDropped.inc();
            warnOversize(group, items);
            return 0;
        }
        counters.splitForSize.inc();
        int half = items.size() / 2;
        return emit(group, labels, items.subList(0, half), all, out)
                + emit(group, labels, items.subList(half, items.size()), all, out);
    }

    /** The items sorted by name: as they are when they already are (a plain event's always are). */
    private static List<MetricField> byName(List<MetricField> items) {
        for (int i = 1; i < items.size(); i++) {
            if (items.get(i - 1).name().compareTo(items.get(i).name()) > 0) {
                List<MetricField> sorted = new ArrayList<>(items);
                sorted.sort(BY_NAME);
                return sorted;
            }
        }
        return items;
    }

    private void warnOversize(SeriesGroup group, List<MetricField> items) {
        long now = System.nanoTime();
        if (now - lastOversizeWarning >= WARN_INTERVAL_NANOS) {
            lastOversizeWarning = now;
            LOG.warn(
                    "EMF event of stream '{}' labels {} with {} is over {} bytes even alone; not written "
                            + "(counted in emfEventsOversizeDropped; further ones within a minute are only counted)",
                    group.logStream,
                    abbreviated(group.labels.toString()),
                    items.isEmpty() ? "no metric" : items.get(0).name(),
                    maxEventBytes);
        }
    }

    private static String abbreviated(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...(" + text.length() + " characters)";
    }

    /**
     * The group's metric fields, sorted by name, one per name (a later sample of a name replaces an earlier one,
     * counted); histogram buckets folded into distributions. A sorted list rather than a map: a group holds a few
     * metrics, and hashing their names was a visible part of this stage's cost (issue 14).
     */
    private List<MetricField> metricFields(SeriesGroup group) {
        List<MetricField> fields = new ArrayList<>(group.names.length);
        Map<String, List<Integer>> buckets = null;
        for (int i = 0; i < group.names.length; i++) {
            double v = group.values[i];
            if (group.upperBounds != null && !Double.isNaN(group.upperBounds[i])) {
                if (buckets == null) {
                    buckets = new LinkedHashMap<>();
                }
                buckets.computeIfAbsent(group.names[i], k -> new ArrayList<>()).add(i);
                continue;
            }
            if (!Double.isFinite(v)) {
                counters.nonFiniteSkipped.inc();
                continue;
            }
            fields.add(new MetricField(group.names[i], v, null, -1));
        }
        if (fields.size() > 1) {
            fields.sort(BY_NAME); // stable: of one name's samples, the last stays last
            int kept = 1;
            for (int r = 1; r < fields.size(); r++) {
                MetricField f = fields.get(r);
                if (fields.get(kept - 1).name().equals(f.name())) {
                    fields.set(kept - 1, f);
                    counters.duplicateNames.inc();
                } else {
                    fields.set(kept++, f);
                }
            }
            fields.subList(kept, fields.size()).clear();
        }
        if (buckets != null) {
            for (Map.Entry<String, List<Integer>> e : buckets.entrySet()) {
                addDistribution(group, e.getKey(), e.getValue(), fields);
            }
        }
        return fields;
    }

    /** The index of the field named {@code name} in {@code fields} (sorted by name), as a binary search gives it. */
    private static int indexOf(List<MetricField> fields, String name) {
        return Collections.binarySearch(fields, new MetricField(name, Double.NaN, null, -1), BY_NAME);
    }

    private void addDistribution(
            SeriesGroup group, String bucketName, List<Integer> indexes, List<MetricField> fields) {
        String family = bucketName.endsWith(BUCKET_SUFFIX)
                ? bucketName.substring(0, bucketName.length() - BUCKET_SUFFIX.length())
                : bucketName;
        int n = 0;
        double[] les = new double[indexes.size()];
        double[] cumulative = new double[indexes.size()];
        for (int i : indexes) {
            if (!Double.isFinite(group.values[i])) {
                counters.nonFiniteSkipped.inc();
                continue;
            }
            les[n] = group.upperBounds[i];
            cumulative[n++] = group.values[i];
        }
        if (n == 0) {
            return;
        }
        int sumAt = indexOf(fields, family + "_sum");
        HistogramDistribution.Result result = HistogramDistribution.of(
                les, cumulative, n, sumAt < 0 ? Double.NaN : fields.get(sumAt).value());
        switch (result.outcome()) {
            case NO_OBSERVATIONS:
                counters.histogramsWithoutObservations.inc();
                return;
            case INCONSISTENT:
                counters.histogramsInconsistent.inc();
                return;
            default:
                HistogramDistribution d = result.distribution();
                counters.histogramBucketsMerged.inc(d.merged);
                MetricField field = new MetricField(family, Double.NaN, d, -1);
                int at = indexOf(fields, family);
                if (at >= 0) {
                    fields.set(at, field);
                    counters.duplicateNames.inc();
                } else {
                    fields.add(-(at + 1), field);
                }
        }
    }

    /**
     * The settings; serializable, so an operator can carry them and build its instance in {@code open()}. Defaults
     * are the agent's: log group from the cluster, namespace {@value #DEFAULT_NAMESPACE}, no units, no
     * declarations, {@link EmfFormat#AGENT_V0}, undeclared metrics written.
     */
    public static final class Builder implements Serializable {
        private static final long serialVersionUID = 1L;

        private String clusterName;
        private String logGroupName;
        private String namespace = DEFAULT_NAMESPACE;
        private Map<String, String> metricUnits = Map.of();
        private List<MetricDeclaration> declarations = List.of();
        private EmfFormat format = EmfFormat.AGENT_V0;
        private boolean emitUndeclared = true;
        private int maxEventBytes = DEFAULT_MAX_EVENT_BYTES;

        private Builder(String clusterName) {
            this.clusterName = clusterName;
        }

        /**
         * The agent file's {@code logs.metrics_collected.prometheus}: its {@code cluster_name} (when set, over the
         * one given to {@link #builder}), {@code log_group_name}, and {@code emf_processor}'s namespace, units and
         * declarations.
         */
        public Builder agentConfig(CloudWatchAgentConfig config) {
            if (config.clusterName() != null && !config.clusterName().isEmpty()) {
                clusterName = config.clusterName();
            }
            logGroupName = config.logGroupName();
            EmfProcessorConfig emf = config.emfProcessor();
            if (emf != null) {
                if (emf.metricNamespace() != null) {
                    namespace = emf.metricNamespace();
                }
                metricUnits = emf.metricUnit() == null ? Map.of() : emf.metricUnit();
                declarations = emf.metricDeclarations() == null ? List.of() : emf.metricDeclarations();
            }
            return this;
        }

        /** Null: {@code /aws/containerinsights/<cluster>/prometheus}. */
        public Builder logGroupName(String logGroupName) {
            this.logGroupName = logGroupName;
            return this;
        }

        public Builder namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        /** {@code metric_unit}: metric name → CloudWatch unit. */
        public Builder metricUnits(Map<String, String> metricUnits) {
            this.metricUnits = metricUnits;
            return this;
        }

        public Builder declarations(List<MetricDeclaration> declarations) {
            this.declarations = declarations;
            return this;
        }

        public Builder format(EmfFormat format) {
            this.format = format;
            return this;
        }

        /** False: undeclared metrics stay out of the log group (see the class comment). Default true. */
        public Builder emitUndeclared(boolean emitUndeclared) {
            this.emitUndeclared = emitUndeclared;
            return this;
        }

        public Builder maxEventBytes(int maxEventBytes) {
            this.maxEventBytes = maxEventBytes;
            return this;
        }

        /** With counters of its own. */
        public EmfEventBuilder build() {
            return build(new EmfCounters());
        }

        /**
         * Checks the settings and compiles the declarations.
         *
         * @throws IllegalArgumentException naming what is wrong: no cluster name, an empty namespace, a unit
         *     CloudWatch does not know, a size limit out of range, or a bad declaration (see
         *     {@link DeclarationMatcher})
         */
        public EmfEventBuilder build(EmfCounters counters) {
            if (clusterName == null || clusterName.isEmpty()) {
                throw new IllegalArgumentException("EMF events need a cluster name (cluster_name or the job's)");
            }
            if (namespace == null || namespace.isEmpty() || namespace.length() > 255) {
                throw new IllegalArgumentException("emf_processor.metric_namespace must have 1 to 255 characters");
            }
            metricUnits.forEach((metric, unit) -> {
                if (!EmfLimits.UNITS.contains(unit)) {
                    throw new IllegalArgumentException(
                            "emf_processor.metric_unit." + metric + ": '" + unit + "' " + EmfLimits.notAUnit());
                }
            });
            int min = 1024;
            if (maxEventBytes < min || maxEventBytes > BatchCutter.MAX_EVENT_BYTES) {
                throw new IllegalArgumentException("maxEventBytes must be in [" + min + ", "
                        + BatchCutter.MAX_EVENT_BYTES + "], got " + maxEventBytes);
            }
            Objects.requireNonNull(format, "format");
            return new EmfEventBuilder(this, counters);
        }
    }
}
