package dev.kubelogs.job.metrics.model;

import dev.kubelogs.job.model.SerializerTypeInfo;
import dev.kubelogs.job.model.Utf8Strings;
import dev.kubelogs.job.model.VarInts;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of {@link SeriesGroup} (every group crosses the network once, into the keyed delta stage).
 *
 * <p>Layout: {@code string logStream, labels, byte type, long timestampMs, names, values, upperBounds, sampleTimestamps,
 * seriesKey}. Strings are
 * {@link Utf8Strings} (null-safe); the labels are a varint of their count + 1 (0 = null), then each name and value;
 * the type is a fixed code per {@link MetricType} (0 = null), independent of the enum's order; each array starts with
 * a varint of its length + 1 (0 = null), the doubles and longs follow as 8 bytes each; the series key is a byte 0 (none) or 1 followed by its two longs. No state holds a group (the delta stage
 * keeps its own {@code DeltaState}, and checkpoints are aligned, so none is in flight in one): the layout only has to
 * agree between the source and the delta stage of one running job.
 */
public final class SeriesGroupSerializer extends TypeSerializerSingleton<SeriesGroup> {
    private static final long serialVersionUID = 1L;
    public static final SeriesGroupSerializer INSTANCE = new SeriesGroupSerializer();
    /** Far above a scrape's sample_limit: a larger length is a corrupt stream, not an allocation to try. */
    static final int MAX_SAMPLES = 1 << 24;
    /** The serialized code of a type is its index here (0 = null): append new types, never reorder. */
    private static final MetricType[] TYPES_BY_CODE = {
        null,
        MetricType.COUNTER,
        MetricType.GAUGE,
        MetricType.SUMMARY,
        MetricType.HISTOGRAM,
        MetricType.GAUGE_HISTOGRAM,
        MetricType.INFO,
        MetricType.STATESET,
        MetricType.UNTYPED
    };

    private static final byte[] CODES = new byte[MetricType.values().length];

    static {
        for (int code = 1; code < TYPES_BY_CODE.length; code++) {
            CODES[TYPES_BY_CODE[code].ordinal()] = (byte) code;
        }
    }

    /** Picked up by Flink's type extraction through {@code @TypeInfo} on {@link SeriesGroup}. */
    public static final class Factory extends TypeInfoFactory<SeriesGroup> {
        @Override
        public TypeInformation<SeriesGroup> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new SerializerTypeInfo<>(SeriesGroup.class, INSTANCE);
        }
    }

    /** A group is not written after it was made ({@link SeriesGroup}): Flink may hand the same one on. */
    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public SeriesGroup createInstance() {
        return new SeriesGroup();
    }

    /**
     * The group itself: with object reuse off, Flink copies every record between chained operators (the delta stage
     * and the EMF stage), and a group is not written after it was made ({@link SeriesGroup}), so its consumers can
     * share it as the deserialized strings are shared.
     */
    @Override
    public SeriesGroup copy(SeriesGroup from) {
        return from;
    }

    @Override
    public SeriesGroup copy(SeriesGroup from, SeriesGroup reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(SeriesGroup g, DataOutputView out) throws IOException {
        writeGroup(g, Utf8Strings::write, out);
    }

    @Override
    public SeriesGroup deserialize(DataInputView in) throws IOException {
        return readGroup(Utf8Strings::read, in, "SeriesGroup");
    }

    /** How a group's strings are written: as they are here, as references into a record's table in a batch. */
    interface StringWriter {
        void write(String s, DataOutputView out) throws IOException;
    }

    /** How a group's strings are read: the counterpart of a {@link StringWriter}. */
    interface StringReader {
        String read(DataInputView in) throws IOException;
    }

    /** A group's layout, alone or inside a {@link SeriesBatchSerializer} record; only the strings' form differs. */
    static void writeGroup(SeriesGroup g, StringWriter strings, DataOutputView out) throws IOException {
        strings.write(g.logStream, out);
        if (g.labels == null) {
            VarInts.write(0, out);
        } else {
            VarInts.write(g.labels.size() + 1L, out);
            for (int i = 0; i < g.labels.size(); i++) {
                strings.write(g.labels.name(i), out);
                strings.write(g.labels.value(i), out);
            }
        }
        out.writeByte(typeCode(g.type));
        out.writeLong(g.timestampMs);
        if (g.names == null) {
            VarInts.write(0, out);
        } else {
            VarInts.write(g.names.length + 1L, out);
            for (String name : g.names) {
                strings.write(name, out);
            }
        }
        writeDoubles(g.values, out);
        writeDoubles(g.upperBounds, out);
        writeLongs(g.sampleTimestamps, out);
        writeKey(g.seriesKey, out);
    }

    /** A group's series key: a byte 0 (none), or 1 followed by its two longs. */
    static void writeKey(Tuple2<Long, Long> key, DataOutputView out) throws IOException {
        if (key == null) {
            out.writeByte(0);
        } else {
            out.writeByte(1);
            out.writeLong(key.f0);
            out.writeLong(key.f1);
        }
    }

    /** Reads what {@link #writeGroup} wrote; {@code record} names the record type in a corruption error. */
    static SeriesGroup readGroup(StringReader strings, DataInputView in, String record) throws IOException {
        SeriesGroup g = new SeriesGroup();
        g.logStream = strings.read(in);
        int labels = VarInts.readLength(in, LabelsSerializer.MAX_LABELS + 1);
        if (labels > 0) {
            String[] names = new String[labels - 1];
            String[] values = new String[labels - 1];
            for (int i = 0; i < names.length; i++) {
                names[i] = strings.read(in);
                values[i] = strings.read(in);
            }
            g.labels = Labels.fromArrays(names, values);
        }
        g.type = typeOf(in.readByte());
        g.timestampMs = in.readLong();
        int names = VarInts.readLength(in, MAX_SAMPLES + 1);
        if (names > 0) {
            g.names = new String[names - 1];
            for (int i = 0; i < g.names.length; i++) {
                g.names[i] = strings.read(in);
            }
        }
        g.values = readDoubles(in);
        g.upperBounds = readDoubles(in);
        g.sampleTimestamps = readLongs(in);
        byte keyed = in.readByte();
        if (keyed == 1) {
            g.seriesKey = Tuple2.of(in.readLong(), in.readLong());
        } else if (keyed != 0) {
            throw new IOException("corrupt " + record + ": series key marker " + keyed);
        }
        return g;
    }

    @Override
    public SeriesGroup deserialize(SeriesGroup reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<SeriesGroup> snapshotConfiguration() {
        return new Snapshot();
    }

    static void writeDoubles(double[] values, DataOutputView out) throws IOException {
        if (values == null) {
            VarInts.write(0, out);
            return;
        }
        VarInts.write(values.length + 1L, out);
        for (double v : values) {
            out.writeDouble(v);
        }
    }

    static double[] readDoubles(DataInputView in) throws IOException {
        int header = VarInts.readLength(in, MAX_SAMPLES + 1);
        if (header == 0) {
            return null;
        }
        double[] values = new double[header - 1];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readDouble();
        }
        return values;
    }

    static void writeLongs(long[] values, DataOutputView out) throws IOException {
        if (values == null) {
            VarInts.write(0, out);
            return;
        }
        VarInts.write(values.length + 1L, out);
        for (long v : values) {
            out.writeLong(v);
        }
    }

    static long[] readLongs(DataInputView in) throws IOException {
        int header = VarInts.readLength(in, MAX_SAMPLES + 1);
        if (header == 0) {
            return null;
        }
        long[] values = new long[header - 1];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readLong();
        }
        return values;
    }

    static int typeCode(MetricType type) {
        if (type == null) {
            return 0;
        }
        int code = CODES[type.ordinal()];
        if (code == 0) {
            throw new IllegalArgumentException("no serialized code for metric type " + type);
        }
        return code;
    }

    static MetricType typeOf(int code) throws IOException {
        if (code < 0 || code >= TYPES_BY_CODE.length) {
            throw new IOException("corrupt SeriesGroup: unknown metric type code " + code);
        }
        return TYPES_BY_CODE[code];
    }

    /** Snapshot of the (stateless) serializer. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<SeriesGroup> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
