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
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.runtime.checkpoint.CheckpointOptions;
import org.apache.flink.runtime.state.CheckpointStorageAccess;
import org.apache.flink.runtime.state.CheckpointStorageLocationReference;
import org.apache.flink.runtime.state.CheckpointStreamFactory;
import org.apache.flink.runtime.state.storage.FileSystemCheckpointStorage;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableSummary;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.apache.flink.streaming.api.operators.OperatorSnapshotFinalizer;
import org.apache.flink.streaming.api.operators.OperatorSnapshotFutures;
import org.apache.flink.streaming.runtime.operators.sink.CommitterOperatorFactory;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;

/**
 * The sink's checkpoint path, old and new, in one thread: the committables of {@code EVENTS} events (100 streams,
 * Container Insights-like JSON with the shared kubernetes block) pending in the committer, snapshotted (synchronous and
 * asynchronous part, both run here) into checkpoint files again and again. Prints bytes allocated and CPU per event and
 * snapshot for Flink's Sink V2 {@code CommitterOperator} and for {@link CloudWatchLogsCommitterOperator}. Not a test:
 * run it by hand ({@code java -cp <test classpath> dev.kubelogs.job.sink.cloudwatch.CheckpointPathStageLoop}).
 */
public final class CheckpointPathStageLoop {
    static final int EVENTS = 100_000;
    static final int STREAMS = 100;
    static final int ROUNDS = 30;

    private CheckpointPathStageLoop() {}

    public static void main(String[] args) throws Exception {
        Path deadLetters = Files.createTempDirectory("stage-loop");
        CloudWatchLogsSinkConfig config = SinkTestSupport.localBuilder(
                        java.net.URI.create("http://127.0.0.1:1"), deadLetters)
                .build()
                .config();
        for (int pass = 0; pass < 2; pass++) { // the first pass warms the JIT
            boolean print = pass == 1;
            sinkV2(print);
            ownOperator(config, print);
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
            measure("Sink V2 CommitterOperator", h, print);
        }
    }

    private static void ownOperator(CloudWatchLogsSinkConfig config, boolean print) throws Exception {
        List<CloudWatchLogsCommittable> committables = committables();
        try (OneInputStreamOperatorTestHarness<CloudWatchLogsCommittable, Void> h =
                new OneInputStreamOperatorTestHarness<>(
                        new CloudWatchLogsCommitterOperator.Factory(config), 128, 1, 0)) {
            h.open();
            for (CloudWatchLogsCommittable c : committables) {
                h.processElement(new StreamRecord<>(c));
            }
            measure("CloudWatchLogsCommitterOperator", h, print);
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
            stateBytes = OperatorSnapshotFinalizer.create(futures)
                    .getJobManagerOwnedState()
                    .getStateSize();
            syncBytes += b1 - b0;
            syncCpu += c1 - c0;
            asyncBytes += threads.getThreadAllocatedBytes(id) - b1;
            asyncCpu += threads.getCurrentThreadCpuTime() - c1;
        }
        if (print) {
            double n = (double) EVENTS * ROUNDS;
            System.out.printf(
                    Locale.ROOT,
                    "%-32s per event and snapshot: task thread %7.1f bytes allocated, %4.0f ns CPU; asynchronous part "
                            + "%7.1f bytes, %4.0f ns; checkpoint %.1f bytes per event (%d snapshots of %d events)%n",
                    what,
                    syncBytes / n,
                    syncCpu / n,
                    asyncBytes / n,
                    asyncCpu / n,
                    stateBytes / (double) EVENTS,
                    ROUNDS,
                    EVENTS);
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
