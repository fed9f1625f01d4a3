package dev.kubelogs.job.metrics.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.util.List;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** {@link GroupConstants}: a block decoded gives groups of the constants encoded, and a corrupt block fails. */
class GroupConstantsTest {
    private final SeriesBatchSerializer.StringReads strings = new SeriesBatchSerializer.StringReads();

    private static byte[] block(List<SeriesGroup> groups) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        ConstantBlock.encode(groups).writeTo(out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        byte[] bytes = new byte[(int) dev.kubelogs.job.model.VarInts.read(in)];
        in.readFully(bytes);
        return bytes;
    }

    @Test
    void theGroupsMadeFromADecodedBlockHaveTheConstantsEncoded() throws Exception {
        SeriesGroup histogram = new SeriesGroup(
                "node",
                Labels.of("job", "node", "le_free", "x"),
                MetricType.HISTOGRAM,
                5L,
                new String[] {"x_bucket", "x_bucket", "x_sum", "x_count"},
                new double[] {1, 2, 0.5, 2},
                new double[] {1.0, Double.POSITIVE_INFINITY, Double.NaN, Double.NaN});
        histogram.seriesKey = Tuple2.of(-1L, Long.MAX_VALUE);
        SeriesGroup nulls = new SeriesGroup(null, null, null, 0L, null, null, null);
        byte[] bytes = block(List.of(histogram, nulls));

        GroupConstants[] decoded = GroupConstants.decode(bytes, bytes.length, strings);

        assertThat(decoded).hasSize(2);
        SeriesGroup back = decoded[0].group(5L, new double[] {1, 2, 0.5, 2}, null);
        assertThat(back).isEqualTo(histogram);
        assertThat(back.seriesKey).isEqualTo(histogram.seriesKey);
        assertThat(decoded[0].size()).isEqualTo(4);
        SeriesGroup backNulls = decoded[1].group(0L, null, null);
        assertThat(backNulls).isEqualTo(nulls);
        assertThat(backNulls.seriesKey).isNull();
        assertThat(decoded[1].size()).isZero();
    }

    @Test
    void groupsOfOneDecodedBlockShareItsInstancesButNotTheirKeys() throws Exception {
        SeriesGroup g = new SeriesGroup(
                "node", Labels.of("job", "node"), MetricType.GAUGE, 1L, new String[] {"up"}, new double[] {1}, null);
        g.seriesKey = Tuple2.of(1L, 2L);
        byte[] bytes = block(List.of(g));
        GroupConstants constants = GroupConstants.decode(bytes, bytes.length, strings)[0];
        SeriesGroup a = constants.group(1L, new double[] {1}, new long[] {9L});
        SeriesGroup b = constants.group(2L, new double[] {0}, null);
        assertThat(b.labels).isSameAs(a.labels);
        assertThat(b.names).isSameAs(a.names);
        assertThat(b.seriesKey).isEqualTo(a.seriesKey).isNotSameAs(a.seriesKey);
        assertThat(a.sampleTimestamps).containsExactly(9L);
    }

    @Test
    void bytesAfterTheGroupsAreACorruptBlock() throws Exception {
        byte[] bytes = block(List.of(new SeriesGroup(null, null, null, 0L, null, null, null)));
        byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> GroupConstants.decode(longer, longer.length, strings))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("1 bytes after a constant block's 1 groups");
    }

    @Test
    void aTruncatedBlockFailsAtItsEnd() throws Exception {
        SeriesGroup g = new SeriesGroup(
                "node", Labels.of("job", "node"), MetricType.GAUGE, 1L, new String[] {"up"}, new double[] {1}, null);
        byte[] bytes = block(List.of(g));
        assertThatThrownBy(() -> GroupConstants.decode(bytes, bytes.length - 1, strings))
                .isInstanceOf(EOFException.class);
    }

    @Test
    void aCountOrLengthBeyondTheBlocksBytesIsCorruptNotAnAllocation() throws Exception {
        byte[] manyGroups = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07, 0, 0, 0, 0, 0, 0};
        assertThatThrownBy(() -> GroupConstants.decode(manyGroups, manyGroups.length, strings))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("corrupt length");
        // one group: null log stream, no labels, untyped, then a name count of 2^21
        byte[] manyNames = {1, 0, 0, 0, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01};
        assertThatThrownBy(() -> GroupConstants.decode(manyNames, manyNames.length, strings))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("corrupt length");
    }

    @Test
    void anUnknownKeyMarkerIsACorruptBlock() throws Exception {
        byte[] bytes = block(List.of(new SeriesGroup(null, null, null, 0L, null, null, null)));
        bytes[bytes.length - 1] = 2;
        assertThatThrownBy(() -> GroupConstants.decode(bytes, bytes.length, strings))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("key marker 2");
    }
}
