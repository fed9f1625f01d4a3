package dev.kubelogs.job.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.FileSourceSplitSerializer;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.core.fs.Path;
import org.junit.jupiter.api.Test;

class SpoolEnumeratorStateSerializerTest {
    private static final SpoolEnumeratorStateSerializer SERIALIZER = new SpoolEnumeratorStateSerializer();

    private static FileSourceSplit split(String node, long seq, long length) {
        return new FileSourceSplit(
                node + "/" + seq,
                new Path("s3://spool/" + node + "/0000000000000000000" + seq + ".seg"),
                0L,
                length,
                1_760_000_000_000L,
                length);
    }

    private static SpoolEnumeratorState state() {
        Map<String, Long> next = new LinkedHashMap<>();
        next.put("prod/ip-10-0-1-2.eu-west-1.compute.internal", 42L);
        next.put("prod/nöde-ü", 0L);
        next.put("staging/n", Long.MAX_VALUE);
        return new SpoolEnumeratorState(
                next,
                List.of(
                        split("prod/ip-10-0-1-2.eu-west-1.compute.internal", 7, 4096),
                        split("staging/n", 3, 100).updateWithCheckpointedPosition(new CheckpointedPosition(17, 5))));
    }

    private static void assertSameState(SpoolEnumeratorState actual, SpoolEnumeratorState expected) {
        assertThat(actual.nextSeqByNode()).containsExactlyEntriesOf(expected.nextSeqByNode());
        assertThat(actual.returnedSplits()).hasSameSizeAs(expected.returnedSplits());
        for (int i = 0; i < expected.returnedSplits().size(); i++) {
            FileSourceSplit a = actual.returnedSplits().get(i);
            FileSourceSplit e = expected.returnedSplits().get(i);
            assertThat(a.splitId()).isEqualTo(e.splitId());
            assertThat(a.path()).isEqualTo(e.path());
            assertThat(a.offset()).isEqualTo(e.offset());
            assertThat(a.length()).isEqualTo(e.length());
            assertThat(a.fileModificationTime()).isEqualTo(e.fileModificationTime());
            assertThat(a.fileSize()).isEqualTo(e.fileSize());
            assertThat(a.getReaderPosition()).isEqualTo(e.getReaderPosition());
        }
    }

    @Test
    void roundTripKeepsEveryNodeInOrderAndTheReturnedSplitsWithTheirPositions() throws IOException {
        SpoolEnumeratorState state = state();
        assertSameState(SERIALIZER.deserialize(SERIALIZER.getVersion(), SERIALIZER.serialize(state)), state);
        assertSameState(
                SERIALIZER.deserialize(SERIALIZER.getVersion(), SERIALIZER.serialize(SpoolEnumeratorState.empty())),
                SpoolEnumeratorState.empty());
    }

    @Test
    void theVersionIsOne() {
        assertThat(SERIALIZER.getVersion()).isEqualTo(1);
    }

    /** Version 1 as its layout is documented, written field by field: what savepoints of that version hold. */
    @Test
    void readsVersionOneAsItsLayoutIsWritten() throws IOException {
        FileSourceSplit returned =
                split("prod/a", 9, 512).updateWithCheckpointedPosition(new CheckpointedPosition(3, 2));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(2);
        out.writeUTF("prod/a");
        out.writeLong(10);
        out.writeUTF("prod/b");
        out.writeLong(1);
        out.writeInt(1);
        byte[] split = FileSourceSplitSerializer.INSTANCE.serialize(returned);
        out.writeInt(FileSourceSplitSerializer.INSTANCE.getVersion());
        out.writeInt(split.length);
        out.write(split);

        SpoolEnumeratorState read = SERIALIZER.deserialize(1, bytes.toByteArray());
        Map<String, Long> next = new LinkedHashMap<>();
        next.put("prod/a", 10L);
        next.put("prod/b", 1L);
        assertSameState(read, new SpoolEnumeratorState(next, List.of(returned)));
        assertThat(SERIALIZER.serialize(read)).isEqualTo(bytes.toByteArray());
    }

    @Test
    void anUnknownVersionIsNamed() {
        assertThatThrownBy(() -> SERIALIZER.deserialize(2, SERIALIZER.serialize(state())))
                .isInstanceOf(IOException.class)
                .hasMessage("Unknown spool enumerator state version 2");
    }

    @Test
    void aTruncatedStateIsACorruptStateNotAWrongOne() throws IOException {
        byte[] whole = SERIALIZER.serialize(state());
        for (int length = 0; length < whole.length; length++) {
            byte[] cut = Arrays.copyOf(whole, length);
            assertThatThrownBy(() -> SERIALIZER.deserialize(1, cut))
                    .as("cut at %d of %d bytes", length, whole.length)
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("corrupt spool enumerator state");
        }
    }

    @Test
    void impossibleCountsAndLengthsAreRefusedBeforeAnythingIsAllocated() throws IOException {
        for (int[] header : new int[][] {{-1, 0}, {0, -1}, {0, Integer.MAX_VALUE}}) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(header[0]);
            out.writeInt(header[1]);
            assertThatThrownBy(() -> SERIALIZER.deserialize(1, bytes.toByteArray()))
                    .as("counts %d, %d", header[0], header[1])
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("corrupt spool enumerator state");
        }
        for (int length : new int[] {-1, Integer.MAX_VALUE}) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(0);
            out.writeInt(1);
            out.writeInt(FileSourceSplitSerializer.INSTANCE.getVersion());
            out.writeInt(length);
            out.write(new byte[16]);
            assertThatThrownBy(() -> SERIALIZER.deserialize(1, bytes.toByteArray()))
                    .as("split length %d", length)
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("corrupt spool enumerator state");
        }
    }

    @Test
    void bytesAfterTheStateAreACorruptState() throws IOException {
        byte[] whole = SERIALIZER.serialize(state());
        byte[] longer = Arrays.copyOf(whole, whole.length + 3);
        assertThatThrownBy(() -> SERIALIZER.deserialize(1, longer))
                .isInstanceOf(IOException.class)
                .hasMessage("corrupt spool enumerator state: 3 bytes after its end");
    }
}
