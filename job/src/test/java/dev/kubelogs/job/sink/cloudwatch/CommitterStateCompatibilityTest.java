package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.cwlocal.StoredEvent;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committer's state as earlier layouts of {@link CloudWatchLogsCommitterOperator} wrote it restores into the
 * current one, which commits each committable exactly once and writes its own layout from then on. Fixtures in
 * {@code src/test/resources/harness-state/sink-committer/}: {@code list-state.snapshot} was written by the operator
 * that kept its committables in the managed list state {@code cloudwatch_logs_committables} (commit 7541a3d), from
 * {@link #fixtureCommittables}, with no checkpoint completed; {@code raw-state.snapshot} by the current one (raw operator
 * state, one partition per committable) from the same committables.
 *
 * <p>Write a fixture of the current layout with {@code mvn -pl job test -Dtest=CommitterStateCompatibilityTest
 * -Dkubelogs.writeCommitterFixture=<layout>}.
 */
class CommitterStateCompatibilityTest {
    static final String GROUP = "/kubelogs/committer-state-compatibility";
    /** The fixtures' event time; the endpoint's clock stands a minute later, so no event is too old for it. */
    static final long FIXTURE_TIME = Instant.parse("2026-12-04T12:00:00Z").toEpochMilli();

    /** One endpoint per test: each test delivers the fixture's streams anew. */
    static LocalCloudWatchLogs cw;

    @TempDir
    Path deadLetters;

    @BeforeEach
    void start() {
        cw = LocalCloudWatchLogs.builder()
                .port(0)
                .clock(Clock.fixed(Instant.ofEpochMilli(FIXTURE_TIME + 60_000), ZoneOffset.UTC))
                .start();
    }

    @AfterEach
    void stop() {
        cw.close();
    }

    /**
     * Three committables, two of one stream, in the fixtures' streams of {@code layout}. Each committable's events start
     * at {@link #FIXTURE_TIME} and a stream returns its events by time, so tests compare a stream's events in any order
     * (each exactly once).
     */
    static List<CloudWatchLogsCommittable> fixtureCommittables(String layout) {
        List<CloudWatchLogsCommittable> out = new ArrayList<>();
        out.add(committable(layout + "-1", 0, "a", "b"));
        out.add(committable(layout + "-2", 1, "c"));
        out.add(committable(layout + "-1", 2, "d"));
        return out;
    }

    private static CloudWatchLogsCommittable committable(String stream, long sequence, String... messages) {
        List<SinkEvent> events = new ArrayList<>();
        for (String m : messages) {
            events.add(new SinkEvent(FIXTURE_TIME + events.size(), m, "src/" + stream, events.size()));
        }
        return new CloudWatchLogsCommittable(GROUP, stream, -1, 0, sequence, FIXTURE_TIME, events);
    }

    private OneInputStreamOperatorTestHarness<CloudWatchLogsCommittable, Void> harness() throws Exception {
        return harness(1, 0);
    }

    private OneInputStreamOperatorTestHarness<CloudWatchLogsCommittable, Void> harness(int parallelism, int subtask)
            throws Exception {
        return SinkTestSupport.committerHarness(cw.endpoint(), deadLetters, parallelism, subtask);
    }

    static List<String> stored(String stream) {
        try {
            return cw.events(GROUP, stream).stream().map(StoredEvent::message).collect(Collectors.toList());
        } catch (NoSuchElementException notCreatedYet) {
            return List.of();
        }
    }

    private OperatorSubtaskState fixture(String layout) throws Exception {
        URL url = getClass().getResource("/harness-state/sink-committer/" + layout + ".snapshot");
        assertThat(url).as("fixture %s", layout).isNotNull();
        return OperatorSnapshotUtil.readStateHandle(Path.of(url.toURI()).toString());
    }

    @Test
    void theListStateOfTheEarlierLayoutIsCommittedOnceAndWrittenAsRawStateFromThenOn() throws Exception {
        OperatorSubtaskState takenOver;
        try (OneInputStreamOperatorTestHarness<CloudWatchLogsCommittable, Void> h = harness()) {
            h.initializeState(fixture("list-state"));
            h.open(); // starts committing the restored committables
            takenOver = h.snapshot(2, 2); // taken before the commit's outcome is in: all three still pending
            assertThat(CloudWatchLogsCommitterOperatorTest.committablesIn(takenOver))
                    .isEqualTo(3);
            assertThat(CloudWatchLogsCommitterOperatorTest.managedElements(
                            takenOver, CloudWatchLogsCommitterOperator.LIST_STATE.getName()))
                    .as("the list state is emptied once taken over")
                    .isZero();
            runCommitOutcome(h);
            assertThat(stored("list-state-1")).containsExactlyInAnyOrder("a", "b", "d");
            assertThat(stored("list-state-2")).containsExactly("c");
            assertThat(CloudWatchLogsCommitterOperatorTest.committablesIn(h.snapshot(3, 3)))
                    .isZero();
        }
        // the job fails after that commit, before a checkpoint said so: the new form restores and reads back
        try (OneInputStreamOperatorTestHarness<CloudWatchLogsCommittable, Void> h = harness()) {
            h.initializeState(takenOver);
            h.open();
            runCommitOutcome(h);
            assertThat(stored("list-state-1")).containsExactlyInAnyOrder("a", "b", "d");
            assertThat(stored("list-state-2")).containsExactly("c");
        }
    }

    @Test
    void theListStateOfTheEarlierLayoutRestoredIntoTwoSubtasksIsCommittedOnce() throws Exception {
        OperatorSubtaskState state = fixture("list-state");
        int raw = 0;
        for (int subtask = 0; subtask < 2; subtask++) {
            OperatorSubtaskState share =
                    AbstractStreamOperatorTestHarness.repartitionOperatorState(state, 128, 1, 2, subtask);
            try (OneInputStreamOperatorTestHarness<CloudWatchLogsCommittable, Void> h = harness(2, subtask)) {
                h.initializeState(share);
                h.open();
                OperatorSubtaskState next = h.snapshot(2, 2);
                raw += CloudWatchLogsCommitterOperatorTest.committablesIn(next);
                assertThat(CloudWatchLogsCommitterOperatorTest.managedElements(
                                next, CloudWatchLogsCommitterOperator.LIST_STATE.getName()))
                        .isZero();
                runCommitOutcome(h);
            }
        }
        assertThat(raw)
                .as("each committable in exactly one subtask's raw state")
                .isEqualTo(3);
        assertThat(stored("list-state-1")).containsExactlyInAnyOrder("a", "b", "d");
        assertThat(stored("list-state-2")).containsExactly("c");
    }

    @Test
    void theRawStateOfTheCurrentLayoutIsCommittedOnce() throws Exception {
        try (OneInputStreamOperatorTestHarness<CloudWatchLogsCommittable, Void> h = harness()) {
            h.initializeState(fixture("raw-state"));
            h.open();
            runCommitOutcome(h);
            assertThat(stored("raw-state-1")).containsExactlyInAnyOrder("a", "b", "d");
            assertThat(stored("raw-state-2")).containsExactly("c");
            assertThat(CloudWatchLogsCommitterOperatorTest.committablesIn(h.snapshot(2, 2)))
                    .isZero();
        }
    }

    /** Runs the next mail, waiting for it: the outcome of a commit that ran on the commit thread. */
    private static void runCommitOutcome(OneInputStreamOperatorTestHarness<?, ?> h) throws Exception {
        h.getTaskMailbox().take(TaskMailbox.MIN_PRIORITY).run();
    }

    /** Takes the fixture of the current layout: the committables pending, no checkpoint completed. */
    @Test
    @EnabledIfSystemProperty(named = "kubelogs.writeCommitterFixture", matches = ".+")
    void writeFixture() throws Exception {
        String layout = System.getProperty("kubelogs.writeCommitterFixture");
        Path target = Paths.get("src/test/resources/harness-state/sink-committer")
                .resolve(layout + ".snapshot")
                .toAbsolutePath();
        Files.createDirectories(target.getParent());
        try (OneInputStreamOperatorTestHarness<CloudWatchLogsCommittable, Void> h = harness()) {
            h.open();
            for (CloudWatchLogsCommittable c : fixtureCommittables(layout)) {
                h.processElement(new StreamRecord<>(c));
            }
            OperatorSnapshotUtil.writeStateHandle(h.snapshot(1, 1), target.toString());
        }
        System.out.println("Committer fixture written to " + target);
    }
}
