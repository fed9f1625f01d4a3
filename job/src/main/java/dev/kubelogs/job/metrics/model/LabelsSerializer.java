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
 * Flink serializer of {@link Labels}: a varint header ({@code 0} = null, else the number of labels + 1), then each
 * label's name and value as {@link StringValue} strings (one byte a character for ASCII), in the labels' sorted
 * order. Labels are immutable, so a copy is the same object.
 */
public final class LabelsSerializer extends TypeSerializerSingleton<Labels> {
    private static final long serialVersionUID = 1L;
    public static final LabelsSerializer INSTANCE = new LabelsSerializer();
    /** More labels than any exposition carries: a larger count is a corrupt stream, not an allocation to try. */
    static final int MAX_LABELS = 1 << 16;

    /** Picked up by Flink's type extraction through {@code @TypeInfo} on {@link Labels}. */
    public static final class Factory extends TypeInfoFactory<Labels> {
        @Override
        public TypeInformation<Labels> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new SerializerTypeInfo<>(Labels.class, INSTANCE);
        }
    }

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public Labels createInstance() {
        return Labels.EMPTY;
    }

    @Override
    public Labels copy(Labels from) {
        return from;
    }

    @Override
    public Labels copy(Labels from, Labels reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(Labels labels, DataOutputView out) throws IOException {
        write(labels, out);
    }

    @Override
    public Labels deserialize(DataInputView in) throws IOException {
        return read(in);
    }

    @Override
    public Labels deserialize(Labels reuse, DataInputView in) throws IOException {
        return read(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        long header = VarInts.copy(in, out);
        for (long i = 1; i < header; i++) {
            StringValue.copyString(in, out);
            StringValue.copyString(in, out);
        }
    }

    @Override
    public TypeSerializerSnapshot<Labels> snapshotConfiguration() {
        return new Snapshot();
    }

    static void write(Labels labels, DataOutputView out) throws IOException {
        if (labels == null) {
            VarInts.write(0, out);
            return;
        }
        VarInts.write(labels.size() + 1L, out);
        for (int i = 0; i < labels.size(); i++) {
            StringValue.writeString(labels.name(i), out);
            StringValue.writeString(labels.value(i), out);
        }
    }

    static Labels read(DataInputView in) throws IOException {
        int header = VarInts.readLength(in, MAX_LABELS + 1);
        if (header == 0) {
            return null;
        }
        String[] names = new String[header - 1];
        String[] values = new String[header - 1];
        for (int i = 0; i < names.length; i++) {
            names[i] = StringValue.readString(in);
            values[i] = StringValue.readString(in);
        }
        return Labels.fromArrays(names, values);
    }

    /** Snapshot of the (stateless) serializer. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Labels> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
