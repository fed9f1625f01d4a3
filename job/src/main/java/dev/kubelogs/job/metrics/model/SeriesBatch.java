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
 *
 * <p>Not written after it was made: final fields, and neither the list (the source's is {@code List.copyOf} of a
 * scrape's groups, the router's are new for every batch it emits) nor its groups ({@link SeriesGroup}) are changed
 * by whoever made or received them. Flink's copy between chained operators (object reuse is off) is therefore the
 * batch itself ({@link SeriesBatchSerializer#copy}): the source and the router share it.
 *
 * <p>{@code constants}, when not null, is the encoded constant part of the first {@link ConstantBlock#groups()} groups
 * (everything but their times and values), which the router keeps per scrape layout and subtask
 * ({@link LayoutGroups}); the serializer writes it as it is instead of encoding those groups' strings again. It is
 * derived from the groups and not part of the batch's equality.
 */
@TypeInfo(SeriesBatchSerializer.Factory.class)
public final class SeriesBatch {
    public static final int UNROUTED = -1;

    public final int subtask;
    public final int parallelism;
    public final List<SeriesGroup> groups;
    public final ConstantBlock constants;

    /** A batch of no groups (null) for no subtask, as the serializer's empty instance. */
    public SeriesBatch() {
        this(0, 0, null);
    }

    public SeriesBatch(int subtask, int parallelism, List<SeriesGroup> groups) {
        this(subtask, parallelism, groups, null);
    }

    /** @param constants the encoded constant part of the first {@link ConstantBlock#groups()} groups, or null */
    public SeriesBatch(int subtask, int parallelism, List<SeriesGroup> groups, ConstantBlock constants) {
        if (constants != null && (groups == null || constants.groups() > groups.size())) {
            throw new IllegalArgumentException("a constant block of " + constants.groups() + " groups for "
                    + (groups == null ? 0 : groups.size()));
        }
        this.subtask = subtask;
        this.parallelism = parallelism;
        this.groups = groups;
        this.constants = constants;
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
