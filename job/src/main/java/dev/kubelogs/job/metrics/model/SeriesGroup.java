package dev.kubelogs.job.metrics.model;

import java.util.Arrays;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;
import org.apache.flink.api.java.tuple.Tuple2;

/**
 * The samples of one scrape that become one log event: same label set (after {@code metric_relabel_configs}, with
 * the target's labels; {@code __name__} removed, and {@code le} removed for a histogram's buckets) and same type,
 * as the agent merges them (reference §5.5: a summary's {@code _sum} and {@code _count} share an event; each quantile
 * is its own). The names and values are parallel arrays; for a histogram {@code upperBounds[i]} is the {@code le} of
 * bucket sample {@code i} and NaN for its {@code _sum}/{@code _count}; null for other types.
 *
 * <p>{@code logStream} is the event's log stream (the {@code job} label, or {@code default}); {@code timestampMs}
 * is the scrape time, or the first sample's own timestamp when the job honors timestamps (the agent keeps one
 * timestamp per merged label set). {@code sampleTimestamps} is null when every sample has that time, else each
 * sample's own (honored) time, parallel to {@code names}: the agent's delta calculation compares each sample's own
 * time with the stored one ({@code plugins/inputs/prometheus/delta_calculator.go}, {@code pm.timeInMS}).
 *
 * <p>{@code seriesKey} is the delta stage's key of the group once its key selector has computed it (null before):
 * the partitioner computes it on the sending side and the serializer carries it, so the keyed operator does not
 * hash the labels again. It is derived from {@code logStream}, {@code labels} and {@code type}, and not part of the
 * group's equality.
 *
 * <p>Not written after it was made: whoever makes a group (the scrape source's grouping and its layouts, the delta
 * calculator, the serializer) fills it before it passes it on, and nothing writes its fields or arrays after that;
 * only {@link #seriesKey} is filled in once, by the first who asks for the key (a value derived from the fields, the
 * same whoever computes it). Arrays may be shared between groups (a layout's names and upper bounds go into every
 * scrape's groups). Flink's copy between chained operators (object reuse is off) is therefore the group itself
 * ({@link SeriesGroupSerializer#copy}): the delta and EMF stages share it, as the source and router share its
 * batch. Code that needs other values makes a new group.
 */
@TypeInfo(SeriesGroupSerializer.Factory.class)
public final class SeriesGroup {
    public String logStream;
    public Labels labels;
    public MetricType type;
    public long timestampMs;
    public String[] names;
    public double[] values;
    public double[] upperBounds;
    public long[] sampleTimestamps;
    public Tuple2<Long, Long> seriesKey;

    public SeriesGroup() {}

    public SeriesGroup(
            String logStream,
            Labels labels,
            MetricType type,
            long timestampMs,
            String[] names,
            double[] values,
            double[] upperBounds) {
        this.logStream = logStream;
        this.labels = labels;
        this.type = type;
        this.timestampMs = timestampMs;
        this.names = names;
        this.values = values;
        this.upperBounds = upperBounds;
    }

    public int size() {
        return names.length;
    }

    /** The time of sample {@code i}: its own when the group has per-sample times, else the group's. */
    public long timestampOf(int i) {
        return sampleTimestamps == null ? timestampMs : sampleTimestamps[i];
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SeriesGroup)) {
            return false;
        }
        SeriesGroup g = (SeriesGroup) o;
        return timestampMs == g.timestampMs
                && Objects.equals(logStream, g.logStream)
                && Objects.equals(labels, g.labels)
                && type == g.type
                && Arrays.equals(names, g.names)
                && Arrays.equals(values, g.values)
                && Arrays.equals(upperBounds, g.upperBounds)
                && Arrays.equals(sampleTimestamps, g.sampleTimestamps);
    }

    @Override
    public int hashCode() {
        return Objects.hash(logStream, labels, type, timestampMs, Arrays.hashCode(names));
    }

    @Override
    public String toString() {
        return logStream + " " + type.promMetricType() + labels + " @" + timestampMs + " " + Arrays.toString(names)
                + "=" + Arrays.toString(values);
    }
}
