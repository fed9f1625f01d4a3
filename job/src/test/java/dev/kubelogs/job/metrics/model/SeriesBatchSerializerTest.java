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
        SeriesGroup nulls = new SeriesGroup(null, null, null, 0L, null, null, null);
        List<SeriesGroup> mixed = List.of(histogram, stamped, gauge("up", 1));
        return new SeriesBatch[] {
            new SeriesBatch(2, 4, mixed, ConstantBlock.encode(mixed.subList(0, 2))),
            new SeriesBatch(2, 4, List.of(nulls, histogram), ConstantBlock.encode(List.of(nulls, histogram))),
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
        assertThat((bAlone.length() - 10) - (two.length() - one.length())).isGreaterThanOrEqualTo(15);

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
        out.writeByte(0); // no constant block
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

    /**
     * Differential: records of random groups (histograms, per-sample timestamps, null fields), part of them in a
     * constant block, over many scrapes of more layouts than the reading thread's block cache holds (so blocks collide
     * and are evicted), read back as the groups written, and as the same batch without a block reads.
     */
    @Test
    void groupsWithAConstantBlockReadBackAsWrittenAndAsWithout() throws Exception {
        java.util.Random random = new java.util.Random(14);
        int layouts = 3 * SeriesBatchSerializer.CACHED_BLOCKS;
        List<List<SeriesGroup>> templates = new java.util.ArrayList<>();
        for (int l = 0; l < layouts; l++) {
            List<SeriesGroup> groups = new java.util.ArrayList<>();
            for (int g = 1 + random.nextInt(4); g > 0; g--) {
                groups.add(randomGroup(random, l));
            }
            templates.add(groups);
        }
        List<ConstantBlock> blocks = new java.util.ArrayList<>();
        List<Integer> inBlock = new java.util.ArrayList<>();
        for (List<SeriesGroup> t : templates) {
            int k = random.nextInt(t.size() + 1);
            inBlock.add(k);
            blocks.add(k == 0 && random.nextBoolean() ? null : ConstantBlock.encode(t.subList(0, k)));
        }
        DataOutputSerializer out = new DataOutputSerializer(4096);
        for (int scrape = 0; scrape < 3; scrape++) {
            for (int l = 0; l < layouts; l++) {
                List<SeriesGroup> groups = withNewValues(templates.get(l), random, scrape);
                SeriesBatch batch = new SeriesBatch(l % 4, 4, groups, blocks.get(l));
                out.clear();
                SeriesBatchSerializer.INSTANCE.serialize(batch, out);
                SeriesBatch back =
                        SeriesBatchSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
                assertThat(back.groups).as("layout %d scrape %d", l, scrape).containsExactlyElementsOf(groups);
                for (int g = 0; g < groups.size(); g++) {
                    assertThat(back.groups.get(g).seriesKey).isEqualTo(groups.get(g).seriesKey);
                }
                out.clear();
                SeriesBatchSerializer.INSTANCE.serialize(new SeriesBatch(l % 4, 4, groups), out);
                assertThat(SeriesBatchSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())))
                        .isEqualTo(back);
            }
        }
    }

    private static SeriesGroup randomGroup(java.util.Random random, int layout) {
        int n = 1 + random.nextInt(5);
        String[] names = new String[n];
        double[] bounds = random.nextInt(3) == 0 ? new double[n] : null;
        for (int i = 0; i < n; i++) {
            names[i] = random.nextInt(10) == 0 ? null : "metric_" + random.nextInt(20);
            if (bounds != null) {
                bounds[i] = random.nextBoolean() ? Double.NaN : random.nextInt(100) / 10.0;
            }
        }
        Labels labels = random.nextInt(10) == 0
                ? null
                : Labels.of("job", "j" + random.nextInt(3), "instance", "10.0.0." + layout + ":9100", "x", "" + n);
        MetricType type = bounds != null ? MetricType.HISTOGRAM : random.nextInt(10) == 0 ? null : MetricType.GAUGE;
        SeriesGroup g = new SeriesGroup(
                random.nextInt(10) == 0 ? null : "stream-" + random.nextInt(3), labels, type, 0L, names, null, bounds);
        if (random.nextBoolean()) {
            g.seriesKey = Tuple2.of(random.nextLong(), random.nextLong());
        }
        return g;
    }

    /** The template's constant part (the same instances) with this scrape's time, values and sample timestamps. */
    private static List<SeriesGroup> withNewValues(List<SeriesGroup> templates, java.util.Random random, int scrape) {
        List<SeriesGroup> groups = new java.util.ArrayList<>();
        for (SeriesGroup t : templates) {
            double[] values = random.nextInt(10) == 0 ? null : new double[t.names.length];
            for (int i = 0; values != null && i < values.length; i++) {
                values[i] = random.nextInt(4) == 0 ? Double.NaN : random.nextDouble() * scrape;
            }
            SeriesGroup g =
                    new SeriesGroup(t.logStream, t.labels, t.type, 1_000L * scrape, t.names, values, t.upperBounds);
            if (random.nextInt(4) == 0) {
                g.sampleTimestamps = new long[t.names.length];
                java.util.Arrays.fill(g.sampleTimestamps, 500L * scrape);
            }
            g.seriesKey = t.seriesKey == null ? null : Tuple2.of(t.seriesKey.f0, t.seriesKey.f1);
            groups.add(g);
        }
        return groups;
    }

    @Test
    void aBlocksGroupsReadTheInstancesOfTheRecordBefore() throws Exception {
        List<SeriesGroup> first = List.of(gauge("up", 1), gauge("node_load1", 0.5));
        List<SeriesGroup> second = List.of(gauge("up", 0), gauge("node_load1", 0.7));
        ConstantBlock block = ConstantBlock.encode(first);
        SeriesBatch a = roundTrip(new SeriesBatch(0, 1, first, block));
        SeriesBatch b = roundTrip(new SeriesBatch(0, 1, second, block));
        assertThat(b.groups).containsExactlyElementsOf(second);
        assertThat(b.groups.get(1).labels).isSameAs(a.groups.get(1).labels);
        assertThat(b.groups.get(1).names).isSameAs(a.groups.get(1).names);
    }

    private static SeriesBatch roundTrip(SeriesBatch batch) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        SeriesBatchSerializer.INSTANCE.serialize(batch, out);
        return SeriesBatchSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    @Test
    void aBlockOfMoreGroupsThanTheRecordIsACorruptStream() throws Exception {
        List<SeriesGroup> two = List.of(gauge("up", 1), gauge("node_load1", 0.5));
        DataOutputSerializer out = new DataOutputSerializer(256);
        SeriesBatchSerializer.INSTANCE.serialize(new SeriesBatch(0, 1, two, ConstantBlock.encode(two)), out);
        byte[] record = out.getCopyOfBuffer();
        record[8] = 2; // one group, not two
        assertThatThrownBy(() -> SeriesBatchSerializer.INSTANCE.deserialize(new DataInputDeserializer(record)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("a constant block of 2 groups in 1");
    }

    @Test
    void valuesNotParallelToABlocksNamesAreACorruptStreamAndCannotBeWritten() throws Exception {
        SeriesGroup g = gauge("up", 1);
        DataOutputSerializer out = new DataOutputSerializer(256);
        SeriesBatchSerializer.INSTANCE.serialize(
                new SeriesBatch(0, 1, List.of(g), ConstantBlock.encode(List.of(g))), out);
        byte[] record = out.getCopyOfBuffer();
        // the record ends in the group's values header (a length of 1 + 1), its value and its timestamps' header
        assertThat(record[record.length - 10]).isEqualTo((byte) 2);
        record[record.length - 10] = 3;
        assertThatThrownBy(() -> SeriesBatchSerializer.INSTANCE.deserialize(new DataInputDeserializer(record)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("corrupt length 3");

        SeriesGroup twoValues =
                new SeriesGroup("node", LABELS, MetricType.GAUGE, 1L, new String[] {"up"}, new double[] {1, 2}, null);
        assertThatThrownBy(() -> SeriesBatchSerializer.INSTANCE.serialize(
                        new SeriesBatch(0, 1, List.of(twoValues), ConstantBlock.encode(List.of(twoValues))), out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not parallel");
    }

    @Test
    void aRecordCutInItsBlockOrValuesFailsAtItsEnd() throws Exception {
        List<SeriesGroup> two = List.of(gauge("up", 1), gauge("node_load1", 0.5));
        DataOutputSerializer out = new DataOutputSerializer(256);
        SeriesBatchSerializer.INSTANCE.serialize(new SeriesBatch(0, 1, two, ConstantBlock.encode(two)), out);
        byte[] record = out.getCopyOfBuffer();
        for (int cut : new int[] {12, record.length - 20, record.length - 1}) {
            assertThatThrownBy(() -> SeriesBatchSerializer.INSTANCE.deserialize(
                            new DataInputDeserializer(java.util.Arrays.copyOf(record, cut))))
                    .as("cut at %d", cut)
                    .isInstanceOf(java.io.EOFException.class);
        }
    }

    @Test
    void aBlockLengthBeyondTheLimitIsACorruptStream() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(16);
        out.writeInt(0);
        out.writeInt(1);
        out.writeByte(2); // one group
        dev.kubelogs.job.model.VarInts.write(SeriesBatchSerializer.MAX_BLOCK_BYTES + 1L, out);
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
