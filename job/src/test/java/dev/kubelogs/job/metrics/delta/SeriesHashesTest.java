package dev.kubelogs.job.metrics.delta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.MetricType;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.shaded.guava33.com.google.common.hash.Hasher;
import org.apache.flink.shaded.guava33.com.google.common.hash.Hashing;
import org.junit.jupiter.api.Test;

/**
 * The hashes are in savepoints: they must stay what the first release computed, a value at a time through Guava's
 * streaming hasher (written out here as that release had it), for any text, including non-ASCII and surrogates.
 */
class SeriesHashesTest {
    private static final String[] ALPHABET = {"a", "Z", "_", ":", "0", "ü", "日", "\uD83D\uDE00", "\"", "\n", ""};

    @Test
    void theSeriesKeyIsTheStreamingHashersOnRandomGroups() {
        Random random = new Random(14);
        for (int round = 0; round < 2_000; round++) {
            Labels.Builder b = Labels.builder();
            int labels = random.nextInt(12);
            for (int i = 0; i < labels; i++) {
                b.set(text(random, 1 + random.nextInt(12)), text(random, 1 + random.nextInt(40)));
            }
            String stream = random.nextInt(10) == 0 ? null : text(random, random.nextInt(20));
            MetricType type = random.nextInt(10) == 0 ? null : MetricType.values()[random.nextInt(4)];
            SeriesGroup group = new SeriesGroup(
                    stream, random.nextInt(10) == 0 ? null : b.build(), type, 1L, new String[0], new double[0], null);

            assertThat(SeriesHashes.seriesKey(group)).isEqualTo(streamingSeriesKey(group));
        }
    }

    @Test
    void theMetricIdIsTheStreamingHashersOnRandomNames() {
        Random random = new Random(15);
        double[] bounds = {Double.NaN, 0.5, Double.POSITIVE_INFINITY, -0.0, 1e-9};
        for (int round = 0; round < 2_000; round++) {
            String name = random.nextInt(20) == 0 ? null : text(random, random.nextInt(50));
            double bound = bounds[random.nextInt(bounds.length)];

            assertThat(SeriesHashes.metricId(name, bound)).isEqualTo(streamingMetricId(name, bound));
        }
    }

    private static String text(Random random, int length) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return sb.toString();
    }

    private static Tuple2<Long, Long> streamingSeriesKey(SeriesGroup group) {
        Hasher h = Hashing.murmur3_128().newHasher();
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

    private static long streamingMetricId(String name, double upperBound) {
        Hasher h = Hashing.murmur3_128().newHasher();
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
