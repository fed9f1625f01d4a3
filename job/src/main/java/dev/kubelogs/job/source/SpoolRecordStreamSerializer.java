package dev.kubelogs.job.source;

import java.io.IOException;
import java.util.Objects;
import org.apache.flink.api.common.typeutils.CompositeTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link SpoolRecord}'s POJO serializer whose copy is the record itself. With object reuse off, Flink copies every
 * record between chained operators; between the spool source and the keyed stage that was a reflective deep copy of
 * each batch of lines (its bytes and four arrays). A record is not written after the source made it (its factories
 * fill it; the keyed stage only reads it, and holds it in state as it is), so the copy would only repeat it.
 * Serialization is the POJO serializer's, byte for byte.
 */
public final class SpoolRecordStreamSerializer extends TypeSerializer<SpoolRecord> {
    private static final long serialVersionUID = 1L;

    private final TypeSerializer<SpoolRecord> pojo;

    public SpoolRecordStreamSerializer(TypeSerializer<SpoolRecord> pojo) {
        this.pojo = Objects.requireNonNull(pojo);
    }

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public TypeSerializer<SpoolRecord> duplicate() {
        TypeSerializer<SpoolRecord> duplicate = pojo.duplicate();
        return duplicate == pojo ? this : new SpoolRecordStreamSerializer(duplicate);
    }

    @Override
    public SpoolRecord createInstance() {
        return pojo.createInstance();
    }

    @Override
    public SpoolRecord copy(SpoolRecord from) {
        return from;
    }

    @Override
    public SpoolRecord copy(SpoolRecord from, SpoolRecord reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return pojo.getLength();
    }

    @Override
    public void serialize(SpoolRecord record, DataOutputView target) throws IOException {
        pojo.serialize(record, target);
    }

    @Override
    public SpoolRecord deserialize(DataInputView source) throws IOException {
        return pojo.deserialize(source);
    }

    @Override
    public SpoolRecord deserialize(SpoolRecord reuse, DataInputView source) throws IOException {
        return pojo.deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        pojo.copy(source, target);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpoolRecordStreamSerializer other && pojo.equals(other.pojo);
    }

    @Override
    public int hashCode() {
        return pojo.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<SpoolRecord> snapshotConfiguration() {
        return new Snapshot(this);
    }

    /** The POJO serializer's snapshot inside; no state holds this serializer, but Flink asks every one for it. */
    public static final class Snapshot
            extends CompositeTypeSerializerSnapshot<SpoolRecord, SpoolRecordStreamSerializer> {
        public Snapshot() {}

        Snapshot(SpoolRecordStreamSerializer serializer) {
            super(serializer);
        }

        @Override
        protected int getCurrentOuterSnapshotVersion() {
            return 1;
        }

        @Override
        protected TypeSerializer<?>[] getNestedSerializers(SpoolRecordStreamSerializer outer) {
            return new TypeSerializer<?>[] {outer.pojo};
        }

        @Override
        @SuppressWarnings("unchecked") // the one nested serializer is the POJO serializer this snapshot wrote
        protected SpoolRecordStreamSerializer createOuterSerializerWithNestedSerializers(TypeSerializer<?>[] nested) {
            return new SpoolRecordStreamSerializer((TypeSerializer<SpoolRecord>) nested[0]);
        }
    }
}
