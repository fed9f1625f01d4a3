package dev.kubelogs.job.metrics.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** Flink's serializer contract for {@link SeriesBatchSerializer}, the groups' keys, copies and corrupt input. */
class SeriesBatchSerializerTest extends SerializerTestBase<SeriesBatch> {
    private static final Labels LABELS = Labels.of("job", "node", "instance", "10.0.1.2:9100");

    @Override
    protected TypeSerializer<SeriesBatch> createSerializer() {
        return SeriesBatchSerializer.INSTANCE;
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<SeriesBatch> getTypeClass() {
        return SeriesBatch.class;
    }

    private static SeriesGroup gauge(String name, double value) {
        return new SeriesGroup(
                "node", LABELS, MetricType.GAUGE, 1_700_000_000_000L, new String[] {name}, new double[] {value}, null);
    }

    @Override
    protected SeriesBatch[] getTestData() {
        SeriesGroup histogram = new SeriesGroup(
                "node",
                LABELS,
                MetricType.HISTOGRAM,
                5L,
                new String[] {"x_bucket", "x_sum", "x_count"},
                new double[] {1, 0.5, 1},
                new double[] {Double.POSITIVE_INFINITY, Double.NaN, Double.NaN});
        SeriesGroup stamped = gauge("stamped", 2);
        stamped.sampleTimestamps = new long[] {7L};
        return new SeriesBatch[] {
            SeriesBatch.unrouted(List.of(gauge("up", 1), histogram, stamped)),
            new SeriesBatch(3, 4, List.of(gauge("temperature", 21.5))),
            new SeriesBatch(0, 1, List.of()),
            new SeriesBatch(),
            new SeriesBatch(
                    1,
                    2,
                    List.of(
                            new SeriesGroup(null, null, MetricType.UNTYPED, 0L, null, null, null),
                            new SeriesGroup(
                                    "strömung-😀",
                                    Labels.of("path", "/ünïcödé/日本", "lone", "\ud83d?", "quote", "a\"b\\c\nd"),
                                    MetricType.GAUGE,
                                    2L,
                                    new String[] {"größe", "x\ude00", null, "größe"},
                                    new double[] {1, 2, 3, 4},
                                    null),
                            new SeriesGroup(
                                    "strömung-😀",
                                    Labels.of("path", "/ünïcödé/日本", "lone", "\ud83d?"),
                                    MetricType.GAUGE,
                                    3L,
                                    new String[] {"x\ude00"},
                                    new double[] {5},
                                    null))),
        };
    }

    @Test
    void aStringRepeatedInABatchIsWrittenOnceAndReadAsOneInstance() throws Exception {
        SeriesGroup a = gauge("up", 1);
        SeriesGroup b = new SeriesGroup(
                "node",
                Labels.of("job", "node", "instance", "10.0.1.3:9100"),
                MetricType.GAUGE,
                1L,
                new String[] {"up"},
                new double[] {1},
                null);
        DataOutputSerializer one = new DataOutputSerializer(256);
        SeriesBatchSerializer.INSTANCE.serialize(new SeriesBatch(0, 1, List.of(a)), one);
        DataOutputSerializer two = new DataOutputSerializer(256);
        SeriesBatchSerializer.INSTANCE.serialize(new SeriesBatch(0, 1, List.of(a, b)), two);
        DataOutputSerializer bAlone = new DataOutputSerializer(256);
        SeriesBatchSerializer.INSTANCE.serialize(new SeriesBatch(0, 1, List.of(b)), bAlone);
        // after a, b's only new string is its instance: "instance", "job" and "up" are one-byte references
        assertThat((bAlone.length() - 9) - (two.length() - one.length())).isGreaterThanOrEqualTo(15);

        SeriesBatch back = SeriesBatchSerializer.INSTANCE.deserialize(new DataInputDeserializer(two.getCopyOfBuffer()));
        SeriesGroup backA = back.groups.get(0);
        SeriesGroup backB = back.groups.get(1);
        assertThat(backB.labels.get("job")).isSameAs(backA.labels.get("job")).isSameAs(backA.logStream);
        assertThat(backB.logStream).isSameAs(backA.logStream);
        assertThat(backB.names[0]).isSameAs(backA.names[0]);
        assertThat(back.groups).containsExactly(a, b);
    }

    @Test
    void aLaterRecordReadOnTheSameThreadBringsTheStringsOfTheOneBefore() throws Exception {
        SeriesGroup g = gauge("node_load1", 0.5);
        SeriesGroup longValue = new SeriesGroup(
                "node",
                Labels.of("job", "node", "note", "n".repeat(Utf8StringCache.MAX_CACHED_BYTES + 1)),
                MetricType.GAUGE,
                1L,
                new String[] {"up"},
                new double[] {1},
                null);
        DataOutputSerializer out = new DataOutputSerializer(1024);
        SeriesBatchSerializer.INSTANCE.serialize(new SeriesBatch(0, 1, List.of(g, longValue)), out);
        byte[] record = out.getCopyOfBuffer();
        SeriesBatch first = SeriesBatchSerializer.INSTANCE.deserialize(new DataInputDeserializer(record));
        SeriesBatch second = SeriesBatchSerializer.INSTANCE.deserialize(new DataInputDeserializer(record));
        assertThat(second).isEqualTo(first).isEqualTo(new SeriesBatch(0, 1, List.of(g, longValue)));
        SeriesGroup a = first.groups.get(0);
        SeriesGroup b = second.groups.get(0);
        assertThat(b.names[0]).isSameAs(a.names[0]);
        assertThat(b.labels.get("instance")).isSameAs(a.labels.get("instance"));
        assertThat(b.logStream).isSameAs(a.logStream);
        // strings over the cache's limit are decoded each time
        assertThat(second.groups.get(1).labels.get("note"))
                .isEqualTo(first.groups.get(1).labels.get("note"))
                .isNotSameAs(first.groups.get(1).labels.get("note"));
    }

    @Test
    void aReferenceBeyondTheBatchsStringsIsACorruptStream() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(16);
        out.writeInt(0);
        out.writeInt(1);
        out.writeByte(2); // one group
        out.writeByte(2); // its log stream: string 0 of an empty table
        assertThatThrownBy(() ->
                        SeriesBatchSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("corrupt length 2");
    }

    @Test
    void aGroupsKeyTravelsWithIt() throws Exception {
        SeriesGroup g = gauge("up", 1);
        g.seriesKey = Tuple2.of(7L, -7L);
        SeriesBatch batch = new SeriesBatch(1, 2, List.of(g));
        DataOutputSerializer out = new DataOutputSerializer(256);
        SeriesBatchSerializer.INSTANCE.serialize(batch, out);
        SeriesBatch back = SeriesBatchSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back).isEqualTo(batch);
        assertThat(back.groups.get(0).seriesKey).isEqualTo(Tuple2.of(7L, -7L));
    }

    /** A batch (final fields) and its groups are not written after they were made: the copy is the batch itself. */
    @Test
    void aCopyIsTheBatchItself() {
        SeriesBatch batch = new SeriesBatch(0, 1, List.of(gauge("up", 1)));
        assertThat(SeriesBatchSerializer.INSTANCE.copy(batch)).isSameAs(batch);
        assertThat(SeriesBatchSerializer.INSTANCE.copy(batch, new SeriesBatch()))
                .isSameAs(batch);
        assertThat(SeriesBatchSerializer.INSTANCE.isImmutableType()).isTrue();
    }

    @Test
    void aGroupCountAboveTheLimitIsACorruptStream() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(16);
        out.writeInt(0);
        out.writeInt(1);
        out.writeByte(0xff);
        out.writeByte(0xff);
        out.writeByte(0xff);
        out.writeByte(0xff);
        out.writeByte(0x0f);
        assertThatThrownBy(() ->
                        SeriesBatchSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("corrupt length");
    }

    @Test
    void flinksTypeExtractionFindsTheSerializer() {
        assertThat(TypeInformation.of(SeriesBatch.class).createSerializer(new SerializerConfigImpl()))
                .isSameAs(SeriesBatchSerializer.INSTANCE);
    }
}
