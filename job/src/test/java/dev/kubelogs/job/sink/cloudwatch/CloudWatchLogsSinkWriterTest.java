package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.model.CloudWatchEventBundle;
import dev.kubelogs.job.sink.cloudwatch.SinkTestSupport.TestRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledFuture;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobInfo;
import org.apache.flink.api.common.JobInfoImpl;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.TaskInfoImpl;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.util.UserCodeClassLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The writer alone: buffers per stream and cuts committables at the barrier, checks stream ownership, dead-letters. */
class CloudWatchLogsSinkWriterTest {
    @RegisterExtension
    static final LocalEndpointExtension LOCAL = new LocalEndpointExtension();

    private static final String GROUP = "/aws/containerinsights/prod/application";
    private static final SinkWriter.Context NO_CONTEXT = NoWriterContext.INSTANCE;

    @TempDir
    Path deadLetters;

    /** Processing-time timers the test fires by hand. */
    static class ManualTime implements ProcessingTimeService {
        final List<ProcessingTimeCallback> timers = new ArrayList<>();

        @Override
        public long getCurrentProcessingTime() {
            return 0;
        }

        @Override
        public ScheduledFuture<?> registerTimer(long time, ProcessingTimeCallback callback) {
            timers.add(callback);
            return null;
        }
    }

    /** A writer's context: its subtask, no restored checkpoint, unregistered metrics, manual time. */
    static WriterInitContext context(int subtask, int parallelism, ProcessingTimeService time) {
        return context(subtask, parallelism, time, null);
    }

    /** With the task's mailbox ({@code null}: none, the writer must not need it). */
    static WriterInitContext context(
            int subtask, int parallelism, ProcessingTimeService time, MailboxExecutor mailbox) {
        return new WriterInitContext() {
            @Override
            public UserCodeClassLoader getUserCodeClassLoader() {
                throw new UnsupportedOperationException();
            }

            @Override
            public MailboxExecutor getMailboxExecutor() {
                if (mailbox == null) {
                    throw new UnsupportedOperationException();
                }
                return mailbox;
            }

            @Override
            public ProcessingTimeService getProcessingTimeService() {
                return time;
            }

            @Override
            public SinkWriterMetricGroup metricGroup() {
                return UnregisteredMetricsGroup.createSinkWriterMetricGroup();
            }

            @Override
            public SerializationSchema.InitializationContext asSerializationSchemaInitializationContext() {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean isObjectReuseEnabled() {
                return false;
            }

            @Override
            public <IN> TypeSerializer<IN> createInputSerializer() {
                throw new UnsupportedOperationException();
            }

            @Override
            public OptionalLong getRestoredCheckpointId() {
                return OptionalLong.of(41);
            }

            @Override
            public JobInfo getJobInfo() {
                return new JobInfoImpl(new JobID(), "test");
            }

            @Override
            public TaskInfo getTaskInfo() {
                return new TaskInfoImpl("sink", 128, subtask, parallelism, 0);
            }
        };
    }

    private CloudWatchLogsSinkBuilder builder() {
        return SinkTestSupport.localBuilder(LOCAL.endpoint().endpoint(), deadLetters);
    }

    private static CloudWatchLogsSinkWriter writer(
            CloudWatchLogsSinkBuilder b, int subtask, int parallelism, ProcessingTimeService time) {
        return new CloudWatchLogsSinkWriter(b.build().config(), context(subtask, parallelism, time));
    }

    private static CloudWatchEvent event(String stream, long time, String message, String owner) {
        return new CloudWatchEvent(GROUP, stream, time, message, "node-a:/var/log/x.log", time, owner);
    }

    @Test
    void exactlyOnceBuffersUntilTheBarrierThenCutsOneCommittablePerStreamInOrder() throws Exception {
        try (CloudWatchLogsSinkWriter w = writer(builder(), 0, 1, new ManualTime())) {
            assertThat(w.prepareCommit()).isEmpty();
            w.write(event("a", 1, "a1", null), NO_CONTEXT);
            w.write(event("b", 2, "b1", null), NO_CONTEXT);
            w.write(event("a", 3, "a2", null), NO_CONTEXT);
            w.flush(false);
            assertThat(w.bufferedEvents())
                    .as("nothing leaves before the barrier")
                    .isEqualTo(3);
            Collection<CloudWatchLogsCommittable> cut = w.prepareCommit();
            assertThat(cut).extracting(CloudWatchLogsCommittable::logStream).containsExactly("a", "b");
            assertThat(cut)
                    .extracting(c -> c.events().stream().map(SinkEvent::message).toList())
                    .containsExactly(List.of("a1", "a2"), List.of("b1"));
            assertThat(cut).extracting(CloudWatchLogsCommittable::sequence).containsExactly(0L, 1L);
            assertThat(cut).allMatch(c -> c.writerEpoch() == 41 && c.subtaskIndex() == 0);
            assertThat(w.bufferedEvents()).isZero();
            w.write(event("a", 4, "a3", null), NO_CONTEXT);
            assertThat(w.prepareCommit())
                    .extracting(CloudWatchLogsCommittable::sequence)
                    .containsExactly(2L);
            assertThat(LOCAL.endpoint().faults().calls("PutLogEvents")).isZero();
        }
    }

    @Test
    void eventsAsUtf8AndAsTextInAndOutOfTimestampOrderAreCutAsBatchCutterCutsThem() throws Exception {
        try (CloudWatchLogsSinkWriter w = writer(builder(), 0, 1, new ManualTime())) {
            List<CloudWatchEvent> in = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String message =
                        "{\"log\":\"line " + i + "\"" + ",\"kubernetes\":{\"pod\":\"" + "p".repeat(80) + "\"}}";
                long time = i == 20 ? 3 : 100 + i; // stream a gets one late event
                String stream = i % 3 == 0 ? "b" : "a";
                in.add(
                        i % 2 == 0
                                ? CloudWatchEvent.ofUtf8(
                                        GROUP, stream, time, message.getBytes(StandardCharsets.UTF_8), "src", i, null)
                                : event(stream, time, message, null));
            }
            for (CloudWatchEvent e : in) {
                w.write(e, NO_CONTEXT);
            }
            List<CloudWatchLogsCommittable> cut = new ArrayList<>(w.prepareCommit());
            long sequence = 0;
            List<CloudWatchLogsCommittable> expected = new ArrayList<>();
            for (String stream : List.of("b", "a")) {
                List<SinkEvent> events = new ArrayList<>();
                for (CloudWatchEvent e : in) {
                    if (e.logStream.equals(stream)) {
                        events.add(new SinkEvent(e.timestamp, e.message(), e.sourceId, e.sourceOffset));
                    }
                }
                for (List<SinkEvent> batch : BatchCutter.cut(events)) {
                    expected.add(new CloudWatchLogsCommittable(
                            GROUP, stream, 41, 0, sequence++, cut.get(0).createdAtMillis(), batch));
                }
            }
            assertThat(cut).isEqualTo(expected);
            assertThat(cut.get(1).events().get(0).timestamp()).isEqualTo(3);
            assertThat(w.bufferedEvents()).isZero();
        }
    }

    @Test
    void bundlesAreBufferedAndCutAsTheirEventsWrittenOneByOne() throws Exception {
        // a stream's first bundle (its checks), later ones, events the cutter must prepare in the middle (empty,
        // oversize, a negative timestamp), out of timestamp order, an invalid stream and an empty bundle
        List<CloudWatchEventBundle> bundles = new ArrayList<>();
        String big = "x".repeat(300);
        for (int round = 0; round < 4; round++) {
            for (String stream : List.of("a", "b", "bad:stream")) {
                CloudWatchEventBundle b = new CloudWatchEventBundle(GROUP, stream);
                for (int i = 0; i < 12; i++) {
                    long time = round == 2 && i == 5 ? 7 : 100 + round * 12 + i;
                    String message = "{\"v\":\"" + stream + round + "-" + i + "\"}";
                    if (round == 1 && i == 3) {
                        message = "";
                    } else if (round == 1 && i == 6) {
                        message = big;
                    } else if (round == 3 && i == 0) {
                        time = -5;
                    }
                    b.add(time, message.getBytes(StandardCharsets.UTF_8));
                }
                bundles.add(b);
            }
            bundles.add(new CloudWatchEventBundle(GROUP, "a"));
        }
        CloudWatchLogsSinkBuilder b = builder().maxEventBytes(200);
        try (CloudWatchLogsSinkWriter byBundle = writer(b, 0, 1, new ManualTime());
                CloudWatchLogsSinkWriter byEvent = writer(b, 0, 1, new ManualTime())) {
            for (CloudWatchEventBundle bundle : bundles) {
                byBundle.write(bundle, NO_CONTEXT);
                for (int i = 0; i < bundle.size(); i++) {
                    byEvent.write(bundle.event(i), NO_CONTEXT);
                }
            }
            assertThat(byBundle.bufferedEvents())
                    .isEqualTo(byEvent.bufferedEvents())
                    .isEqualTo(2 * 4 * 12 - 6);
            assertThat(byBundle.metrics().deadLettered())
                    .isEqualTo(byEvent.metrics().deadLettered())
                    .isEqualTo(4 * 12 + 6); // the invalid stream's, the empty, oversize and negative-time ones
            List<CloudWatchLogsCommittable> expected = new ArrayList<>(byEvent.prepareCommit());
            List<CloudWatchLogsCommittable> cut = new ArrayList<>(byBundle.prepareCommit());
            assertThat(cut).hasSize(expected.size()).hasSizeGreaterThanOrEqualTo(2);
            for (int i = 0; i < cut.size(); i++) {
                assertThat(cut.get(i).logStream()).isEqualTo(expected.get(i).logStream());
                assertThat(cut.get(i).sequence()).isEqualTo(expected.get(i).sequence());
                assertThat(cut.get(i).events()).isEqualTo(expected.get(i).events());
            }
            assertThat(byBundle.bufferedEvents()).isZero();
        }
    }

    @Test
    void aStreamArrivingAtTheWrongSubtaskFailsNamingItsOwner() throws Exception {
        String key = "prod\nip-10-0-0-1";
        int owner = KeyGroupRangeAssignment.assignKeyToParallelOperator(key, 128, 4);
        int other = (owner + 1) % 4;
        CloudWatchLogsSinkBuilder b = builder().streamOwner(CloudWatchLogsSink.ownerKeySelector());
        try (CloudWatchLogsSinkWriter right = writer(b, owner, 4, new ManualTime())) {
            right.write(event("a", 1, "m", key), NO_CONTEXT);
            assertThat(right.bufferedEvents()).isEqualTo(1);
        }
        try (CloudWatchLogsSinkWriter wrong = writer(b, other, 4, new ManualTime())) {
            assertThatThrownBy(() -> wrong.write(event("a", 1, "m", key), NO_CONTEXT))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(GROUP + "/a")
                    .hasMessageContaining("belongs to subtask " + owner);
            assertThatThrownBy(() -> wrong.write(event("b", 1, "m", null), NO_CONTEXT))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("without an owner key");
        }
        try (CloudWatchLogsSinkWriter unchecked = writer(b.streamOwnershipCheck(false), other, 4, new ManualTime())) {
            unchecked.write(event("a", 1, "m", key), NO_CONTEXT);
            assertThat(unchecked.bufferedEvents()).isEqualTo(1);
        }
    }

    @Test
    void anEventForAnInvalidStreamIsDeadLetteredNotBuffered() throws Exception {
        try (CloudWatchLogsSinkWriter w = writer(builder(), 0, 1, new ManualTime())) {
            w.write(event("bad:stream", 1, "m", null), NO_CONTEXT);
            w.write(event("good", 2, "n", null), NO_CONTEXT);
            assertThat(w.bufferedEvents()).isEqualTo(1);
            assertThat(w.metrics().deadLettered()).isEqualTo(1);
        }
        List<Map<String, Object>> letters = SinkTestSupport.deadLetters(deadLetters);
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0)).containsEntry("reason", "INVALID_TARGET").containsEntry("logStream", "bad:stream");
    }

    @Test
    void atLeastOncePutsAtFlushAndAtItsBufferTimer() throws Exception {
        ManualTime time = new ManualTime();
        CloudWatchLogsSinkBuilder b = builder().deliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE);
        long now = System.currentTimeMillis(); // CloudWatch takes events of the last 14 days
        try (CloudWatchLogsSinkWriter w = writer(b, 0, 1, time)) {
            w.write(event("alo", now, "first", null), NO_CONTEXT);
            assertThat(time.timers).hasSize(1);
            time.timers.remove(0).onProcessingTime(0);
            assertThat(w.bufferedEvents()).isZero();
            w.write(event("alo", now + 1, "second", null), NO_CONTEXT);
            w.flush(false);
            assertThat(w.prepareCommit()).isEmpty();
            assertThat(w.metrics().eventsWritten()).isEqualTo(2);
        }
        assertThat(SinkTestSupport.readAll(LOCAL.sdk(), GROUP, "alo"))
                .extracting(e -> e.message())
                .containsExactly("first", "second");
    }

    @Test
    void exactlyOnceOverTheHeldLimitTheWriterTakesNoInputUntilTheCommitterStoredWhatItCut() throws Exception {
        // the endpoint is slower than the writer takes events: without the limit the writer would go on buffering
        // while the committables of the last checkpoint wait for their commit, and the subtask's heap would grow
        LOCAL.endpoint().faults().slow("PutLogEvents", Duration.ofMillis(20));
        CloudWatchLogsSinkConfig config =
                builder().maxHeldBytes(1 << 20).build().config();
        TestMailbox task = new TestMailbox();
        String message = "x".repeat(10_000);
        long t0 = System.currentTimeMillis();
        try (CloudWatchLogsSinkWriter w = new CloudWatchLogsSinkWriter(config, context(0, 1, task, task));
                CloudWatchLogsCommitter c = new CloudWatchLogsCommitter(
                        config,
                        41,
                        0,
                        new UnregisteredMetricsGroup(),
                        HeldBytes.committer(config.sinkId, new TaskInfoImpl("sink", 128, 0, 1, 0)))) {
            int n = 0;
            while (n * 10_026L <= 1 << 20) {
                w.write(event("held", t0 + n, message, null), NO_CONTEXT);
                n++;
            }
            assertThat(task.mailsRun)
                    .as("the writer's own buffer is cut by the barrier, not waited on")
                    .isZero();
            Collection<CloudWatchLogsCommittable> cut = w.prepareCommit(); // the barrier
            List<TestRequest<CloudWatchLogsCommittable>> requests = new ArrayList<>();
            for (CloudWatchLogsCommittable committable : cut) {
                requests.add(new TestRequest<>(committable, 0));
            }
            task.execute(() -> c.commit(new ArrayList<>(requests)), "the checkpoint completed: commit");

            w.write(event("held", t0 + n, message, null), NO_CONTEXT);

            assertThat(task.mailsRun)
                    .as("the commit ran before the writer took more")
                    .isEqualTo(1);
            assertThat(LOCAL.endpoint().events(GROUP, "held")).hasSize(n);
            assertThat(w.metrics().heldBytesWaits()).isEqualTo(1);
            assertThat(w.bufferedEvents()).isEqualTo(1);
            w.write(event("held", t0 + n + 1, message, null), NO_CONTEXT);
            assertThat(task.mailsRun).as("under the limit again: no wait").isEqualTo(1);
        }
    }
}
