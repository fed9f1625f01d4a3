package dev.kubelogs.job.metrics.delta;

import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.shaded.guava33.com.google.common.hash.HashFunction;
import org.apache.flink.shaded.guava33.com.google.common.hash.Hasher;
import org.apache.flink.shaded.guava33.com.google.common.hash.Hashing;

/**
 * The hashes that stand for strings in the delta state, so that a series costs a fixed few bytes there however
 * long its labels are. Both are MurmurHash3 x64 128-bit (seed 0), a fixed algorithm: the values are part of
 * savepoints and must never change (the state-compatibility test pins them).
 *
 * <ul>
 *   <li>{@link #seriesKey}: 128 bits of (log stream, type, labels). Two live series collide with a probability of
 *       about n²/2¹²⁹ (10⁻²⁷ for a million series); a collision would merge the two series' previous values.</li>
 *   <li>{@link #metricId}: 64 bits of (sample name, bucket bound) within one key's state, which holds a few to a
 *       few hundred metrics.</li>
 * </ul>
 * Every string is fed with its length first, so no two different inputs run together into the same bytes.
 */
final class SeriesHashes {
    private static final HashFunction MURMUR3 = Hashing.murmur3_128();

    private SeriesHashes() {}

    static Tuple2<Long, Long> seriesKey(SeriesGroup group) {
        Hasher h = MURMUR3.newHasher();
        putString(h, group.logStream);
        putString(h, group.type == null ? null : group.type.promMetricType());
        Labels labels = group.labels == null ? Labels.EMPTY : group.labels;
        h.putInt(labels.size());
        for (int i = 0; i < labels.size(); i++) {
            putString(h, labels.name(i));
            putString(h, labels.value(i));
        }
        ByteBuffer hash = ByteBuffer.wrap(h.hash().asBytes()).order(ByteOrder.LITTLE_ENDIAN);
        return Tuple2.of(hash.getLong(0), hash.getLong(8));
    }

    /** The id of a sample of a group: its name and, for a histogram bucket, its upper bound (else NaN). */
    static long metricId(String name, double upperBound) {
        Hasher h = MURMUR3.newHasher();
        putString(h, name);
        h.putLong(Double.doubleToLongBits(upperBound));
        return h.hash().asLong();
    }

    private static void putString(Hasher h, String s) {
        if (s == null) {
            h.putInt(-1);
            return;
        }
        h.putInt(s.length());
        h.putUnencodedChars(s);
    }
}
