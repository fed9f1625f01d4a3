package dev.kubelogs.job.sink.cloudwatch;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.io.SimpleVersionedSerialization;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink's view of a {@link CloudWatchLogsCommittable}: its {@link CloudWatchLogsCommittableSerializer} bytes behind
 * their version and length ({@link SimpleVersionedSerialization}), written straight into the state backend's
 * stream (the committer's operator state) or the writer's output. A committable is immutable, so Flink copies the
 * reference, never the events: the operator state backend's snapshot copies its list of committables, not each one,
 * and writes each in the snapshot's asynchronous part, from bytes encoded once per committable.
 */
public final class CommittableTypeSerializer extends TypeSerializer<CloudWatchLogsCommittable> {
    private static final long serialVersionUID = 1L;

    private static final CloudWatchLogsCommittableSerializer VERSIONED = new CloudWatchLogsCommittableSerializer();

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public TypeSerializer<CloudWatchLogsCommittable> duplicate() {
        return this; // stateless
    }

    @Override
    public CloudWatchLogsCommittable createInstance() {
        return null;
    }

    @Override
    public CloudWatchLogsCommittable copy(CloudWatchLogsCommittable from) {
        return from;
    }

    @Override
    public CloudWatchLogsCommittable copy(CloudWatchLogsCommittable from, CloudWatchLogsCommittable reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(CloudWatchLogsCommittable record, DataOutputView target) throws IOException {
        SimpleVersionedSerialization.writeVersionAndSerialize(VERSIONED, record, target);
    }

    @Override
    public CloudWatchLogsCommittable deserialize(DataInputView source) throws IOException {
        return SimpleVersionedSerialization.readVersionAndDeSerialize(VERSIONED, source);
    }

    @Override
    public CloudWatchLogsCommittable deserialize(CloudWatchLogsCommittable reuse, DataInputView source)
            throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        target.writeInt(source.readInt()); // version
        int length = source.readInt();
        target.writeInt(length);
        target.write(source, length);
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof CommittableTypeSerializer;
    }

    @Override
    public int hashCode() {
        return CommittableTypeSerializer.class.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<CloudWatchLogsCommittable> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Written into checkpoints by class name: keep the name. The layout's versions are in each element. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<CloudWatchLogsCommittable> {
        public Snapshot() {
            super(CommittableTypeSerializer::new);
        }
    }
}
