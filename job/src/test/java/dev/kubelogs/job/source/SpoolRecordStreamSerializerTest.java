package dev.kubelogs.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class SpoolRecordStreamSerializerTest {
    private static final TypeSerializer<SpoolRecord> POJO =
            TypeInformation.of(SpoolRecord.class).createSerializer(new SerializerConfigImpl());
    private static final SpoolRecordStreamSerializer STREAM = new SpoolRecordStreamSerializer(POJO);

    private static SpoolRecord batch() {
        SpoolRecord r = SpoolRecord.lines(
                SpoolRecordTest.header(Map.of(SpoolRecord.BOOT_ID, "boot")),
                4,
                List.of(SpoolRecordTest.line(100, "first", 0, 1), SpoolRecordTest.line(106, "second", 2, 2)));
        r.previousSeq = 6;
        return r;
    }

    @Test
    void aCopyIsTheRecordItself() {
        SpoolRecord r = batch();
        assertThat(STREAM.copy(r)).isSameAs(r);
        assertThat(STREAM.copy(r, new SpoolRecord())).isSameAs(r);
        assertThat(STREAM.isImmutableType()).isTrue();
    }

    @Test
    void writesAndReadsThePojoSerializersBytes() throws Exception {
        SpoolRecord r = batch();
        DataOutputSerializer pojo = new DataOutputSerializer(64);
        POJO.serialize(r, pojo);
        DataOutputSerializer stream = new DataOutputSerializer(64);
        STREAM.serialize(r, stream);
        assertThat(stream.getCopyOfBuffer()).isEqualTo(pojo.getCopyOfBuffer());
        SpoolRecord back = STREAM.deserialize(new DataInputDeserializer(pojo.getCopyOfBuffer()));
        assertThat(back).usingRecursiveComparison().isEqualTo(r);
        DataOutputSerializer copied = new DataOutputSerializer(1024);
        STREAM.copy(new DataInputDeserializer(pojo.getCopyOfBuffer()), copied);
        assertThat(copied.getCopyOfBuffer()).isEqualTo(pojo.getCopyOfBuffer());
    }

    @Test
    void itsSnapshotRestoresItAsCompatible() throws Exception {
        TypeSerializerSnapshot<SpoolRecord> snapshot = STREAM.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(256);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        TypeSerializerSnapshot<SpoolRecord> read = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        assertThat(read.restoreSerializer()).isEqualTo(STREAM);
        TypeSerializerSchemaCompatibility<SpoolRecord> compatibility =
                STREAM.snapshotConfiguration().resolveSchemaCompatibility(read);
        assertThat(compatibility.isCompatibleAsIs()).isTrue();
    }

    @Test
    void aDuplicateIsEqual() {
        assertThat(STREAM.duplicate()).isEqualTo(STREAM);
    }
}
