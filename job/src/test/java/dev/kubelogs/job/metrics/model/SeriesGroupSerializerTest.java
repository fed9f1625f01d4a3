package dev.kubelogs.job.metrics.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** Flink's serializer contract for {@link SeriesGroupSerializer}, every metric type, and corrupt input. */
class SeriesGroupSerializerTest extends SerializerTestBase<SeriesGroup> {
    static final Labels LABELS = Labels.of("job", "kubernetes-pod-jmx", "instance", "10.0.1.2:9404", "area", "heap");

    @Override
    protected TypeSerializer<SeriesGroup> createSerializer() {
        return SeriesGroupSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<SeriesGroup> getTypeClass() {
        return SeriesGroup.class;
    }

    private static SeriesGroup withSampleTimestamps() {
        SeriesGroup g = new SeriesGroup(
                "s", LABELS, MetricType.COUNTER, 5L, new String[] {"a_total", "b_total"}, new double[] {1, 2}, null);
        g.sampleTimestamps = new long[] {5L, -1L};
        return g;
    }

    @Override
    protected SeriesGroup[] getTestData() {
        return new SeriesGroup[] {
            new SeriesGroup(
                    "kubernetes-pod-jmx",
                    LABELS,
                    MetricType.GAUGE,
                    1_700_000_000_000L,
                    new String[] {"jvm_memory_bytes_used"},
                    new double[] {1.5e9},
                    null),
            new SeriesGroup(
                    "kubernetes-service-endpoints",
                    Labels.EMPTY,
                    MetricType.HISTOGRAM,
                    1L,
                    new String[] {"x_bucket", "x_bucket", "x_sum", "x_count"},
                    new double[] {1, 2, 0.5, 2},
                    new double[] {0.1, Double.POSITIVE_INFINITY, Double.NaN, Double.NaN}),
            new SeriesGroup("default", LABELS, MetricType.COUNTER, -5L, new String[0], new double[0], null),
            new SeriesGroup(
                    "s",
                    LABELS,
                    MetricType.SUMMARY,
                    0L,
                    new String[] {"a_sum", "a_count"},
                    new double[] {Double.NaN, Double.NEGATIVE_INFINITY},
                    null),
            new SeriesGroup(null, null, MetricType.UNTYPED, 0L, null, null, null),
            new SeriesGroup(
                    "strömung-😀",
                    Labels.of("path", "/ünïcödé/日本", "lone", "\ud83d?", "quote", "a\"b\\c\nd"),
                    MetricType.GAUGE,
                    2L,
                    new String[] {"größe", "x\ude00"},
                    new double[] {1, 2},
                    null),
            withSampleTimestamps(),
        };
    }

    @Test
    void everyMetricTypeRoundTrips() throws Exception {
        for (MetricType type : MetricType.values()) {
            SeriesGroup g = new SeriesGroup("s", LABELS, type, 7L, new String[] {"m"}, new double[] {1}, null);
            assertThat(roundTrip(g)).isEqualTo(g);
        }
    }

    @Test
    void theSeriesKeyTravelsWithTheGroup() throws Exception {
        SeriesGroup g =
                new SeriesGroup("s", LABELS, MetricType.COUNTER, 7L, new String[] {"m"}, new double[] {1}, null);
        assertThat(roundTrip(g).seriesKey).isNull();
        g.seriesKey = Tuple2.of(-3L, Long.MAX_VALUE);
        assertThat(roundTrip(g).seriesKey).isEqualTo(Tuple2.of(-3L, Long.MAX_VALUE));
    }

    /** A group is not written after it was made: the copy between chained operators is the group itself. */
    @Test
    void aCopyIsTheGroupItself() {
        SeriesGroup g =
                new SeriesGroup("s", LABELS, MetricType.COUNTER, 7L, new String[] {"m"}, new double[] {1}, null);
        assertThat(SeriesGroupSerializer.INSTANCE.copy(g)).isSameAs(g);
        assertThat(SeriesGroupSerializer.INSTANCE.copy(g, new SeriesGroup())).isSameAs(g);
        assertThat(SeriesGroupSerializer.INSTANCE.isImmutableType()).isTrue();
    }

    @Test
    void anUnknownSeriesKeyMarkerIsACorruptStream() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        SeriesGroupSerializer.INSTANCE.serialize(new SeriesGroup(), out);
        byte[] bytes = out.getCopyOfBuffer();
        assertThat(bytes[bytes.length - 1]).isZero();
        bytes[bytes.length - 1] = 2;
        assertThatThrownBy(() -> SeriesGroupSerializer.INSTANCE.deserialize(new DataInputDeserializer(bytes)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("series key marker 2");
    }

    @Test
    void aGroupOfNullFieldsRoundTrips() throws Exception {
        assertThat(roundTrip(new SeriesGroup())).isEqualTo(new SeriesGroup());
    }

    @Test
    void theTypeExtractedForSeriesGroupIsThisSerializerNotAPojoWithGenericFields() {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        TypeInformation<SeriesGroup> type = TypeInformation.of(SeriesGroup.class);
        assertThat(type.createSerializer(config)).isSameAs(SeriesGroupSerializer.INSTANCE);
    }

    @Test
    void anUnknownTypeCodeIsACorruptStreamNotAWrongType() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        SeriesGroupSerializer.INSTANCE.serialize(getTestData()[0], out);
        byte[] bytes = out.getCopyOfBuffer();
        int typeAt = 1 + "kubernetes-pod-jmx".length();
        typeAt += serializedLength(LABELS);
        assertThat(bytes[typeAt]).isEqualTo((byte) 2);
        bytes[typeAt] = 42;
        assertThatThrownBy(() -> SeriesGroupSerializer.INSTANCE.deserialize(new DataInputDeserializer(bytes)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("unknown metric type code 42");
    }

    private static int serializedLength(Labels labels) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        LabelsSerializer.INSTANCE.serialize(labels, out);
        return out.length();
    }

    private static SeriesGroup roundTrip(SeriesGroup g) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        SeriesGroupSerializer.INSTANCE.serialize(g, out);
        return SeriesGroupSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
