package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RunnableFuture;
import org.apache.flink.core.fs.CloseableRegistry;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.runtime.state.CheckpointStateOutputStream;
import org.apache.flink.runtime.state.CheckpointStreamFactory;
import org.apache.flink.runtime.state.CheckpointedStateScope;
import org.apache.flink.runtime.state.DefaultOperatorStateBackend;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.OperatorStateHandle;
import org.apache.flink.runtime.state.SnapshotResult;
import org.apache.flink.runtime.state.StatePartitionStreamProvider;
import org.apache.flink.runtime.state.StateSnapshotContextSynchronousImpl;
import org.apache.flink.runtime.state.StreamStateHandle;
import org.apache.flink.runtime.state.memory.ByteStreamStateHandle;
import org.junit.jupiter.api.Test;

/** The committer's raw operator state, through Flink's own raw state stream and closing future. */
class CommittableRawStateTest {

    /** A checkpoint file in memory that counts how it is written to and whether its state was discarded. */
    static final class RecordingStream extends CheckpointStateOutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long singleByteWrites;
        long bulkWrites;
        boolean closed;
        boolean discarded;
        int failAfterBulkWrites = Integer.MAX_VALUE;

        @Override
        public void write(int b) {
            singleByteWrites++;
            bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (bulkWrites == failAfterBulkWrites) {
                throw new IOException("disk full");
            }
            bulkWrites++;
            bytes.write(b, off, len);
        }

        @Override
        public long getPos() {
            return bytes.size();
        }

        @Override
        public void flush() {}

        @Override
        public void sync() {}

        @Override
        public StreamStateHandle closeAndGetHandle() {
            closed = true;
            return new ByteStreamStateHandle("raw", bytes.toByteArray()) {
                private static final long serialVersionUID = 1L;

                @Override
                public void discardState() {
                    discarded = true;
                }
            };
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** What a snapshot's synchronous part leaves: Flink's raw state stream, and our write before Flink's close. */
    private static final class Snapshot {
        final RecordingStream file = new RecordingStream();
        final RunnableFuture<SnapshotResult<OperatorStateHandle>> close;
        final RunnableFuture<SnapshotResult<OperatorStateHandle>> future;

        Snapshot(List<CloudWatchLogsCommittable> committables) throws Exception {
            StateSnapshotContextSynchronousImpl context = new StateSnapshotContextSynchronousImpl(
                    1, 1, new OneStream(file), KeyGroupRange.of(0, 0), new CloseableRegistry());
            var out = context.getRawOperatorStateOutput();
            close = context.getOperatorStateStreamFuture();
            future = CommittableRawState.writeThenClose(committables, out, close);
        }
    }

    private static List<CloudWatchLogsCommittable> committables() {
        List<CloudWatchLogsCommittable> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            out.add(new CloudWatchLogsCommittable(
                    "g",
                    "stream-" + i,
                    7,
                    0,
                    i,
                    1_000L,
                    List.of(new SinkEvent(1_000L + i, "{\"log\":\"line " + i + "\"}", "src", i))));
        }
        return out;
    }

    private static List<CloudWatchLogsCommittable> readBack(OperatorStateHandle handle) throws IOException {
        long[] offsets = handle.getStateNameToPartitionOffsets()
                .get(DefaultOperatorStateBackend.DEFAULT_OPERATOR_STATE_NAME)
                .getOffsets();
        List<StatePartitionStreamProvider> partitions = new ArrayList<>();
        for (long offset : offsets) {
            FSDataInputStream in = handle.openInputStream();
            in.seek(offset);
            partitions.add(new StatePartitionStreamProvider(in));
        }
        return CommittableRawState.read(partitions);
    }

    @Test
    void theCommittablesReachTheCheckpointStreamInBulkOnePartitionEach() throws Exception {
        List<CloudWatchLogsCommittable> committables = committables();
        Snapshot snapshot = new Snapshot(committables);
        assertThat(snapshot.file.getPos())
                .as("nothing written in the synchronous part")
                .isZero();

        snapshot.future.run();
        OperatorStateHandle handle = snapshot.future.get().getJobManagerOwnedSnapshot();

        assertThat(snapshot.file.singleByteWrites).isZero();
        assertThat(snapshot.file.bulkWrites)
                .as("a header and the bytes per committable")
                .isEqualTo(6);
        assertThat(snapshot.file.closed).isTrue();
        assertThat(handle.getStateNameToPartitionOffsets()
                        .get(DefaultOperatorStateBackend.DEFAULT_OPERATOR_STATE_NAME)
                        .getDistributionMode())
                .isEqualTo(OperatorStateHandle.Mode.SPLIT_DISTRIBUTE);
        List<CloudWatchLogsCommittable> restored = readBack(handle);
        assertThat(restored).hasSize(3);
        CloudWatchLogsCommittableSerializer serializer = new CloudWatchLogsCommittableSerializer();
        for (int i = 0; i < 3; i++) {
            assertThat(serializer.serialize(restored.get(i))).isEqualTo(serializer.serialize(committables.get(i)));
        }
    }

    @Test
    void cancelledBeforeItRanItWritesNothingAndFlinksFutureClosesTheStream() throws Exception {
        Snapshot snapshot = new Snapshot(committables());
        assertThat(snapshot.future.cancel(true)).isTrue();
        snapshot.future.run();
        assertThat(snapshot.close.isCancelled()).isTrue();
        assertThat(snapshot.file.getPos()).isZero();
        assertThat(snapshot.file.closed).isTrue();
    }

    @Test
    void aFailedWriteFailsTheSnapshotAndDiscardsWhatItWrote() throws Exception {
        Snapshot snapshot = new Snapshot(committables());
        snapshot.file.failAfterBulkWrites = 3;
        snapshot.future.run();
        assertThatThrownBy(snapshot.future::get)
                .isInstanceOf(ExecutionException.class)
                .hasRootCauseMessage("disk full");
        assertThat(snapshot.file.closed).isTrue();
        assertThat(snapshot.file.discarded).isTrue();
    }

    /** Hands out the one stream. */
    private record OneStream(CheckpointStateOutputStream stream) implements CheckpointStreamFactory {
        @Override
        public CheckpointStateOutputStream createCheckpointStateOutputStream(CheckpointedStateScope scope) {
            return stream;
        }

        @Override
        public boolean canFastDuplicate(StreamStateHandle handle, CheckpointedStateScope scope) {
            return false;
        }

        @Override
        public List<StreamStateHandle> duplicate(List<StreamStateHandle> handles, CheckpointedStateScope scope) {
            throw new UnsupportedOperationException();
        }
    }
}
