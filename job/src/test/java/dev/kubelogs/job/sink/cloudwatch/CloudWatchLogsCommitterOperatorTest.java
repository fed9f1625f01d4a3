package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.cwlocal.StoredEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.DefaultOperatorStateBackend;
import org.apache.flink.runtime.state.OperatorStateHandle;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableSummary;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.apache.flink.streaming.runtime.operators.sink.CommitterOperatorFactory;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committer operator in Flink's operator test harness, against the local CloudWatch-Logs-compatible endpoint. */
class CloudWatchLogsCommitterOperatorTest {
    private static final AtomicInteger STREAMS = new AtomicInteger();
    private static final String GROUP = "/kubelogs/committer-operator-test";

    static LocalCloudWatchLogs cw;

    @TempDir
    Path deadLetters;

    private long sequence;

    @BeforeAll
    static void start() {
        cw = LocalCloudWatchLogs.start(0, null);
    }

    @AfterAll
    static void stop() {
        cw.close();
    }

    @AfterEach
    void clearFaults() {
        cw.faults().clear();
    }

    private OneInputStreamOperatorTestHarness<CloudWatchLogsCommittable, Void> harness() throws Exception {
        return harness(1, 0);
    }

    private OneInputStreamOperatorTestHarness<CloudWatchLogsCommittable, Void> harness(int parallelism, int subtask)
            throws Exception {
        return SinkTestSupport.committerHarness(cw.endpoint(), deadLetters, parallelism, subtask);
    }

    private CloudWatchLogsCommittable committable(String stream, String... messages) {
        long now = System.currentTimeMillis();
        List<SinkEvent> events = new ArrayList<>();
        for (String m : messages) {
            events.add(new SinkEvent(now, m, "src", events.size()));
        }
        return new CloudWatchLogsCommittable(GROUP, stream, -1, 0, sequence++, now, events);
    }

    private static String newStream() {
        return "stream-" + STREAMS.incrementAndGet();
    }

    private static List<String> stored(String stream) {
        try {
            return cw.events(GROUP, stream).stream().map(StoredEvent::message).collect(Collectors.toList());
        } catch (NoSuchElementException notCreatedYet) {
            return List.of();
        }
    }

    /** Runs the next mail, waiting for it: the outcome of a commit that ran on the commit thread. */
    private static void runCommitOutcome(OneInputStreamOperatorTestHarness<?, ?> h) throws Exception {
        h.getTaskMailbox().take(TaskMailbox.MIN_PRIORITY).run();
    }

    /** The committables in the committer's raw operator state (one partition each). */
    static int committablesIn(OperatorSubtaskState state) {
        return partitions(state.getRawOperatorState(), DefaultOperatorStateBackend.DEFAULT_OPERATOR_STATE_NAME);
    }

    /** The elements of the committer's managed state named {@code name}. */
    static int managedElements(OperatorSubtaskState state, String name) {
        return partitions(state.getManagedOperatorState(), name);
    }

    private static int partitions(Iterable<OperatorStateHandle> handles, String name) {
        int n = 0;
        for (OperatorStateHandle handle : handles) {
            OperatorStateHandle.StateMetaInfo info =
                    handle.getStateNameToPartitionOffsets().get(name);
            n += info == null ? 0 : info.getOffsets().length;
        }
        return n;
    }

    @Test
    void aCommittableIsStoredOnlyOnceTheCheckpointHoldingItCompletedAndThenLeavesTheState() throws Exception {
        String stream = newStream();
        try (OneInputStreamOperatorTestHarness<CloudWatchLogsCommittable, Void> h = harness()) {
            h.open();
            h.processElement(new StreamRecord<>(committable(stream, "a", "b")));
            OperatorSubtaskState first = h.snapshot(1, 1);
            assertThat(committablesIn(first)).isEqualTo(1);
            assertThat(stored(stream)).isEmpty();

            h.notifyOfCompletedCheckpoint(1);
            runCommitOutcome(h);
            assertThat(stored(stream)).containsExactly("a", "b");
            assertThat(committablesIn(h.snapshot(2, 2))).isZero();
        }
    }

    @Test
    void theTaskGoesOnWhileACommitRunsAndASnapshotMeanwhileStillHoldsItsCommittables() throws Exception {
        String stream = newStream();
        cw.faults().slow("PutLogEvents", Duration.ofMillis(500));
        try (OneInputStreamOperatorTestHarness<CloudWatchLogsCommittable, Void> h = harness()) {
            h.open();
            h.processElement(new StreamRecord<>(committable(stream, "a")));
            h.snapshot(1, 1);
            h.notifyOfCompletedCheckpoint(1); // returns with the put still running
            assertThat(stored(stream)).isEmpty();
            h.processElement(new StreamRecord<>(committable(stream, "b")));
            assertThat(committablesIn(h.snapshot(2, 2)))
                    .as("the running commit's committable is not stored yet, so it stays in the state")
                    .isEqualTo(2);

            runCommitOutcome(h);
            assertThat(stored(stream)).containsExactly("a");
            h.notifyOfCompletedCheckpoint(2);
            runCommitOutcome(h);
            assertThat(stored(stream)).containsExactly("a", "b");
        }
    }

    @Test
    void restoredCommittablesAreReadBackAndCompletedWithoutDuplicates() throws Exception {
        String stream = newStream();
        OperatorSubtaskState state;
        try (OneInputStreamOperatorTestHarness<CloudWatchLogsCommittable, Void> h = harness()) {
            h.open();
            h.processElement(new StreamRecord<>(committable(stream, "a")));
            state = h.snapshot(1, 1);
            h.notifyOfCompletedCheckpoint(1);
            runCommitOutcome(h); // stored, then the job fails before a checkpoint says so
        }
        try (OneInputStreamOperatorTestHarness<CloudWatchLogsCommittable, Void> h = harness()) {
            h.initializeState(state);
            h.open();
            runCommitOutcome(h);
            assertThat(stored(stream)).containsExactly("a");
            assertThat(committablesIn(h.snapshot(2, 2))).isZero();
        }
    }

    @Test
    void aRestoreOnlyCommitterDeliversWhatItRestoredOnceAndThenHoldsNothing() throws Exception {
        String stream = newStream();
        // the savepoint of the job that had this sink, nothing stored yet
        OperatorSubtaskState state = stateHolding(committable(stream, "a", "b"));
        try (OneInputStreamOperatorTestHarness<CloudWatchLogsCommittable, Void> h =
                SinkTestSupport.committerHarness(cw.endpoint(), deadLetters, 1, 0, true)) {
            h.initializeState(state);
            h.open();
            runCommitOutcome(h);
            assertThat(stored(stream)).containsExactly("a", "b");
            assertThat(committablesIn(h.snapshot(2, 2))).isZero();
            h.notifyOfCompletedCheckpoint(2);
            assertThat(stored(stream)).containsExactly("a", "b");
        }
    }

    /** The state of a committer that got {@code committable} and has not stored it. */
    private OperatorSubtaskState stateHolding(CloudWatchLogsCommittable committable) throws Exception {
        try (OneInputStreamOperatorTestHarness<CloudWatchLogsCommittable, Void> h = harness()) {
            h.open();
            h.processElement(new StreamRecord<>(committable));
            return h.snapshot(1, 1);
        }
    }

    @Test
    void aRestoreOnlyCommitterWithNothingRestoredKeepsNoStateAndRefusesInput() throws Exception {
        try (OneInputStreamOperatorTestHarness<CloudWatchLogsCommittable, Void> h =
                SinkTestSupport.committerHarness(cw.endpoint(), deadLetters, 1, 0, true)) {
            h.open();
            OperatorSubtaskState state = h.snapshot(1, 1);
            assertThat(state.hasState())
                    .as("no state, so a later job without this uid restores")
                    .isFalse();
            h.notifyOfCompletedCheckpoint(1);
            CloudWatchLogsCommittable committable = committable(newStream(), "x");
            assertThatThrownBy(() -> h.processElement(new StreamRecord<>(committable)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("restore-only");
        }
    }

    @Test
    void aRescaleSpreadsTheCommittablesOverTheNewSubtasksAndEachDeliversItsShare() throws Exception {
        String stream = newStream();
        OperatorSubtaskState state;
        try (OneInputStreamOperatorTestHarness<CloudWatchLogsCommittable, Void> h = harness()) {
            h.open();
            h.processElement(new StreamRecord<>(committable(stream, "a")));
            h.processElement(new StreamRecord<>(committable(stream, "b")));
            state = h.snapshot(1, 1); // the job stops here and comes back with two subtasks
        }
        for (int subtask = 0; subtask < 2; subtask++) {
            OperatorSubtaskState share =
                    AbstractStreamOperatorTestHarness.repartitionOperatorState(state, 128, 1, 2, subtask);
            assertThat(committablesIn(share)).isEqualTo(1);
            try (OneInputStreamOperatorTestHarness<CloudWatchLogsCommittable, Void> h = harness(2, subtask)) {
                h.initializeState(share);
                h.open();
                runCommitOutcome(h);
            }
        }
        assertThat(stored(stream)).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void aSnapshotHoldsThePendingCommittablesAsRawOperatorStateOnly() throws Exception {
        String stream = newStream();
        try (OneInputStreamOperatorTestHarness<CloudWatchLogsCommittable, Void> h = harness()) {
            h.open();
            h.processElement(new StreamRecord<>(committable(stream, "a", "b")));
            h.processElement(new StreamRecord<>(committable(stream, "c")));
            OperatorSubtaskState state = h.snapshot(1, 1);
            assertThat(committablesIn(state)).isEqualTo(2);
            assertThat(managedElements(state, CloudWatchLogsCommitterOperator.LIST_STATE.getName()))
                    .isZero();
        }
    }

    @Test
    void theCommittablesOfTwoSubtasksRestoredIntoOneAreAllDeliveredOnce() throws Exception {
        String stream = newStream();
        OperatorSubtaskState[] states = new OperatorSubtaskState[2];
        for (int subtask = 0; subtask < 2; subtask++) {
            try (OneInputStreamOperatorTestHarness<CloudWatchLogsCommittable, Void> h = harness(2, subtask)) {
                h.open();
                h.processElement(new StreamRecord<>(committable(stream, "s" + subtask + "a")));
                h.processElement(new StreamRecord<>(committable(stream, "s" + subtask + "b")));
                states[subtask] = h.snapshot(1, 1); // the job stops here and comes back with one subtask
            }
        }
        OperatorSubtaskState merged = AbstractStreamOperatorTestHarness.repartitionOperatorState(
                AbstractStreamOperatorTestHarness.repackageState(states), 128, 2, 1, 0);
        assertThat(committablesIn(merged)).isEqualTo(4);
        try (OneInputStreamOperatorTestHarness<CloudWatchLogsCommittable, Void> h = harness()) {
            h.initializeState(merged);
            h.open();
            runCommitOutcome(h);
            assertThat(committablesIn(h.snapshot(2, 2))).isZero();
        }
        assertThat(stored(stream)).containsExactlyInAnyOrder("s0a", "s0b", "s1a", "s1b");
    }

    @Test
    void committablesInTheStateOfFlinksSinkV2CommitterAreDelivered() throws Exception {
        String stream = newStream();
        OperatorSubtaskState sinkV2State;
        try (OneInputStreamOperatorTestHarness<
                        CommittableMessage<CloudWatchLogsCommittable>, CommittableMessage<CloudWatchLogsCommittable>>
                v2 = new OneInputStreamOperatorTestHarness<>(
                        new CommitterOperatorFactory<>(new NeverCommits(), false, true), 128, 1, 0)) {
            v2.open();
            v2.processElement(new StreamRecord<>(new CommittableSummary<>(0, 1, 1L, 2, 0)));
            v2.processElement(new StreamRecord<>(new CommittableWithLineage<>(committable(stream, "a", "b"), 1L, 0)));
            v2.processElement(new StreamRecord<>(new CommittableWithLineage<>(committable(stream, "c"), 1L, 0)));
            sinkV2State = v2.snapshot(1, 1);
        }
        try (OneInputStreamOperatorTestHarness<CloudWatchLogsCommittable, Void> h = harness()) {
            h.initializeState(sinkV2State);
            h.open();
            runCommitOutcome(h);
            assertThat(stored(stream)).containsExactly("a", "b", "c");
            OperatorSubtaskState next = h.snapshot(2, 2);
            assertThat(committablesIn(next)).isZero();
            for (OperatorStateHandle handle : next.getManagedOperatorState()) {
                OperatorStateHandle.StateMetaInfo sinkV2 =
                        handle.getStateNameToPartitionOffsets().get(SinkV2CommitterState.DESCRIPTOR.getName());
                assertThat(sinkV2 == null ? 0 : sinkV2.getOffsets().length)
                        .as("the Sink V2 state is emptied once taken over")
                        .isZero();
            }
        }
    }

    @Test
    void aFailureThatRetryingCannotHealFailsTheTaskWithoutRestarts() throws Exception {
        String stream = newStream();
        cw.faults().accessDenied("PutLogEvents", 1);
        try (OneInputStreamOperatorTestHarness<CloudWatchLogsCommittable, Void> h = harness()) {
            h.open();
            h.processElement(new StreamRecord<>(committable(stream, "a")));
            h.snapshot(1, 1);
            h.notifyOfCompletedCheckpoint(1);
            assertThatThrownBy(() -> runCommitOutcome(h)).isInstanceOf(CloudWatchLogsFatalException.class);
            assertThat(stored(stream)).isEmpty();
        }
    }

    @Test
    void atTheEndOfInputTheFinalCheckpointsCommitRunsBeforeTheTaskEnds() throws Exception {
        String stream = newStream();
        cw.faults().slow("PutLogEvents", Duration.ofMillis(200));
        try (OneInputStreamOperatorTestHarness<CloudWatchLogsCommittable, Void> h = harness()) {
            h.open();
            h.processElement(new StreamRecord<>(committable(stream, "a")));
            h.snapshot(1, 1);
            h.notifyOfCompletedCheckpoint(1); // runs on the commit thread
            h.processElement(new StreamRecord<>(committable(stream, "b")));
            h.endInput();
            h.snapshot(2, 2);
            h.notifyOfCompletedCheckpoint(2); // the final checkpoint: waits for both commits
            assertThat(stored(stream)).containsExactly("a", "b");
        }
    }

    @Test
    void aTaskClosedWithoutFinishingDoesNotWaitForItsRunningCommit() throws Exception {
        String stream = newStream();
        cw.faults().hang("PutLogEvents", 1_000); // every put unanswered: the commit retries within its 30-s budget
        Set<Thread> earlier = Thread.getAllStackTraces().keySet();
        OneInputStreamOperatorTestHarness<CloudWatchLogsCommittable, Void> h = harness();
        // a job with checkpoints: the end of input leaves the commit to the final checkpoint, which never comes here
        h.getEnvironment()
                .getJobConfiguration()
                .set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(1));
        h.open();
        h.processElement(new StreamRecord<>(committable(stream, "a")));
        h.snapshot(1, 1);
        h.notifyOfCompletedCheckpoint(1); // the commit starts on the commit thread and hangs
        h.endInput();
        long start = System.nanoTime();
        h.getOperator().close(); // as a cancelled or failed task closes it: no finish() before (the harness's has one)
        // one API call timeout is 10 s and the budget 30 s: returning before the first timeout means it did not wait
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(DeliveryStatus.ofThisJvm().eventsWaiting()).isZero();
        assertThat(stored(stream)).isEmpty();
        // the put blocked on the endpoint ends too: the client closed under it, well before its call timeout
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        List<String> commitThreads;
        do {
            commitThreads = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !earlier.contains(t) && t.isAlive())
                    .map(Thread::getName)
                    .filter(n -> n.startsWith("cwlogs-commit"))
                    .toList();
            if (!commitThreads.isEmpty()) {
                Thread.sleep(50);
            }
        } while (!commitThreads.isEmpty() && System.nanoTime() < deadline);
        assertThat(commitThreads).isEmpty();
    }

    /** Flink's Sink V2 committer operator around a committer that never gets a completed checkpoint here. */
    private static final class NeverCommits implements SupportsCommitter<CloudWatchLogsCommittable> {
        @Override
        public Committer<CloudWatchLogsCommittable> createCommitter(CommitterInitContext context) {
            return new Committer<>() {
                @Override
                public void commit(java.util.Collection<CommitRequest<CloudWatchLogsCommittable>> requests) {
                    throw new AssertionError("no checkpoint completes in this test");
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
