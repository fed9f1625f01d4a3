package dev.kubelogs.job.metrics.model;

import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * Groups that cross the network into the delta stage as one record: the scrape source emits a scrape's groups as one
 * batch, and the delta router ({@code DeltaRouter}) splits it into one batch per delta subtask that owns some of its
 * series. Flink's cost per record (serializer framing, channel selection, buffers, the receiving task's mailbox and
 * input loop) is then paid per scrape and subtask rather than per label set, of which a scrape has hundreds.
 *
 * <p>{@code subtask} is the delta subtask every group of the batch belongs to among {@code parallelism}, or
 * {@link #UNROUTED} (a whole scrape, before routing).
 */
@TypeInfo(SeriesBatchSerializer.Factory.class)
public final class SeriesBatch {
    public static final int UNROUTED = -1;

    public int subtask;
    public int parallelism;
    public List<SeriesGroup> groups;

    public SeriesBatch() {}

    public SeriesBatch(int subtask, int parallelism, List<SeriesGroup> groups) {
        this.subtask = subtask;
        this.parallelism = parallelism;
        this.groups = groups;
    }

    /** A scrape's groups, not routed yet. */
    public static SeriesBatch unrouted(List<SeriesGroup> groups) {
        return new SeriesBatch(UNROUTED, 0, groups);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeriesBatch b
                && subtask == b.subtask
                && parallelism == b.parallelism
                && Objects.equals(groups, b.groups);
    }

    @Override
    public int hashCode() {
        return Objects.hash(subtask, parallelism, groups);
    }

    @Override
    public String toString() {
        return "SeriesBatch[subtask " + subtask + " of " + parallelism + ", " + (groups == null ? 0 : groups.size())
                + " groups]";
    }
}
