package dev.kubelogs.job.metrics.model;

import dev.kubelogs.job.model.SerializerTypeInfo;
import dev.kubelogs.job.model.VarInts;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Flink serializer of {@link SeriesGroup} (every group crosses the network once, into the keyed delta stage).
 *
 * <p>Layout: {@code string logStream, labels (see LabelsSerializer), byte type, long timestampMs, names, values,
 * upperBounds}. Strings are {@link StringValue} strings (null-safe); the type is a fixed code per {@link MetricType}
 * (0 = null), independent of the enum's order; each array starts with a varint of its length + 1 (0 = null), the
 * doubles follow as 8 bytes each.
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

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public SeriesGroup createInstance() {
        return new SeriesGroup();
    }

    @Override
    public SeriesGroup copy(SeriesGroup from) {
        return new SeriesGroup(
                from.logStream,
                from.labels,
                from.type,
                from.timestampMs,
                from.names == null ? null : from.names.clone(),
                from.values == null ? null : from.values.clone(),
                from.upperBounds == null ? null : from.upperBounds.clone());
    }

    @Override
    public SeriesGroup copy(SeriesGroup from, SeriesGroup reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(SeriesGroup g, DataOutputView out) throws IOException {
        StringValue.writeString(g.logStream, out);
        LabelsSerializer.write(g.labels, out);
        out.writeByte(typeCode(g.type));
        out.writeLong(g.timestampMs);
        if (g.names == null) {
            VarInts.write(0, out);
        } else {
            VarInts.write(g.names.length + 1L, out);
            for (String name : g.names) {
                StringValue.writeString(name, out);
            }
        }
        writeDoubles(g.values, out);
        writeDoubles(g.upperBounds, out);
    }

    @Override
    public SeriesGroup deserialize(DataInputView in) throws IOException {
        SeriesGroup g = new SeriesGroup();
        g.logStream = StringValue.readString(in);
        g.labels = LabelsSerializer.read(in);
        g.type = typeOf(in.readByte());
        g.timestampMs = in.readLong();
        int names = VarInts.readLength(in, MAX_SAMPLES + 1);
        if (names > 0) {
            g.names = new String[names - 1];
            for (int i = 0; i < g.names.length; i++) {
                g.names[i] = StringValue.readString(in);
            }
        }
        g.values = readDoubles(in);
        g.upperBounds = readDoubles(in);
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

    private static void writeDoubles(double[] values, DataOutputView out) throws IOException {
        if (values == null) {
            VarInts.write(0, out);
            return;
        }
        VarInts.write(values.length + 1L, out);
        for (double v : values) {
            out.writeDouble(v);
        }
    }

    private static double[] readDoubles(DataInputView in) throws IOException {
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
