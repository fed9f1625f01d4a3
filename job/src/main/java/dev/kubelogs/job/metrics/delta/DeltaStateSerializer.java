package dev.kubelogs.job.metrics.delta;

import dev.kubelogs.job.model.VarInts;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Serializer of {@link DeltaState}, the bytes every active series keeps in checkpoints and RocksDB.
 *
 * <p>Format 1: {@code varint size}; when not empty {@code long newest} (the newest timestamp), then per entry
 * {@code long id, double value, varint (newest - timestamp)}: a metric of a key that is scraped with the others costs
 * 17 bytes (its age is 0, one byte). The format is the snapshot's version: a new format gets a new version whose
 * snapshot still restores this one.
 */
public final class DeltaStateSerializer extends TypeSerializerSingleton<DeltaState> {
    private static final long serialVersionUID = 1L;
    public static final DeltaStateSerializer INSTANCE = new DeltaStateSerializer();
    /** More metrics than one key can hold (a scrape's sample_limit is 10,000 by default): a corrupt stream. */
    static final int MAX_ENTRIES = 1 << 20;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public DeltaState createInstance() {
        return new DeltaState(0);
    }

    @Override
    public DeltaState copy(DeltaState from) {
        return new DeltaState(from.ids.clone(), from.values.clone(), from.timestamps.clone(), from.size);
    }

    @Override
    public DeltaState copy(DeltaState from, DeltaState reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(DeltaState state, DataOutputView out) throws IOException {
        VarInts.write(state.size, out);
        if (state.size == 0) {
            return;
        }
        long newest = state.newestTimestamp();
        out.writeLong(newest);
        for (int i = 0; i < state.size; i++) {
            out.writeLong(state.ids[i]);
            out.writeDouble(state.values[i]);
            VarInts.write(newest - state.timestamps[i], out);
        }
    }

    @Override
    public DeltaState deserialize(DataInputView in) throws IOException {
        int size = VarInts.readLength(in, MAX_ENTRIES);
        DeltaState state = new DeltaState(size);
        if (size == 0) {
            return state;
        }
        long newest = in.readLong();
        for (int i = 0; i < size; i++) {
            long id = in.readLong();
            double value = in.readDouble();
            state.add(id, value, newest - VarInts.read(in));
        }
        return state;
    }

    @Override
    public DeltaState deserialize(DeltaState reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<DeltaState> snapshotConfiguration() {
        return new Snapshot();
    }

    /** The snapshot: its version is the state format. */
    public static final class Snapshot implements TypeSerializerSnapshot<DeltaState> {
        static final int FORMAT = 1;

        @Override
        public int getCurrentVersion() {
            return FORMAT;
        }

        @Override
        public void writeSnapshot(DataOutputView out) {}

        @Override
        public void readSnapshot(int version, DataInputView in, ClassLoader classLoader) throws IOException {
            if (version != FORMAT) {
                throw new IOException(
                        "delta state format " + version + " is newer than this release reads (" + FORMAT + ")");
            }
        }

        @Override
        public TypeSerializer<DeltaState> restoreSerializer() {
            return INSTANCE;
        }

        @Override
        public TypeSerializerSchemaCompatibility<DeltaState> resolveSchemaCompatibility(
                TypeSerializerSnapshot<DeltaState> oldSnapshot) {
            return oldSnapshot instanceof Snapshot
                    ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.incompatible();
        }
    }
}
