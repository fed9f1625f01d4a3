package dev.kubelogs.job.sink.cloudwatch;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.OperatorStateStore;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.runtime.checkpoint.CheckpointOptions;
import org.apache.flink.runtime.checkpoint.SavepointType;
import org.apache.flink.runtime.jobgraph.JobType;
import org.apache.flink.runtime.state.CheckpointStreamFactory;
import org.apache.flink.runtime.state.OperatorStateCheckpointOutputStream;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.AbstractStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.OperatorSnapshotFutures;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The sink's second operator, chained after the {@link CloudWatchLogsWriterOperator}: keeps the committables the
 * writer cut in its checkpoints and stores them in CloudWatch Logs ({@link CloudWatchLogsCommitter}) once a
 * checkpoint that holds them completed. Its uid is the one Flink derived for the Sink V2 committer ("Sink Committer:
 * &lt;sink uid&gt;"), so the committables such a committer left in a checkpoint are restored here and delivered
 * ({@link SinkV2CommitterState}).
 *
 * <p><b>State.</b> Raw operator state, one partition per committable not yet stored ({@link CommittableRawState}: the
 * committable's versioned bytes, encoded once per committable and written to the checkpoint stream in bulk in the
 * snapshot's asynchronous part). A rescale redistributes the partitions as it did the elements of the operator list
 * state {@code cloudwatch_logs_committables} ({@link CommittableTypeSerializer}) that earlier versions kept them in
 * (Flink's operator state backend passes that state to the file one byte at a time): restored from such a checkpoint,
 * the list's committables are taken over, the list is emptied and they are written as raw state from then on. A
 * restored committable is always read back before anything is put (its writer epoch differs from the committer's).
 *
 * <p><b>Commits off the task thread.</b> When a checkpoint completes, every committable of it and of earlier ones is
 * committed on the operator's commit thread (one commit at a time, so a stream's batches stay in order); the task goes
 * on reading input meanwhile. The outcome comes back through the task's mailbox: stored committables leave the state,
 * a failure fails the task (the job restarts from the last checkpoint and reads back). A snapshot taken while a
 * commit runs still holds its committables. Synchronously, on the task thread, are only the commits that must be done
 * before the task ends: after the end of input (the final checkpoint, or at once without checkpointing) and after a
 * stop-with-savepoint. Closed otherwise (failure, cancel), a running commit is interrupted; its committables are in
 * the last checkpoint.
 *
 * <p><b>Restore only.</b> Under the uid of a sink the job no longer has ({@link CloudWatchLogsSink#addRestoreOnly}) it
 * has no input: it delivers the committables a checkpoint or savepoint of the earlier job left under that uid, then
 * holds nothing. With nothing restored it does not even open a client.
 */
final class CloudWatchLogsCommitterOperator extends AbstractStreamOperator<Void>
        implements OneInputStreamOperator<CloudWatchLogsCommittable, Void>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    /** Where earlier versions kept the committables (read on restore, then emptied). */
    static final ListStateDescriptor<CloudWatchLogsCommittable> LIST_STATE =
            new ListStateDescriptor<>("cloudwatch_logs_committables", new CommittableTypeSerializer());

    private final CloudWatchLogsSinkConfig config;
    private final boolean restoreOnly;
    private final transient MailboxExecutor mailbox;
    private transient CloudWatchLogsCommitter committer;
    /** Set by {@link #snapshotState(long, long, CheckpointOptions, CheckpointStreamFactory)} while it runs. */
    private transient boolean writeInAsynchronousPart;
    /** The raw state write the synchronous part prepared for the asynchronous part, if any. */
    private transient PreparedWrite preparedWrite;
    /** Received from the writer since the last snapshot: in no checkpoint yet. */
    private final transient List<CloudWatchLogsCommittable> received = new ArrayList<>();
    /** In a checkpoint and not stored yet, in checkpoint order; a running commit holds a prefix of it. */
    private final transient ArrayDeque<Pending> pending = new ArrayDeque<>();

    private transient long lastCompletedCheckpoint = Long.MIN_VALUE;
    private transient Round running;
    private transient ExecutorService commitThread;
    private transient boolean endOfInput;
    private transient long synchronousSavepoint = Long.MIN_VALUE;

    CloudWatchLogsCommitterOperator(
            StreamOperatorParameters<Void> parameters, CloudWatchLogsSinkConfig config, boolean restoreOnly) {
        super(parameters);
        this.config = config;
        this.restoreOnly = restoreOnly;
        this.mailbox = parameters.getMailboxExecutor();
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        TaskInfo task = getRuntimeContext().getTaskInfo();
        long restored = context.getRestoredCheckpointId().orElse(-1L);
        if (context.isRestored()) {
            restore(context, restored, task);
        }
        if (!restoreOnly) {
            committer = new CloudWatchLogsCommitter(
                    config,
                    restored,
                    task.getIndexOfThisSubtask(),
                    getMetricGroup(),
                    HeldBytes.committer(config.sinkId, task));
        } else if (!pending.isEmpty()) {
            // what it stores was never held by the sink's writer of this subtask, which shares the sink's id
            committer = new CloudWatchLogsCommitter(
                    config, restored, task.getIndexOfThisSubtask(), getMetricGroup(), HeldBytes.unshared());
        }
    }

    private void restore(StateInitializationContext context, long restored, TaskInfo task) throws Exception {
        lastCompletedCheckpoint = restored; // everything in the checkpoint restored from is committable
        for (CloudWatchLogsCommittable c : CommittableRawState.read(context.getRawOperatorStateInputs())) {
            pending.add(new Pending(restored, c));
        }
        OperatorStateStore store = context.getOperatorStateStore();
        if (store.getRegisteredStateNames().contains(LIST_STATE.getName())) {
            ListState<CloudWatchLogsCommittable> list = store.getListState(LIST_STATE);
            for (CloudWatchLogsCommittable c : list.get()) {
                pending.add(new Pending(restored, c));
            }
            list.clear(); // from now on in the raw state
        }
        if (store.getRegisteredStateNames().contains(SinkV2CommitterState.DESCRIPTOR.getName())) {
            ListState<byte[]> sinkV2 = store.getListState(SinkV2CommitterState.DESCRIPTOR);
            for (CloudWatchLogsCommittable c : SinkV2CommitterState.committables(
                    sinkV2.get(), task.getIndexOfThisSubtask(), task.getNumberOfParallelSubtasks())) {
                pending.add(new Pending(restored, c));
            }
            sinkV2.clear(); // from now on in this operator's own state
        }
        if (!pending.isEmpty()) {
            LOG.info("restored {} CloudWatch Logs committables; committing them", pending.size());
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        startCommit(); // restored committables, as soon as possible
    }

    @Override
    public void processElement(StreamRecord<CloudWatchLogsCommittable> element) {
        if (restoreOnly) {
            throw new IllegalStateException("a restore-only committer got a committable: " + element.getValue());
        }
        received.add(element.getValue());
    }

    @Override
    public OperatorSnapshotFutures snapshotState(
            long checkpointId, long timestamp, CheckpointOptions options, CheckpointStreamFactory factory)
            throws Exception {
        if (options.getCheckpointType() instanceof SavepointType savepoint && savepoint.isSynchronous()) {
            synchronousSavepoint = checkpointId; // the task ends after it: its commit must not be left running
        }
        writeInAsynchronousPart = true;
        try {
            OperatorSnapshotFutures futures = super.snapshotState(checkpointId, timestamp, options, factory);
            PreparedWrite write = preparedWrite;
            if (write != null) {
                // Flink's future closes the raw state stream; the committables are written into it first, off the
                // task thread
                futures.setOperatorStateRawFuture(CommittableRawState.writeThenClose(
                        write.committables, write.out, futures.getOperatorStateRawFuture()));
            }
            return futures;
        } finally {
            writeInAsynchronousPart = false;
            preparedWrite = null;
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        for (CloudWatchLogsCommittable c : received) {
            pending.add(new Pending(context.getCheckpointId(), c));
        }
        received.clear();
        if (pending.isEmpty()) {
            return;
        }
        List<CloudWatchLogsCommittable> all = new ArrayList<>(pending.size());
        for (Pending p : pending) {
            all.add(p.committable);
        }
        OperatorStateCheckpointOutputStream out = context.getRawOperatorStateOutput(); // opening it writes nothing
        if (writeInAsynchronousPart) {
            preparedWrite = new PreparedWrite(all, out);
        } else {
            CommittableRawState.write(all, out); // called without the method above: Flink's own synchronous way
        }
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        lastCompletedCheckpoint = Math.max(lastCompletedCheckpoint, checkpointId);
        if (endOfInput || checkpointId == synchronousSavepoint) {
            commitOnTaskThread();
        } else {
            startCommit();
        }
    }

    @Override
    public void endInput() throws Exception {
        endOfInput = true;
        if (!checkpointing()) {
            // no final checkpoint will come (Flink's Sink V2 committer does the same)
            for (CloudWatchLogsCommittable c : received) {
                pending.add(new Pending(Long.MAX_VALUE, c));
            }
            received.clear();
            lastCompletedCheckpoint = Long.MAX_VALUE;
            commitOnTaskThread();
        }
    }

    private boolean checkpointing() {
        return getRuntimeContext().getJobType() == JobType.STREAMING
                && CheckpointingOptions.isCheckpointingEnabled(
                        getRuntimeContext().getJobConfiguration());
    }

    /** Starts committing what completed checkpoints hold, unless a commit is running (its end starts the next). */
    private void startCommit() {
        if (running != null) {
            return;
        }
        Round round = nextRound();
        if (round == null) {
            return;
        }
        running = round;
        commitThread().execute(() -> {
            round.run(committer);
            try {
                mailbox.execute(() -> finished(round), "CloudWatch Logs commit of %s batches", round.requests.size());
            } catch (RejectedExecutionException | IllegalStateException closed) {
                // the task is ending; its committables are in the last checkpoint
            }
        });
    }

    /** In the mailbox: the outcome of a commit run on the commit thread. */
    private void finished(Round round) throws IOException {
        if (running != round) {
            return; // already taken on the task thread (commitOnTaskThread)
        }
        running = null;
        apply(round);
        startCommit();
    }

    /** Waits for a running commit, then commits the rest of what completed checkpoints hold, on the task thread. */
    private void commitOnTaskThread() throws IOException, InterruptedException {
        awaitRunning();
        for (Round round = nextRound(); round != null; round = nextRound()) {
            running = round;
            round.run(committer);
            running = null;
            apply(round);
        }
    }

    private void awaitRunning() throws IOException, InterruptedException {
        Round round = running;
        if (round == null) {
            return;
        }
        try {
            round.done.get();
        } catch (ExecutionException e) {
            throw new IOException("CloudWatch Logs commit failed", e.getCause());
        }
        running = null;
        apply(round);
    }

    /** The pending committables of completed checkpoints, or null if there are none. */
    private Round nextRound() {
        List<Request> requests = new ArrayList<>();
        for (Pending p : pending) {
            if (p.checkpointId > lastCompletedCheckpoint) {
                break;
            }
            requests.add(new Request(p.committable));
        }
        return requests.isEmpty() ? null : new Round(requests);
    }

    /** Takes the stored committables out of the pending ones; any failure fails the task. */
    private void apply(Round round) throws IOException {
        if (round.failure instanceof CloudWatchLogsFatalException fatal) {
            throw fatal; // already logged as one line; ends the job without restarts
        }
        if (round.failure != null) {
            throw new IOException(
                    "CloudWatch Logs commit failed; the job restarts from the last checkpoint and reads back",
                    round.failure);
        }
        for (Request r : round.requests) {
            if (r.failure != null || r.retry) {
                throw new IOException(
                        "commit of " + r.committable + " failed; the job restarts from the last checkpoint and "
                                + "reads it back",
                        r.failure);
            }
        }
        for (int i = 0; i < round.requests.size(); i++) {
            pending.removeFirst();
        }
    }

    private ExecutorService commitThread() {
        if (commitThread == null) {
            String name = "cwlogs-commit-" + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
            commitThread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            });
        }
        return commitThread;
    }

    @Override
    public void finish() throws Exception {
        if (endOfInput) {
            awaitRunning(); // covered by a completed checkpoint and the job is ending: finish it
        }
        super.finish();
    }

    /**
     * Called after {@link #finish()} when the task ends normally, and alone when it fails or is cancelled: then it does
     * not wait for a running commit (against an endpoint that may be gone, within its retry budget), it interrupts it
     * and closes the committer, whose committables are in the last checkpoint.
     */
    @Override
    public void close() throws Exception {
        try {
            if (commitThread != null) {
                commitThread.shutdownNow();
            }
        } finally {
            try {
                if (committer != null) {
                    committer.close();
                }
            } finally {
                super.close();
            }
        }
    }

    /** The committables of a snapshot and the raw state stream its synchronous part opened for them. */
    private record PreparedWrite(
            List<CloudWatchLogsCommittable> committables, OperatorStateCheckpointOutputStream out) {}

    /** A committable in a checkpoint: the first checkpoint that holds it. */
    private record Pending(long checkpointId, CloudWatchLogsCommittable committable) {}

    /** One commit call: its requests and, once done, their outcome. */
    private static final class Round {
        final List<Request> requests;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        Exception failure;

        Round(List<Request> requests) {
            this.requests = requests;
        }

        void run(CloudWatchLogsCommitter committer) {
            try {
                committer.commit(new ArrayList<>(requests));
            } catch (Exception e) {
                failure = e;
            } finally {
                done.complete(null);
            }
        }
    }

    /** What the committer said about one committable. */
    private static final class Request implements Committer.CommitRequest<CloudWatchLogsCommittable> {
        final CloudWatchLogsCommittable committable;
        Throwable failure;
        boolean retry;

        Request(CloudWatchLogsCommittable committable) {
            this.committable = committable;
        }

        @Override
        public CloudWatchLogsCommittable getCommittable() {
            return committable;
        }

        @Override
        public int getNumberOfRetries() {
            return 0;
        }

        @Override
        public void signalFailedWithKnownReason(Throwable t) {
            failure = t;
        }

        @Override
        public void signalFailedWithUnknownReason(Throwable t) {
            failure = t;
        }

        @Override
        public void retryLater() {
            retry = true;
        }

        @Override
        public void updateAndRetryLater(CloudWatchLogsCommittable committable) {
            retry = true;
        }

        @Override
        public void signalAlreadyCommitted() {
            // stored before: as good as stored now (the committer counted it)
        }
    }

    /** Creates the operator in the task, with the task's mailbox. */
    static final class Factory extends AbstractStreamOperatorFactory<Void>
            implements OneInputStreamOperatorFactory<CloudWatchLogsCommittable, Void> {
        private static final long serialVersionUID = 1L;

        private final CloudWatchLogsSinkConfig config;
        private final boolean restoreOnly;

        Factory(CloudWatchLogsSinkConfig config, boolean restoreOnly) {
            this.config = config;
            this.restoreOnly = restoreOnly;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T extends StreamOperator<Void>> T createStreamOperator(StreamOperatorParameters<Void> parameters) {
            return (T) new CloudWatchLogsCommitterOperator(parameters, config, restoreOnly);
        }

        @Override
        @SuppressWarnings("rawtypes")
        public Class<? extends StreamOperator> getStreamOperatorClass(ClassLoader classLoader) {
            return CloudWatchLogsCommitterOperator.class;
        }
    }
}
