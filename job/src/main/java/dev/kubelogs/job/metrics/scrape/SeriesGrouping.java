package dev.kubelogs.job.metrics.scrape;

import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.MetricType;
import dev.kubelogs.job.metrics.model.Sample;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges the samples of one scrape into {@link SeriesGroup}s, as the agent merges a batch
 * ({@code plugins/inputs/prometheus/utils.go} {@code mergeMetrics}): samples with the same labels (for a histogram
 * without {@code le}) and the same type are one group, in the order they were first seen, whatever their timestamps;
 * the group has the timestamp of its first sample ({@code mergePrometheusMetrics} keeps the first one's
 * {@code timeInMS}), which is the scrape time unless the job honors the samples' own. Where the samples' honored times
 * differ, the group also carries each one's ({@link SeriesGroup#sampleTimestamps}): the agent takes a counter's delta
 * against its own time, before merging ({@code metrics_handler.go} {@code handle}: {@code Calculate}, then
 * {@code mergeMetrics}). A sample whose name and labels were already seen in the scrape is counted as
 * {@link SampleDropReason#DUPLICATE_SERIES} and adds no field: a gauge's or quantile's repeat gives the field its
 * value, as the agent's merge keeps the last, a counter-like repeat does not ({@link #lastValueWins}); one whose honored
 * timestamp is more than 10 minutes after the scrape is left out as {@link SampleDropReason#OUT_OF_BOUNDS}, as
 * Prometheus' scrape appender refuses it.
 */
public final class SeriesGrouping {
    static final String DEFAULT_LOG_STREAM = "default";
    /** Prometheus' {@code maxAheadTime}: a sample stamped further ahead of the scrape is out of bounds. */
    static final long MAX_AHEAD_MS = 10 * 60_000L;

    private static final String LE = "le";
    private static final String JOB = "job";

    private SeriesGrouping() {}

    private record GroupKey(Labels labels, MetricType type) {}

    private record SeriesKey(String name, Labels labels) {}

    /**
     * @param samples the scrape's samples, target labels and metric relabeling applied
     * @param scrapeTimeMs the timestamp of samples without their own, and of all samples unless {@code honorTimestamps}
     * @param drops where duplicates are counted
     */
    public static List<SeriesGroup> group(
            List<Sample> samples, long scrapeTimeMs, boolean honorTimestamps, Map<SampleDropReason, Integer> drops) {
        return group(samples, Labels.EMPTY, scrapeTimeMs, honorTimestamps, drops);
    }

    /**
     * As {@link #group(List, long, boolean, Map)} for samples whose labels do not have the target's yet: each group's
     * labels are its samples' and {@code targetLabels} together, merged once per group rather than per sample. That
     * groups the samples as their merged labels would only when no sample has a label of a target label's name (the
     * caller's to check): then the merge is one-to-one, so equal own labels are equal merged labels and back.
     */
    public static List<SeriesGroup> group(
            List<Sample> samples,
            Labels targetLabels,
            long scrapeTimeMs,
            boolean honorTimestamps,
            Map<SampleDropReason, Integer> drops) {
        Map<GroupKey, Builder> groups = new LinkedHashMap<>();
        Map<SeriesKey, Slot> seen = new HashMap<>(samples.size() * 2);
        for (Sample s : samples) {
            long timestampMs = honorTimestamps && s.hasTimestamp() ? s.timestampMs() : scrapeTimeMs;
            if (timestampMs > scrapeTimeMs + MAX_AHEAD_MS) {
                // Prometheus' timeLimitAppender refuses it (ErrOutOfBounds) and the scrape goes on without it
                drops.merge(SampleDropReason.OUT_OF_BOUNDS, 1, Integer::sum);
                continue;
            }
            SeriesKey series = new SeriesKey(s.name(), s.labels());
            Slot earlier = seen.get(series);
            if (earlier != null) {
                if (lastValueWins(s)) {
                    earlier.builder.values[earlier.index] = s.value();
                }
                drops.merge(SampleDropReason.DUPLICATE_SERIES, 1, Integer::sum);
                continue;
            }
            boolean histogram = s.type() == MetricType.HISTOGRAM;
            Labels labels = histogram ? s.labels().without(LE) : s.labels();
            GroupKey key = new GroupKey(labels, s.type());
            Builder builder = groups.get(key);
            if (builder == null) {
                // not computeIfAbsent: its lambda would capture the timestamp, an allocation per sample
                builder = new Builder(timestampMs);
                groups.put(key, builder);
            }
            seen.put(series, new Slot(builder, builder.names.size()));
            builder.add(s.name(), s.value(), histogram ? upperBound(s.labels().get(LE)) : Double.NaN, timestampMs);
        }
        List<SeriesGroup> result = new ArrayList<>(groups.size());
        groups.forEach((key, b) -> result.add(b.build(key.labels.union(targetLabels), key.type)));
        return result;
    }

    /**
     * Whether a repeat of a series in the scrape replaces its value. The agent's appender caches no series (its
     * {@code Append} returns ref 0, so Prometheus' {@code scrapeCache.addRef} keeps nothing and never finds a repeat),
     * so every repeat reaches its batch, and {@code mergePrometheusMetrics} sets the field of each in turn: the last one's
     * value is what the event carries. For a gauge or a summary quantile that is the repeat's value. For a counter-like
     * sample (a counter, a histogram, a summary's {@code _sum}/{@code _count}) it is what the agent's delta calculator
     * made of a sample not newer than the one before it, the raw cumulative value, which the delta stage never emits;
     * there the first stays, as the delta stage would have dropped the repeat ({@code DeltaCalculator}).
     */
    private static boolean lastValueWins(Sample s) {
        return switch (s.type()) {
            case GAUGE -> true;
            case SUMMARY -> !s.name().endsWith("_sum") && !s.name().endsWith("_count");
            default -> false;
        };
    }

    private record Slot(Builder builder, int index) {}

    /** A bucket's {@code le} as a number ({@code +Inf} included); NaN for {@code _sum}, {@code _count}. */
    private static double upperBound(String le) {
        if (le == null) {
            return Double.NaN;
        }
        try {
            switch (le) {
                case "+Inf":
                case "Inf":
                    return Double.POSITIVE_INFINITY;
                case "-Inf":
                    return Double.NEGATIVE_INFINITY;
                default:
                    return Double.parseDouble(le);
            }
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static final class Builder {
        private final long timestampMs;
        final List<String> names = new ArrayList<>(4);
        double[] values = new double[4];
        private double[] upperBounds = new double[4];
        /** Each sample's time, made only once a sample's time differs from the group's. */
        private long[] sampleTimestamps;

        Builder(long timestampMs) {
            this.timestampMs = timestampMs;
        }

        void add(String name, double value, double upperBound, long sampleTimestampMs) {
            int i = names.size();
            if (i == values.length) {
                values = Arrays.copyOf(values, 2 * i);
                upperBounds = Arrays.copyOf(upperBounds, 2 * i);
                if (sampleTimestamps != null) {
                    sampleTimestamps = Arrays.copyOf(sampleTimestamps, 2 * i);
                }
            }
            if (sampleTimestamps == null && sampleTimestampMs != timestampMs) {
                sampleTimestamps = new long[values.length];
                Arrays.fill(sampleTimestamps, 0, i, timestampMs);
            }
            names.add(name);
            values[i] = value;
            upperBounds[i] = upperBound;
            if (sampleTimestamps != null) {
                sampleTimestamps[i] = sampleTimestampMs;
            }
        }

        SeriesGroup build(Labels labels, MetricType type) {
            int n = names.size();
            String job = labels.get(JOB);
            SeriesGroup group = new SeriesGroup(
                    job == null ? DEFAULT_LOG_STREAM : job,
                    labels,
                    type,
                    timestampMs,
                    names.toArray(new String[0]),
                    Arrays.copyOf(values, n),
                    type == MetricType.HISTOGRAM ? Arrays.copyOf(upperBounds, n) : null);
            group.sampleTimestamps = sampleTimestamps == null ? null : Arrays.copyOf(sampleTimestamps, n);
            return group;
        }
    }
}
