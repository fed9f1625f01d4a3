package dev.kubelogs.job.metrics.delta;

import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.shaded.guava33.com.google.common.hash.HashFunction;
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
 * The hashed bytes are what Guava's streaming hasher was first fed with, one call per value: every string as its
 * length (a 4-byte little-endian int; -1 for null) and then its UTF-16 code units (2 bytes each, little-endian), so
 * no two different inputs run together into the same bytes; a label count and a bucket bound as 4 and 8 bytes.
 * They are laid out in one array and hashed in one call, which is what makes it cheap.
 */
final class SeriesHashes {
    private static final HashFunction MURMUR3 = Hashing.murmur3_128();
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private SeriesHashes() {}

    static Tuple2<Long, Long> seriesKey(SeriesGroup group) {
        String type = group.type == null ? null : group.type.promMetricType();
        Labels labels = group.labels == null ? Labels.EMPTY : group.labels;
        int size = bytes(group.logStream) + bytes(type) + 4;
        for (int i = 0; i < labels.size(); i++) {
            size += bytes(labels.name(i)) + bytes(labels.value(i));
        }
        byte[] b = new byte[size];
        int at = put(b, 0, group.logStream);
        at = put(b, at, type);
        INT_LE.set(b, at, labels.size());
        at += 4;
        for (int i = 0; i < labels.size(); i++) {
            at = put(b, at, labels.name(i));
            at = put(b, at, labels.value(i));
        }
        byte[] hash = MURMUR3.hashBytes(b, 0, at).asBytes();
        return Tuple2.of((long) LONG_LE.get(hash, 0), (long) LONG_LE.get(hash, 8));
    }

    /** The id of a sample of a group: its name and, for a histogram bucket, its upper bound (else NaN). */
    static long metricId(String name, double upperBound) {
        byte[] b = new byte[bytes(name) + 8];
        int at = put(b, 0, name);
        LONG_LE.set(b, at, Double.doubleToLongBits(upperBound));
        return MURMUR3.hashBytes(b, 0, at + 8).asLong();
    }

    private static int bytes(String s) {
        return s == null ? 4 : 4 + 2 * s.length();
    }

    /** Writes {@code s} at {@code at} as described in the class comment; returns the index after it. */
    private static int put(byte[] b, int at, String s) {
        if (s == null) {
            INT_LE.set(b, at, -1);
            return at + 4;
        }
        int n = s.length();
        INT_LE.set(b, at, n);
        at += 4;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            b[at++] = (byte) c;
            b[at++] = (byte) (c >>> 8);
        }
        return at;
    }
}
