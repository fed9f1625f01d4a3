package dev.kubelogs.job.metrics.delta;

import dev.kubelogs.job.metrics.model.SeriesGroup;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;

/**
 * The key of the delta stage: one key per (log stream, label set, type), as a 128-bit hash in two longs
 * ({@link SeriesHashes#seriesKey}). A key of 16 bytes rather than the label string (often 300+ bytes of pod, namespace
 * and instance labels) keeps the state of a series small: RocksDB stores the key with every state entry. The key is
 * kept in the group ({@link SeriesGroup#seriesKey}): the partitioner and the keyed operator both ask for it, and the
 * group's serializer carries it from one to the other, so each group is hashed once.
 */
public final class SeriesGroupKey
        implements KeySelector<SeriesGroup, Tuple2<Long, Long>>, ResultTypeQueryable<Tuple2<Long, Long>> {
    private static final long serialVersionUID = 1L;
    /** The key type; a tuple of two longs serializes as exactly 16 bytes and hashes the same in every JVM. */
    public static final TypeInformation<Tuple2<Long, Long>> TYPE = Types.TUPLE(Types.LONG, Types.LONG);

    @Override
    public Tuple2<Long, Long> getKey(SeriesGroup group) {
        return of(group);
    }

    /** The key of {@code group}, hashed once and kept in it. */
    public static Tuple2<Long, Long> of(SeriesGroup group) {
        Tuple2<Long, Long> key = group.seriesKey;
        if (key == null) {
            key = SeriesHashes.seriesKey(group);
            group.seriesKey = key;
        }
        return key;
    }

    @Override
    public TypeInformation<Tuple2<Long, Long>> getProducedType() {
        return TYPE;
    }
}
