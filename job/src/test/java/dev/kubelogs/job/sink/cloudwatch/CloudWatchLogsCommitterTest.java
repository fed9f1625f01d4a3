package dev.kubelogs.job.sink.cloudwatch;

import static dev.kubelogs.job.sink.cloudwatch.SinkTestSupport.TestRequest.State.ALREADY_COMMITTED;
import static dev.kubelogs.job.sink.cloudwatch.SinkTestSupport.TestRequest.State.FAILED_UNKNOWN;
import static dev.kubelogs.job.sink.cloudwatch.SinkTestSupport.TestRequest.State.RETRY;
import static dev.kubelogs.job.sink.cloudwatch.SinkTestSupport.TestRequest.State.UNTOUCHED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.cwlocal.Faults;
import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.cwlocal.SettableClock;
import dev.kubelogs.cwlocal.StoredEvent;
import dev.kubelogs.job.sink.cloudwatch.SinkTestSupport.TestRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.flink.api.connector.sink2.Committer.CommitRequest;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;

/** The committer against the local CloudWatch-Logs-compatible endpoint (real SDK over HTTP, injected faults). */
class CloudWatchLogsCommitterTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final long T = NOW.toEpochMilli();
    private static final AtomicInteger GROUPS = new AtomicInteger();

    static SettableClock clock;
    static LocalCloudWatchLogs cw;
    static CloudWatchLogsClient sdk;

    @TempDir
    Path deadLetterDir;

    @BeforeAll
    static void start() {
        clock = new SettableClock(NOW);
        cw = LocalCloudWatchLogs.builder().port(0).clock(clock).start();
        sdk = SinkTestSupport.syncClient(cw.endpoint());
    }

    @AfterAll
    static void stop() {
        sdk.close();
        cw.close();
    }

    @AfterEach
    void clearFaults() {
        cw.faults().clear();
    }

    private static String newGroup() {
        return "/kubelogs/committer-test/" + GROUPS.incrementAndGet();
    }

    private static List<SinkEvent> events(int n, long startTs, String prefix) {
        List<SinkEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new SinkEvent(startTs + i / 3, "{\"log\":\"" + prefix + " line " + i + " é€😀\"}", "src", i));
        }
        return out;
    }

    private CloudWatchLogsCommitter committer(CloudWatchLogsSinkBuilder b, long restoredEpoch) throws Exception {
        return new CloudWatchLogsCommitter(b.build().config(), restoredEpoch, 0, new UnregisteredMetricsGroup());
    }

    private CloudWatchLogsSinkBuilder builder() {
        return SinkTestSupport.localBuilder(cw.endpoint(), deadLetterDir);
    }

    @SafeVarargs
    private static void commit(CloudWatchLogsCommitter c, TestRequest<CloudWatchLogsCommittable>... requests)
            throws Exception {
        Collection<CommitRequest<CloudWatchLogsCommittable>> list = new ArrayList<>(List.of(requests));
        c.commit(list);
    }

    private static List<String> stored(String group, String stream) {
        return cw.events(group, stream).stream().map(StoredEvent::message).collect(Collectors.toList());
    }

    private static List<String> messages(List<SinkEvent> events) {
        return events.stream().map(SinkEvent::message).collect(Collectors.toList());
    }

    @Test
    void freshCommitCreatesGroupWithRetentionAndStreamAndWritesOnce() throws Exception {
        String g = newGroup();
        List<SinkEvent> ev = events(500, T - 60_000, "fresh");
        try (CloudWatchLogsCommitter c = committer(builder().retentionInDays(7), -1)) {
            TestRequest<CloudWatchLogsCommittable> r =
                    new TestRequest<>(new CloudWatchLogsCommittable(g, "s1", -1, 0, 0, T, ev), 0);
            commit(c, r);
            assertThat(r.state).isEqualTo(UNTOUCHED); // = committed
            assertThat(stored(g, "s1")).containsExactlyElementsOf(messages(ev));
            assertThat(cw.logGroups())
                    .filteredOn(i -> i.name().equals(g))
                    .singleElement()
                    .satisfies(i -> assertThat(i.retentionInDays()).isEqualTo(7));
            assertThat(c.metrics().eventsWritten()).isEqualTo(500);
            assertThat(c.metrics().readBacks()).isZero();
            assertThat(c.metrics().resourcesCreated()).isGreaterThanOrEqualTo(2);

            // second stream of the same, now known, group: only the stream is created
            long createGroupCalls = cw.faults().calls("CreateLogGroup");
            List<SinkEvent> ev2 = events(10, T, "second");
            commit(c, new TestRequest<>(new CloudWatchLogsCommittable(g, "s2", -1, 0, 1, T, ev2), 0));
            assertThat(stored(g, "s2")).containsExactlyElementsOf(messages(ev2));
            assertThat(cw.faults().calls("CreateLogGroup")).isEqualTo(createGroupCalls);
        }
    }

    @Test
    void storedButResponseLostIsReadBackNotDuplicated() throws Exception {
        String g = newGroup();
        List<SinkEvent> ev = events(300, T - 1_000, "dropped");
        try (CloudWatchLogsCommitter c = committer(builder(), -1)) {
            commit(
                    c,
                    new TestRequest<>(
                            new CloudWatchLogsCommittable(g, "warmup", -1, 0, 0, T, events(1, T - 2_000, "w")), 0));
            cw.faults().dropResponses(1);
            TestRequest<CloudWatchLogsCommittable> r =
                    new TestRequest<>(new CloudWatchLogsCommittable(g, "warmup", -1, 0, 1, T, ev), 0);
            commit(c, r);
            assertThat(cw.faults().injected(Faults.Kind.DROP_RESPONSE)).isEqualTo(1);
            assertThat(r.state).isEqualTo(ALREADY_COMMITTED);
            List<String> all = stored(g, "warmup");
            assertThat(all).hasSize(301);
            assertThat(all.subList(1, 301)).containsExactlyElementsOf(messages(ev));
            assertThat(c.metrics().networkErrors()).isEqualTo(1);
            assertThat(c.metrics().readBacks()).isEqualTo(1);
            assertThat(c.metrics().eventsAlreadyPresent()).isEqualTo(300);
        }
    }

    @Test
    void restoredCommittableIsReadBackAndOnlyTheMissingPartIsWritten() throws Exception {
        String g = newGroup();
        List<SinkEvent> ev = events(200, T - 5_000, "restored");
        CloudWatchLogsCommittable committable = new CloudWatchLogsCommittable(g, "s", 3, 0, 0, T, ev);
        // the previous attempt stored the first 120 events, then the job died before the commit was recorded
        try (CloudWatchLogsCommitter first = committer(builder(), 3)) {
            commit(first, new TestRequest<>(new CloudWatchLogsCommittable(g, "s", 3, 0, 0, T, ev.subList(0, 120)), 0));
        }
        assertThat(stored(g, "s")).hasSize(120);
        // restored from checkpoint 9: epoch 3 != 9 -> read back first
        try (CloudWatchLogsCommitter c = committer(builder(), 9)) {
            TestRequest<CloudWatchLogsCommittable> r = new TestRequest<>(committable, 0);
            commit(c, r);
            assertThat(r.state).isEqualTo(UNTOUCHED);
            assertThat(stored(g, "s")).containsExactlyElementsOf(messages(ev));
            assertThat(c.metrics().readBacks()).isEqualTo(1);
            assertThat(c.metrics().eventsAlreadyPresent()).isEqualTo(120);
            assertThat(c.metrics().eventsWritten()).isEqualTo(80);

            // and the same committable again (e.g. a second failover): all there
            TestRequest<CloudWatchLogsCommittable> again = new TestRequest<>(committable, 0);
            commit(c, again);
            assertThat(again.state).isEqualTo(ALREADY_COMMITTED);
            assertThat(stored(g, "s")).hasSize(200);
        }
    }

    @Test
    void duplicateLinesInsideOneBatchAreCountedAsAMultiset() throws Exception {
        String g = newGroup();
        List<SinkEvent> ev = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ev.add(new SinkEvent(T, "same line", "src", i)); // identical (timestamp, message) six times
        }
        ev.add(new SinkEvent(T + 1, "other", "src", 6));
        // two of the six identical lines landed before the failure
        sdk.createLogGroup(b -> b.logGroupName(g));
        sdk.createLogStream(b -> b.logGroupName(g).logStreamName("s"));
        sdk.putLogEvents(b -> b.logGroupName(g)
                .logStreamName("s")
                .logEvents(
                        InputLogEvent.builder()
                                .timestamp(T)
                                .message("same line")
                                .build(),
                        InputLogEvent.builder()
                                .timestamp(T)
                                .message("same line")
                                .build()));
        try (CloudWatchLogsCommitter c = committer(builder(), 2)) {
            TestRequest<CloudWatchLogsCommittable> r =
                    new TestRequest<>(new CloudWatchLogsCommittable(g, "s", 1, 0, 0, T, ev), 0);
            commit(c, r);
            assertThat(stored(g, "s"))
                    .containsExactly(
                            "same line", "same line", "same line", "same line", "same line", "same line", "other");
        }
    }

    @Test
    void identicalLinesSplitAcrossTwoRestoredBatchesAreNotTakenForEachOther() throws Exception {
        String g = newGroup();
        // a burst of identical lines in one millisecond, cut into two batches at the 10,000-event (here: any) boundary
        List<SinkEvent> b1 = List.of(new SinkEvent(T - 1, "before", "f", 0), new SinkEvent(T, "retrying", "f", 1));
        List<SinkEvent> b2 = List.of(new SinkEvent(T, "retrying", "f", 2), new SinkEvent(T + 1, "after", "f", 3));
        // before the failover, batch 1 landed and batch 2 did not
        try (CloudWatchLogsCommitter first = committer(builder(), 4)) {
            commit(first, new TestRequest<>(new CloudWatchLogsCommittable(g, "s", 4, 0, 0, T, b1), 0));
        }
        try (CloudWatchLogsCommitter c = committer(builder(), 8)) {
            TestRequest<CloudWatchLogsCommittable> r1 =
                    new TestRequest<>(new CloudWatchLogsCommittable(g, "s", 4, 0, 0, T, b1), 0);
            TestRequest<CloudWatchLogsCommittable> r2 =
                    new TestRequest<>(new CloudWatchLogsCommittable(g, "s", 4, 0, 1, T, b2), 0);
            commit(c, r1, r2);
            assertThat(r1.state).isEqualTo(ALREADY_COMMITTED);
            assertThat(r2.state).isEqualTo(UNTOUCHED);
            assertThat(stored(g, "s")).containsExactly("before", "retrying", "retrying", "after");
        }
    }

    @Test
    void flinkRetryOfACommittedBatchIsRecognised() throws Exception {
        String g = newGroup();
        List<SinkEvent> ev = events(50, T, "retry");
        try (CloudWatchLogsCommitter c = committer(builder(), -1)) {
            CloudWatchLogsCommittable committable = new CloudWatchLogsCommittable(g, "s", -1, 0, 0, T, ev);
            commit(c, new TestRequest<>(committable, 0));
            TestRequest<CloudWatchLogsCommittable> retried = new TestRequest<>(committable, 1);
            commit(c, retried);
            assertThat(retried.state).isEqualTo(ALREADY_COMMITTED);
            assertThat(stored(g, "s")).hasSize(50);
        }
    }

    @Test
    void throttlingBurstsAreBackedOffAndWrittenOnce() throws Exception {
        String g = newGroup();
        List<SinkEvent> ev = events(100, T, "throttled");
        try (CloudWatchLogsCommitter c = committer(builder(), -1)) {
            cw.faults().throttle("PutLogEvents", 6);
            TestRequest<CloudWatchLogsCommittable> r =
                    new TestRequest<>(new CloudWatchLogsCommittable(g, "s", -1, 0, 0, T, ev), 0);
            commit(c, r);
            assertThat(r.state).isEqualTo(UNTOUCHED);
            assertThat(stored(g, "s")).containsExactlyElementsOf(messages(ev));
            assertThat(c.metrics().throttles()).isEqualTo(6);
            assertThat(c.metrics().readBacks()).isZero(); // throttling is not ambiguous
        }
    }

    @Test
    void serverErrorBurstsAreReadBackAndWrittenOnce() throws Exception {
        String g = newGroup();
        List<SinkEvent> ev = events(100, T, "5xx");
        try (CloudWatchLogsCommitter c = committer(builder(), -1)) {
            cw.faults()
                    .unavailable("PutLogEvents", 3, 503)
                    .unavailable("PutLogEvents", 2, 500)
                    .unavailable("GetLogEvents", 2, 503);
            TestRequest<CloudWatchLogsCommittable> r =
                    new TestRequest<>(new CloudWatchLogsCommittable(g, "s", -1, 0, 0, T, ev), 0);
            commit(c, r);
            assertThat(r.state).isEqualTo(UNTOUCHED);
            assertThat(stored(g, "s")).containsExactlyElementsOf(messages(ev));
            assertThat(c.metrics().serverErrors()).isEqualTo(5);
            assertThat(c.metrics().readBacks()).isGreaterThanOrEqualTo(5);
        }
    }

    @Test
    void spentRetryBudgetFailsTheJobAndLaterBatchesOfTheStreamAreNotMarkedCommitted() throws Exception {
        String g = newGroup();
        CloudWatchLogsSinkBuilder b = builder()
                .maxConcurrentStreams(1) // "s" first, then "other"
                .backoff(Duration.ofMillis(1), Duration.ofMillis(2), 3, Duration.ofSeconds(10));
        try (CloudWatchLogsCommitter c = committer(b, -1)) {
            cw.faults().throttle("PutLogEvents", 3);
            TestRequest<CloudWatchLogsCommittable> r1 =
                    new TestRequest<>(new CloudWatchLogsCommittable(g, "s", -1, 0, 0, T, events(5, T, "a")), 0);
            TestRequest<CloudWatchLogsCommittable> r2 =
                    new TestRequest<>(new CloudWatchLogsCommittable(g, "s", -1, 0, 1, T, events(5, T + 10, "b")), 0);
            TestRequest<CloudWatchLogsCommittable> other =
                    new TestRequest<>(new CloudWatchLogsCommittable(g, "other", -1, 0, 2, T, events(5, T, "c")), 0);
            commit(c, r1, r2, other);
            assertThat(r1.state).isEqualTo(FAILED_UNKNOWN);
            assertThat(r1.failure).hasMessageContaining("giving up after 3 failed calls");
            assertThat(r2.state).isEqualTo(RETRY);
            assertThat(other.state).isEqualTo(UNTOUCHED); // other streams go on; the job fails anyway
            assertThat(stored(g, "other")).hasSize(5);
        }
    }

    @Test
    void rejectedEventsLandInTheDeadLetterWithReasonsTheRestIsStored() throws Exception {
        String g = newGroup();
        long day = 24L * 3600 * 1000;
        // batch 1 (span 2 h): two too-old events (> 14 days) + three good ones
        List<SinkEvent> old = List.of(
                new SinkEvent(T - 14 * day - 3_600_000, "old-1", "f", 1),
                new SinkEvent(T - 14 * day - 1, "old-2", "f", 2),
                new SinkEvent(T - 14 * day + 1_000, "ok-1", "f", 3),
                new SinkEvent(T - 14 * day + 2_000, "ok-2", "f", 4),
                new SinkEvent(T - 14 * day + 3_600_000, "ok-3", "f", 5));
        // batch 2: good ones + two too-new events (> 2 h ahead)
        List<SinkEvent> future = List.of(
                new SinkEvent(T, "ok-4", "f", 6),
                new SinkEvent(T + 2 * 3_600_000, "ok-5", "f", 7),
                new SinkEvent(T + 2 * 3_600_000 + 1, "new-1", "f", 8),
                new SinkEvent(T + 5 * 3_600_000, "new-2", "f", 9));
        try (CloudWatchLogsCommitter c = committer(builder(), -1)) {
            TestRequest<CloudWatchLogsCommittable> r1 =
                    new TestRequest<>(new CloudWatchLogsCommittable(g, "s", -1, 0, 0, T, old), 0);
            TestRequest<CloudWatchLogsCommittable> r2 =
                    new TestRequest<>(new CloudWatchLogsCommittable(g, "s", -1, 0, 1, T, future), 0);
            commit(c, r1, r2);
            assertThat(r1.state).isEqualTo(UNTOUCHED);
            assertThat(r2.state).isEqualTo(UNTOUCHED);
            assertThat(stored(g, "s")).containsExactly("ok-1", "ok-2", "ok-3", "ok-4", "ok-5");
            List<Map<String, Object>> dl = SinkTestSupport.deadLetters(deadLetterDir);
            assertThat(dl)
                    .extracting(m -> m.get("message") + ":" + m.get("reason"))
                    .containsExactlyInAnyOrder("old-1:TOO_OLD", "old-2:TOO_OLD", "new-1:TOO_NEW", "new-2:TOO_NEW");
            assertThat(dl).allSatisfy(m -> {
                assertThat(m.get("logGroup")).isEqualTo(g);
                assertThat(m.get("logStream")).isEqualTo("s");
                assertThat(m.get("detail").toString()).startsWith("rejectedLogEventsInfo.");
            });
            assertThat(c.metrics().rejectedTooOld()).isEqualTo(2);
            assertThat(c.metrics().rejectedTooNew()).isEqualTo(2);
            assertThat(c.metrics().deadLettered()).isEqualTo(4);
            assertThat(c.metrics().eventsWritten()).isEqualTo(5);

            // replayed (restored) batch with rejected events: the rest is found stored, rejected ones are re-tried
            // (CloudWatch rejects them again) and dead-lettered again: at-least-once dead letters, no duplicates landed
            TestRequest<CloudWatchLogsCommittable> replay =
                    new TestRequest<>(new CloudWatchLogsCommittable(g, "s", -1, 0, 0, T, old), 1);
            commit(c, replay);
            assertThat(stored(g, "s")).containsExactly("ok-1", "ok-2", "ok-3", "ok-4", "ok-5");
        }
    }

    @Test
    void retentionExpiredEventsAreDeadLettered() throws Exception {
        String g = newGroup();
        sdk.createLogGroup(b -> b.logGroupName(g));
        sdk.putRetentionPolicy(b -> b.logGroupName(g).retentionInDays(1));
        List<SinkEvent> ev = List.of(
                new SinkEvent(T - 25 * 3_600_000L, "expired-1", "f", 1), new SinkEvent(T - 3_600_000L, "ok", "f", 2));
        try (CloudWatchLogsCommitter c = committer(builder(), -1)) {
            commit(c, new TestRequest<>(new CloudWatchLogsCommittable(g, "s", -1, 0, 0, T, ev), 0));
            assertThat(stored(g, "s")).containsExactly("ok");
            assertThat(SinkTestSupport.deadLetters(deadLetterDir))
                    .extracting(m -> m.get("message") + ":" + m.get("reason"))
                    .containsExactly("expired-1:EXPIRED");
            assertThat(c.metrics().rejectedExpired()).isEqualTo(1);
        }
    }

    @Test
    void deadLettersCanGoToALogGroup() throws Exception {
        String g = newGroup();
        String dlGroup = g + "-dead-letter";
        // dead-letter records are stamped with the wall clock, so the endpoint must run on it for this test
        long now = System.currentTimeMillis();
        clock.set(Instant.ofEpochMilli(now));
        List<SinkEvent> ev = List.of(
                new SinkEvent(now - 15 * 24 * 3_600_000L, "too old ü", "f", 1),
                new SinkEvent(now - 15 * 24 * 3_600_000L + 1, "too old 2", "f", 2));
        try (CloudWatchLogsCommitter c = committer(builder().deadLetterLogGroup(dlGroup), -1)) {
            commit(c, new TestRequest<>(new CloudWatchLogsCommittable(g, "s", -1, 0, 0, now, ev), 0));
        } finally {
            clock.set(NOW);
        }
        List<StoredEvent> dl = cw.events(dlGroup, "dead-letter-committer-0");
        assertThat(dl).hasSize(2);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (int i = 0; i < 2; i++) {
            Map<?, ?> m = json.readValue(dl.get(i).message(), Map.class);
            assertThat(m.get("reason")).isEqualTo("TOO_OLD");
            assertThat(m.get("message")).isEqualTo(ev.get(i).message());
            assertThat(m.get("logGroup")).isEqualTo(g);
        }
        assertThat(cw.events(g, "s")).isEmpty();
    }

    @Test
    void invalidBatchIsDeadLetteredOrFailsByPolicy() throws Exception {
        String g = newGroup();
        // an empty message can only come from outside the batch cutter; CloudWatch refuses the whole request
        List<SinkEvent> ev = List.of(new SinkEvent(T, "fine", "f", 1), new SinkEvent(T, "", "f", 2));
        try (CloudWatchLogsCommitter c = committer(builder(), -1)) {
            TestRequest<CloudWatchLogsCommittable> r =
                    new TestRequest<>(new CloudWatchLogsCommittable(g, "s", -1, 0, 0, T, ev), 0);
            commit(c, r);
            assertThat(r.state).isEqualTo(UNTOUCHED);
            assertThat(SinkTestSupport.deadLetters(deadLetterDir))
                    .extracting(m -> m.get("reason"))
                    .containsOnly("INVALID_BATCH")
                    .hasSize(2);
        }
        try (CloudWatchLogsCommitter c = committer(builder().invalidBatchPolicy(InvalidBatchPolicy.FAIL), -1)) {
            TestRequest<CloudWatchLogsCommittable> r =
                    new TestRequest<>(new CloudWatchLogsCommittable(g, "s", -1, 0, 1, T, ev), 0);
            commit(c, r);
            assertThat(r.state).isEqualTo(FAILED_UNKNOWN);
        }
    }

    @Test
    void manyStreamsAreCommittedInParallelEachInOrder() throws Exception {
        String g = newGroup();
        List<TestRequest<CloudWatchLogsCommittable>> reqs = new ArrayList<>();
        for (int s = 0; s < 12; s++) {
            for (int b = 0; b < 3; b++) {
                reqs.add(new TestRequest<>(
                        new CloudWatchLogsCommittable(
                                g, "s" + s, -1, 0, s * 3 + b, T, events(40, T + b * 1_000, "s" + s + "b" + b)),
                        0));
            }
        }
        try (CloudWatchLogsCommitter c = committer(builder().maxConcurrentStreams(4), -1)) {
            c.commit(new ArrayList<>(reqs));
        }
        for (int s = 0; s < 12; s++) {
            List<String> expected = new ArrayList<>();
            for (int b = 0; b < 3; b++) {
                expected.addAll(messages(events(40, T + b * 1_000, "s" + s + "b" + b)));
            }
            assertThat(stored(g, "s" + s)).containsExactlyElementsOf(expected);
        }
        assertThat(reqs).allSatisfy(r -> assertThat(r.state).isEqualTo(UNTOUCHED));
    }

    @Test
    void anUnhealableErrorBehindTheDeadLetterWriterStillEndsTheJobWithoutRestarts() throws Exception {
        String g = newGroup();
        sdk.createLogGroup(b -> b.logGroupName(g));
        sdk.createLogStream(b -> b.logGroupName(g).logStreamName("s"));
        cw.faults().accessDenied("CreateLogGroup", 1); // the dead-letter group's creation is refused
        try (CloudWatchLogsCommitter c = committer(builder().deadLetterLogGroup(g + "-dl"), -1)) {
            List<SinkEvent> ev = List.of(
                    new SinkEvent(T - 15L * 24 * 3_600_000, "too old", "src", 0), new SinkEvent(T, "fine", "src", 1));
            TestRequest<CloudWatchLogsCommittable> r =
                    new TestRequest<>(new CloudWatchLogsCommittable(g, "s", -1, 0, 0, T, ev), 0);
            assertThatThrownBy(() -> commit(c, r))
                    .isInstanceOf(CloudWatchLogsFatalException.class)
                    .hasMessageContaining("CreateLogGroup on log group " + g + "-dl failed with AccessDeniedException");
            assertThat(stored(g, "s")).containsExactly("fine");
        }
    }
}
