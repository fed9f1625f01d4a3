package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class CommittableTypeSerializerTest {
    private final CommittableTypeSerializer serializer = new CommittableTypeSerializer();

    private static CloudWatchLogsCommittable committable() {
        return new CloudWatchLogsCommittable(
                "group",
                "stream",
                7,
                1,
                3,
                1_700_000_000_000L,
                List.of(
                        new SinkEvent(1_700_000_000_000L, "{\"log\":\"a\"}", "src", 10),
                        new SinkEvent(1_700_000_000_001L, "{\"log\":\"b é\"}", null, 0)));
    }

    @Test
    void writesTheVersionedBytesAndReadsThemBack() throws Exception {
        CloudWatchLogsCommittable c = committable();
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(c, out);
        byte[] versioned = new CloudWatchLogsCommittableSerializer().serialize(c);

        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        assertThat(in.readInt()).isEqualTo(CloudWatchLogsCommittableSerializer.VERSION_4);
        assertThat(in.readInt()).isEqualTo(versioned.length);
        assertThat(serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())))
                .isEqualTo(c);
    }

    @Test
    void copiesAreTheSameImmutableInstance() {
        CloudWatchLogsCommittable c = committable();
        assertThat(serializer.isImmutableType()).isTrue();
        assertThat(serializer.copy(c)).isSameAs(c);
        assertThat(serializer.copy(c, null)).isSameAs(c);
    }

    @Test
    void copiesSerializedBytesAsTheyAre() throws Exception {
        DataOutputSerializer first = new DataOutputSerializer(64);
        serializer.serialize(committable(), first);
        serializer.serialize(committable(), first);
        DataInputDeserializer in = new DataInputDeserializer(first.getCopyOfBuffer());
        // DataOutputSerializer grows on its own writes, not on write(DataInputView, n), as for Flink's serializers
        DataOutputSerializer copy = new DataOutputSerializer(1024);
        serializer.copy(in, copy);
        serializer.copy(in, copy);
        assertThat(copy.getCopyOfBuffer()).isEqualTo(first.getCopyOfBuffer());
    }

    @Test
    void itsSnapshotRestoresACompatibleSerializer() throws Exception {
        TypeSerializerSnapshot<CloudWatchLogsCommittable> snapshot = serializer.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        TypeSerializerSnapshot<CloudWatchLogsCommittable> read = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        TypeSerializer<CloudWatchLogsCommittable> restored = read.restoreSerializer();
        assertThat(restored).isEqualTo(serializer);
        assertThat(serializer
                        .snapshotConfiguration()
                        .resolveSchemaCompatibility(read)
                        .isCompatibleAsIs())
                .isTrue();
    }
}
