package dev.kubelogs.job.sink.cloudwatch;

import com.sun.management.ThreadMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.runtime.checkpoint.CheckpointOptions;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.CheckpointStorageAccess;
import org.apache.flink.runtime.state.CheckpointStorageLocationReference;
import org.apache.flink.runtime.state.CheckpointStreamFactory;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.storage.FileSystemCheckpointStorage;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableSummary;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.AbstractStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.OperatorSnapshotFinalizer;
import org.apache.flink.streaming.api.operators.OperatorSnapshotFutures;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;
import org.apache.flink.streaming.runtime.operators.sink.CommitterOperatorFactory;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;

/**
 * The sink's checkpoint path in one thread: the committables of {@code EVENTS} events (100 streams, Container
 * Insights-like JSON with the shared kubernetes block) pending in the committer, snapshotted (synchronous and
 * asynchronous part, both run here) into checkpoint files again and again. Prints bytes allocated and CPU per event and
 * snapshot of each arm: {@code sink-v2} (Flink's Sink V2 {@code CommitterOperator}), {@code list-state} (the committables
 * in the managed operator list state {@code cloudwatch_logs_committables}, as {@link CloudWatchLogsCommitterOperator}
 * kept them before: Flink writes it one byte at a time; {@link ListStateCommitter} is that operator's snapshot path) and
 * {@code raw-state} ({@link CloudWatchLogsCommitterOperator}: raw operator state written in bulk in the asynchronous
 * part). Arms are given as arguments (default {@code list-state raw-state}); after one JIT-warming pass they alternate
 * for {@code RUNS} runs; {@code held} and {@code steady} are the sink's held events ({@link HeldEventsLoad}). Not a test: run it by hand ({@code java -cp <test classpath>
 * dev.kubelogs.job.sink.cloudwatch.CheckpointPathStageLoop [arm...]}).
 */
public final class CheckpointPathStageLoop {
    static final int EVENTS = 100_000;
    static final int STREAMS = 100;
    static final int ROUNDS = 30;
    static final int RUNS = 3;

    private CheckpointPathStageLoop() {}

    public static void main(String[] args) throws Exception {
        Path deadLetters = Files.createTempDirectory("stage-loop");
        CloudWatchLogsSinkConfig config = SinkTestSupport.localBuilder(
                        java.net.URI.create("http://127.0.0.1:1"), deadLetters)
                .build()
                .config();
        List<String> arms = args.length == 0 ? List.of("list-state", "raw-state") : List.of(args);
        for (int run = 0; run <= RUNS; run++) { // run 0 warms the JIT
            boolean print = run > 0;
            for (String arm : arms) {
                switch (arm) {
                    case "sink-v2" -> sinkV2(print);
                    case "list-state" -> operator("list-state", new ListStateCommitter.Factory(), print);
                    case "raw-state" ->
                        operator("raw-state", new CloudWatchLogsCommitterOperator.Factory(config, false), print);
                    case "held" -> HeldEventsLoad.held(print);
                    case "steady" -> {
                        if (print) {
                            HeldEventsLoad.steady();
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown arm " + arm);
                }
            }
        }
    }

    private static List<CloudWatchLogsCommittable> committables() {
        List<CloudWatchLogsCommittable> out = new ArrayList<>();
        String kubernetes =
                ",\"kubernetes\":{\"pod_name\":\"orders-7d9f\",\"namespace_name\":\"shop\",\"pod_id\":\"4f1c"
                        + "0b1e-1d2a-4c43-9a7e-2f8b6c1d0e5a\",\"host\":\"ip-10-0-1-10.ec2.internal\",\"container_name\":\"orders\","
                        + "\"docker_id\":\"" + "ab".repeat(32) + "\",\"container_hash\":\"repo/orders@sha256:"
                        + "cd".repeat(32)
                        + "\",\"container_image\":\"repo/orders:1.4.2\",\"labels\":{\"app\":\"orders\",\"pod-template-hash\":"
                        + "\"7d9f\"}}}";
        long seq = 0;
        long t0 = System.currentTimeMillis();
        for (int s = 0; s < STREAMS; s++) {
            List<SinkEvent> events = new ArrayList<>();
            for (int i = 0; i < EVENTS / STREAMS; i++) {
                String log = "{\"log\":\"2026-12-04T10:00:00.123Z INFO  [orders] request " + (s * 7919L + i)
                        + " served in " + (i % 97) + " ms\",\"stream\":\"stdout\"" + kubernetes;
                events.add(new SinkEvent(t0 + i, log, "node/var/log/pods/shop_orders/" + s, i * 180L));
            }
            for (List<SinkEvent> batch : BatchCutter.cut(events)) {
                out.add(new CloudWatchLogsCommittable(
                        "/aws/containerinsights/prod/application", "stream-" + s, 41, 0, seq++, t0, batch));
            }
        }
        return out;
    }

    private static void sinkV2(boolean print) throws Exception {
        List<CloudWatchLogsCommittable> committables = committables();
        try (OneInputStreamOperatorTestHarness<
                        CommittableMessage<CloudWatchLogsCommittable>, CommittableMessage<CloudWatchLogsCommittable>>
                h = new OneInputStreamOperatorTestHarness<>(
                        new CommitterOperatorFactory<>(new NeverCommits(), false, true), 128, 1, 0)) {
            h.open();
            h.processElement(new StreamRecord<>(new CommittableSummary<>(0, 1, 1L, committables.size(), 0)));
            for (CloudWatchLogsCommittable c : committables) {
                h.processElement(new StreamRecord<>(new CommittableWithLineage<>(c, 1L, 0)));
            }
            measure("sink-v2", h, print);
        }
    }

    private static void operator(
            String arm, OneInputStreamOperatorFactory<CloudWatchLogsCommittable, Void> factory, boolean print)
            throws Exception {
        List<CloudWatchLogsCommittable> committables = committables();
        try (OneInputStreamOperatorTestHarness<CloudWatchLogsCommittable, Void> h =
                new OneInputStreamOperatorTestHarness<>(factory, 128, 1, 0)) {
            h.open();
            for (CloudWatchLogsCommittable c : committables) {
                h.processElement(new StreamRecord<>(c));
            }
            measure(arm, h, print);
        }
    }

    /** Checkpoints into files, as on a cluster (the harness's default keeps at most 5 MB in memory). */
    private static FileSystemCheckpointStorage storage() throws IOException {
        return new FileSystemCheckpointStorage(
                Files.createTempDirectory("stage-loop-checkpoints").toUri());
    }

    /**
     * {@code ROUNDS} snapshots of everything pending, each split as a task does it: the synchronous part (the task
     * thread, {@code snapshotState} returning its futures) and the asynchronous part (run here in the same thread).
     */
    private static void measure(String what, OneInputStreamOperatorTestHarness<?, ?> h, boolean print)
            throws Exception {
        CheckpointStorageAccess access = storage().createCheckpointStorage(new JobID());
        access.initializeBaseLocationsForCheckpoint();
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long syncBytes = 0;
        long syncCpu = 0;
        long asyncBytes = 0;
        long asyncCpu = 0;
        long stateBytes = 0;
        for (int i = 0; i < ROUNDS; i++) {
            long checkpoint = 2 + i; // nothing completes: every snapshot holds all committables
            CheckpointStreamFactory streams = access.resolveCheckpointStorageLocation(
                    checkpoint, CheckpointStorageLocationReference.getDefault());
            long b0 = threads.getThreadAllocatedBytes(id);
            long c0 = threads.getCurrentThreadCpuTime();
            OperatorSnapshotFutures futures = h.getOneInputOperator()
                    .snapshotState(
                            checkpoint, checkpoint, CheckpointOptions.forCheckpointWithDefaultLocation(), streams);
            long b1 = threads.getThreadAllocatedBytes(id);
            long c1 = threads.getCurrentThreadCpuTime();
            OperatorSubtaskState state =
                    OperatorSnapshotFinalizer.create(futures).getJobManagerOwnedState();
            syncBytes += b1 - b0;
            syncCpu += c1 - c0;
            asyncBytes += threads.getThreadAllocatedBytes(id) - b1;
            asyncCpu += threads.getCurrentThreadCpuTime() - c1;
            stateBytes = state.getStateSize();
            state.discardState(); // otherwise ~250 MB of files per arm and run
        }
        if (print) {
            double n = (double) EVENTS * ROUNDS;
            double perEvent = stateBytes / (double) EVENTS;
            System.out.printf(
                    Locale.ROOT,
                    "%-10s per event and snapshot: task thread %7.1f bytes allocated, %5.1f ns CPU; asynchronous part "
                            + "%7.1f bytes, %5.1f ns (%.2f ns per checkpoint byte); checkpoint %.1f bytes per event (%d "
                            + "snapshots of %d events); load %s%n",
                    what,
                    syncBytes / n,
                    syncCpu / n,
                    asyncBytes / n,
                    asyncCpu / n,
                    asyncCpu / n / perEvent,
                    perEvent,
                    ROUNDS,
                    EVENTS,
                    Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        }
    }

    /**
     * The snapshot path of {@link CloudWatchLogsCommitterOperator} before its raw state (commit 7541a3d): every pending
     * committable an element of the managed operator list state {@code cloudwatch_logs_committables}, the list updated
     * on the task thread and written by Flink's operator state backend in the asynchronous part. Nothing completes
     * here, so the commit side is left out.
     */
    static final class ListStateCommitter extends AbstractStreamOperator<Void>
            implements OneInputStreamOperator<CloudWatchLogsCommittable, Void> {
        private static final long serialVersionUID = 1L;

        private final transient List<CloudWatchLogsCommittable> pending = new ArrayList<>();
        private transient ListState<CloudWatchLogsCommittable> state;

        ListStateCommitter(StreamOperatorParameters<Void> parameters) {
            super(parameters);
        }

        @Override
        public void initializeState(StateInitializationContext context) throws Exception {
            super.initializeState(context);
            state = context.getOperatorStateStore().getListState(CloudWatchLogsCommitterOperator.LIST_STATE);
        }

        @Override
        public void processElement(StreamRecord<CloudWatchLogsCommittable> element) {
            pending.add(element.getValue());
        }

        @Override
        public void snapshotState(StateSnapshotContext context) throws Exception {
            super.snapshotState(context);
            state.update(new ArrayList<>(pending));
        }

        static final class Factory extends AbstractStreamOperatorFactory<Void>
                implements OneInputStreamOperatorFactory<CloudWatchLogsCommittable, Void> {
            private static final long serialVersionUID = 1L;

            @Override
            @SuppressWarnings("unchecked")
            public <T extends StreamOperator<Void>> T createStreamOperator(StreamOperatorParameters<Void> parameters) {
                return (T) new ListStateCommitter(parameters);
            }

            @Override
            @SuppressWarnings("rawtypes")
            public Class<? extends StreamOperator> getStreamOperatorClass(ClassLoader classLoader) {
                return ListStateCommitter.class;
            }
        }
    }

    /** Flink's Sink V2 committer operator around a committer that no completed checkpoint reaches here. */
    private static final class NeverCommits implements SupportsCommitter<CloudWatchLogsCommittable> {
        @Override
        public Committer<CloudWatchLogsCommittable> createCommitter(CommitterInitContext context) {
            return new Committer<>() {
                @Override
                public void commit(java.util.Collection<CommitRequest<CloudWatchLogsCommittable>> requests) {
                    throw new IllegalStateException("no checkpoint completes here");
                }

                @Override
                public void close() {}
            };
        }

        @Override
        public SimpleVersionedSerializer<CloudWatchLogsCommittable> getCommittableSerializer() {
            return new CloudWatchLogsCommittableSerializer();
        }
    }
}
