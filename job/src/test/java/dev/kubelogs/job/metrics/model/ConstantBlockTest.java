package dev.kubelogs.job.metrics.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** {@link ConstantBlock}: the groups' constant part alone, the same bytes for every scrape of the same series. */
class ConstantBlockTest {
    private static final Labels LABELS = Labels.of("job", "node", "instance", "10.0.1.2:9100");

    private static SeriesGroup group(String name, long timestampMs, double value) {
        SeriesGroup g = new SeriesGroup(
                "node", LABELS, MetricType.COUNTER, timestampMs, new String[] {name}, new double[] {value}, null);
        g.seriesKey = Tuple2.of(1L, 2L);
        return g;
    }

    private static byte[] bytes(ConstantBlock block) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        block.writeTo(out);
        return out.getCopyOfBuffer();
    }

    @Test
    void timesAndValuesAreNotInTheBlock() throws Exception {
        ConstantBlock first = ConstantBlock.encode(List.of(group("a_total", 1_000L, 1), group("b_total", 1_000L, 2)));
        ConstantBlock later = ConstantBlock.encode(List.of(group("a_total", 3_000L, 7), group("b_total", 3_000L, 9)));
        assertThat(first.groups()).isEqualTo(2);
        assertThat(bytes(later)).isEqualTo(bytes(first));
    }

    @Test
    void anyConstantFieldChangesTheBlock() throws Exception {
        byte[] base = bytes(ConstantBlock.encode(List.of(group("a_total", 1L, 1))));
        SeriesGroup otherKey = group("a_total", 1L, 1);
        otherKey.seriesKey = Tuple2.of(1L, 3L);
        SeriesGroup otherType = group("a_total", 1L, 1);
        otherType.type = MetricType.GAUGE;
        SeriesGroup otherLabels = group("a_total", 1L, 1);
        otherLabels.labels = LABELS.with("cpu", "0");
        SeriesGroup withBounds = group("a_total", 1L, 1);
        withBounds.upperBounds = new double[] {0.5};
        for (SeriesGroup g : List.of(group("b_total", 1L, 1), otherKey, otherType, otherLabels, withBounds)) {
            assertThat(bytes(ConstantBlock.encode(List.of(g)))).as(g.toString()).isNotEqualTo(base);
        }
    }

    @Test
    void aStringRepeatedInTheBlockIsWrittenOnce() {
        ConstantBlock one = ConstantBlock.encode(List.of(group("a_total", 1L, 1)));
        ConstantBlock two = ConstantBlock.encode(List.of(group("a_total", 1L, 1), group("a_total", 1L, 1)));
        // the second group's five strings are one-byte references, and its type, counts and key take 21 bytes
        assertThat(two.length() - one.length()).isLessThanOrEqualTo(5 + 21 + 1);
    }
}
