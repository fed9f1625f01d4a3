package dev.kubelogs.job.sink.cloudwatch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.flink.core.io.SimpleVersionedSerialization;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.apache.flink.runtime.state.OperatorStateCheckpointOutputStream;
import org.apache.flink.runtime.state.OperatorStateHandle;
import org.apache.flink.runtime.state.SnapshotResult;
import org.apache.flink.runtime.state.StatePartitionStreamProvider;

/**
 * The committer's committables in its raw operator state: one partition per committable, each the committable's
 * {@link CloudWatchLogsCommittableSerializer} bytes behind their version and length (the layout of
 * {@link SimpleVersionedSerialization}, as in the managed list state the committer kept before), passed to the
 * checkpoint stream in two bulk writes.
 *
 * <p>Why not managed operator state: Flink 2.3's operator state backend writes it through
 * {@code CompressibleFSDataOutputStream}, which overrides {@code write(int)} only, so a checkpoint's events reached the
 * file one virtual call per byte ({@code OperatorStateByteWritesTest}). Raw operator state goes to the checkpoint
 * stream itself. Flink writes raw state in the snapshot's synchronous part, on the task thread; here only the stream is
 * opened there ({@link #writeThenClose}) and the committables are written in the asynchronous part, before Flink's
 * own future closes the stream. Rescaling distributes the partitions as it does a split-distribute list state's
 * elements (round robin, each to exactly one subtask).
 */
final class CommittableRawState {
    private static final CloudWatchLogsCommittableSerializer SERIALIZER = new CloudWatchLogsCommittableSerializer();

    private CommittableRawState() {}

    /** Writes the committables, one partition each. */
    static void write(List<CloudWatchLogsCommittable> committables, OperatorStateCheckpointOutputStream out)
            throws IOException {
        byte[] header = new byte[8];
        putInt(header, 0, SERIALIZER.getVersion());
        for (CloudWatchLogsCommittable c : committables) {
            byte[] bytes = SERIALIZER.serialize(c); // encoded once per committable, then kept with it
            putInt(header, 4, bytes.length);
            out.startNewPartition();
            out.write(header, 0, header.length);
            out.write(bytes, 0, bytes.length);
        }
    }

    /** The committables of the raw operator state partitions this subtask got, in their order. */
    static List<CloudWatchLogsCommittable> read(Iterable<StatePartitionStreamProvider> partitions) throws IOException {
        List<CloudWatchLogsCommittable> out = new ArrayList<>();
        for (StatePartitionStreamProvider partition : partitions) {
            // the stream is the state file's, positioned at the partition; Flink closes it
            out.add(SimpleVersionedSerialization.readVersionAndDeSerialize(
                    SERIALIZER, new DataInputViewStreamWrapper(partition.getStream())));
        }
        return out;
    }

    /**
     * The snapshot's asynchronous part for raw operator state: writes the committables into {@code out}, which the
     * synchronous part opened, then runs {@code close}, Flink's future that closes it into the state handle.
     */
    static RunnableFuture<SnapshotResult<OperatorStateHandle>> writeThenClose(
            List<CloudWatchLogsCommittable> committables,
            OperatorStateCheckpointOutputStream out,
            RunnableFuture<SnapshotResult<OperatorStateHandle>> close) {
        return new WriteThenClose(committables, out, close);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    /** Flink's closing future, preceded by the write. */
    private static final class WriteThenClose implements RunnableFuture<SnapshotResult<OperatorStateHandle>> {
        private final List<CloudWatchLogsCommittable> committables;
        private final OperatorStateCheckpointOutputStream out;
        private final RunnableFuture<SnapshotResult<OperatorStateHandle>> close;
        private final FutureTask<SnapshotResult<OperatorStateHandle>> task = new FutureTask<>(this::writeAndClose);
        private volatile boolean started;

        WriteThenClose(
                List<CloudWatchLogsCommittable> committables,
                OperatorStateCheckpointOutputStream out,
                RunnableFuture<SnapshotResult<OperatorStateHandle>> close) {
            this.committables = committables;
            this.out = out;
            this.close = close;
        }

        private SnapshotResult<OperatorStateHandle> writeAndClose() throws Exception {
            started = true;
            try {
                write(committables, out);
            } catch (IOException | RuntimeException e) {
                discard(e);
                throw e;
            }
            close.run();
            SnapshotResult<OperatorStateHandle> written = close.get();
            if (task.isCancelled()) {
                written.discardState(); // nobody takes the result of a cancelled future
            }
            return written;
        }

        /** A failed write still closes the stream, and drops what it wrote. */
        private void discard(Exception failure) {
            try {
                close.run();
                close.get().discardState();
            } catch (Exception e) {
                failure.addSuppressed(e);
            }
        }

        @Override
        public void run() {
            task.run();
        }

        /**
         * Cancelled before it ran (the checkpoint was aborted), Flink's closing future is cancelled too: it closes the
         * stream. Cancelled while it runs, the write finishes and what it wrote is discarded.
         */
        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = task.cancel(mayInterruptIfRunning);
            if (cancelled && !started) {
                close.cancel(mayInterruptIfRunning);
            }
            return cancelled;
        }

        @Override
        public boolean isCancelled() {
            return task.isCancelled();
        }

        @Override
        public boolean isDone() {
            return task.isDone();
        }

        @Override
        public SnapshotResult<OperatorStateHandle> get() throws InterruptedException, ExecutionException {
            return task.get();
        }

        @Override
        public SnapshotResult<OperatorStateHandle> get(long timeout, TimeUnit unit)
                throws InterruptedException, ExecutionException, TimeoutException {
            return task.get(timeout, unit);
        }
    }
}
