package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.cwlocal.Faults;
import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.job.JobCommand;
import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.sink.cloudwatch.wire.Utf8;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * The failure proofs of issue 5, each on a real MiniCluster against the local endpoint, counting every
 * event by content: failover mid-stream, stored-but-response-lost (plain and replayed after a failover),
 * throttling and 5xx bursts, too-old / too-new rejections, 1 MB+ / empty / non-ASCII events.
 */
class CloudWatchLogsSinkFailureITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(4)
                    .build());

    static LocalCloudWatchLogs cw;
    static CloudWatchLogsClient sdk;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        cw = LocalCloudWatchLogs.start(0, null);
        sdk = SinkTestSupport.syncClient(cw.endpoint());
    }

    @AfterAll
    static void stop() {
        sdk.close();
        cw.close();
    }

    @AfterEach
    void disarm() {
        cw.faults().clear();
        cw.faults().resetCounters();
    }

    /** The sink under test (a subclass runs these cases on another put path). */
    CloudWatchLogsSinkBuilder sink() {
        return SinkTestSupport.localBuilder(cw.endpoint(), tmp.resolve("dl"));
    }

    private static void run(
            StreamExecutionEnvironment env,
            GeneratorFunction<Long, CloudWatchEvent> gen,
            long n,
            int perCheckpoint,
            CloudWatchLogsSink sink,
            TestEventSource.FailOnce failOnce)
            throws Exception {
        var events = TestEventSource.events(env, null, gen, n, perCheckpoint);
        if (failOnce != null) {
            events = events.map(failOnce).uid("fail-once").name("fail-once");
        }
        // keyed the way the sink checks: by stream, or for the job's sinks by the owner key the keyed stage sets
        sink.addTo(events.keyBy(sink.config().streamOwner()), "sink-application");
        env.execute();
    }

    @Test
    void failoverMidStreamRestoresFromTheLastCheckpointAndLandsEveryEventOnce() throws Exception {
        long n = 6_000;
        TestEventSource.Generator gen =
                new TestEventSource.Generator("failover", System.currentTimeMillis() - 3_600_000, 3, 4);
        String key = "failover-" + System.nanoTime();
        long getLogEventsBefore = cw.faults().calls("GetLogEvents");
        run(
                CloudWatchLogsSinkITCase.env(3, 3, tmp.resolve("cp")),
                gen,
                n,
                600,
                sink().build(),
                new TestEventSource.FailOnce(key, n / 2));

        assertThat(TestEventSource.FailOnce.FAILED).contains(key);
        TestEventSource.assertLandedExactlyOnce(cw, sdk, TestEventSource.expected(gen, n), e -> e.message);
        // committables restored from the checkpoint were read back before anything was written
        assertThat(cw.faults().calls("GetLogEvents")).isGreaterThan(getLogEventsBefore);
    }

    @Test
    void storedButResponseLostOnCommitIsReadBackNotDuplicated() throws Exception {
        long n = 4_000;
        TestEventSource.Generator gen =
                new TestEventSource.Generator("dropped", System.currentTimeMillis() - 3_600_000, 2, 3);
        cw.faults().dropResponses("PutLogEvents", 6);
        run(CloudWatchLogsSinkITCase.env(2, 0, tmp.resolve("cp")), gen, n, 500, sink().build(), null);

        assertThat(cw.faults().injected(Faults.Kind.DROP_RESPONSE)).isEqualTo(6);
        TestEventSource.assertLandedExactlyOnce(cw, sdk, TestEventSource.expected(gen, n), e -> e.message);
    }

    @Test
    void storedButResponseLostThenFailoverReplaysTheCommitWithoutDuplicates() throws Exception {
        long n = 4_000;
        TestEventSource.Generator gen =
                new TestEventSource.Generator("dropped-failover", System.currentTimeMillis() - 3_600_000, 2, 3);
        // the first dropped put is stored; its read-back then meets 503s until the batch's budget (3 calls) is
        // spent, so the committer fails the job; after the restart the restored committable is read back.
        cw.faults().dropResponses("PutLogEvents", 1).unavailable("GetLogEvents", 2, 503);
        long getsBefore = cw.faults().calls("GetLogEvents");
        CloudWatchLogsSink s = sink().backoff(Duration.ofMillis(1), Duration.ofMillis(5), 3, Duration.ofSeconds(30))
                .build();
        run(CloudWatchLogsSinkITCase.env(2, 3, tmp.resolve("cp")), gen, n, 500, s, null);

        assertThat(cw.faults().injected(Faults.Kind.DROP_RESPONSE)).isEqualTo(1);
        assertThat(cw.faults().injected(Faults.Kind.UNAVAILABLE)).isEqualTo(2);
        assertThat(cw.faults().calls("GetLogEvents") - getsBefore)
                .as("failed read-backs + read-back after restore")
                .isGreaterThanOrEqualTo(3);
        TestEventSource.assertLandedExactlyOnce(cw, sdk, TestEventSource.expected(gen, n), e -> e.message);
    }

    @Test
    void throttlingAndServerErrorBurstsAreRiddenOutWithoutLossOrDuplicates() throws Exception {
        long n = 4_000;
        TestEventSource.Generator gen =
                new TestEventSource.Generator("bursts", System.currentTimeMillis() - 3_600_000, 2, 3);
        cw.faults()
                .throttle("CreateLogGroup", 2)
                .throttle("CreateLogStream", 3)
                .throttle("PutLogEvents", 25)
                .unavailable("PutLogEvents", 10, 503)
                .unavailable("PutLogEvents", 5, 500)
                .unavailable("GetLogEvents", 3, 503);
        CloudWatchLogsSink s = sink().backoff(Duration.ofMillis(1), Duration.ofMillis(10), 60, Duration.ofSeconds(60))
                .build();
        run(CloudWatchLogsSinkITCase.env(2, 0, tmp.resolve("cp")), gen, n, 500, s, null);

        assertThat(cw.faults().pending()).isZero();
        assertThat(cw.faults().injected(Faults.Kind.THROTTLE)).isEqualTo(30);
        assertThat(cw.faults().injected(Faults.Kind.UNAVAILABLE)).isEqualTo(18);
        TestEventSource.assertLandedExactlyOnce(cw, sdk, TestEventSource.expected(gen, n), e -> e.message);
    }

    /** Per stream: too-old + valid events near the 14-day edge, valid + too-new events near the 2-hour edge. */
    static final class EdgeGenerator implements GeneratorFunction<Long, CloudWatchEvent> {
        private static final long serialVersionUID = 1L;
        static final long DAY = 24L * 3600 * 1000;
        static final long HOUR = 3600L * 1000;
        final long now;
        final String group;

        EdgeGenerator(long now) {
            this(now, "/kubelogs/it/edges");
        }

        EdgeGenerator(long now, String group) {
            this.now = now;
            this.group = group;
        }

        @Override
        public CloudWatchEvent map(Long index) {
            long i = index;
            long ts;
            switch ((int) (i % 4)) {
                case 0:
                    ts = now - 14 * DAY - HOUR / 2 - i;
                    break; // too old
                case 1:
                    ts = now - 14 * DAY + HOUR / 2 + i;
                    break; // valid, same batch as the too-old ones
                case 2:
                    ts = now + HOUR + HOUR / 2 + i;
                    break; // valid, same batch as the too-new ones
                default:
                    ts = now + 2 * HOUR + HOUR / 2 + i;
                    break; // too new
            }
            return new CloudWatchEvent(group, "s" + (i % 3), ts, "edge " + i + " ✓ ünïcødé", "edge", i);
        }

        static String expectedReason(CloudWatchEvent e) {
            long k = e.sourceOffset % 4;
            return k == 0 ? "TOO_OLD" : k == 3 ? "TOO_NEW" : null;
        }
    }

    @Test
    void tooOldAndTooNewEventsGoToTheDeadLetterWithReasonsTheRestLands() throws Exception {
        long n = 400;
        EdgeGenerator gen = new EdgeGenerator(System.currentTimeMillis());
        run(CloudWatchLogsSinkITCase.env(2, 0, tmp.resolve("cp")), gen, n, 100, sink().build(), null);

        List<CloudWatchEvent> expected = TestEventSource.expected(gen, n);
        TestEventSource.assertLandedExactlyOnce(
                cw, sdk, expected, e -> EdgeGenerator.expectedReason(e) == null ? e.message : null);
        List<Map<String, Object>> dl = SinkTestSupport.deadLetters(tmp.resolve("dl"));
        Map<Long, String> wanted = new HashMap<>();
        for (CloudWatchEvent e : expected) {
            if (EdgeGenerator.expectedReason(e) != null) {
                wanted.put(e.sourceOffset, EdgeGenerator.expectedReason(e) + " " + e.timestamp + " " + e.message);
            }
        }
        Map<Long, String> got = dl.stream()
                .collect(Collectors.toMap(
                        m -> ((Number) m.get("sourceOffset")).longValue(),
                        m -> m.get("reason") + " " + m.get("timestamp") + " " + m.get("message")));
        assertThat(dl).hasSize(wanted.size()); // each rejected event dead-lettered exactly once (no failover here)
        assertThat(got).isEqualTo(wanted);
    }

    @Test
    void theJobsDefaultKeepsRejectedEventsInTheDeadLetterGroupBesideTheirOwn() throws Exception {
        JobCommand job = new JobCommand();
        new CommandLine(job)
                .parseArgs(
                        "--spool",
                        tmp.toString(),
                        "--cloudwatch-endpoint",
                        cw.endpoint().toString(),
                        "--region",
                        "us-east-1");
        CloudWatchLogsSink sink = (CloudWatchLogsSink) job.sinkFactory().create();
        long n = 40;
        EdgeGenerator gen = new EdgeGenerator(System.currentTimeMillis(), "/kubelogs/it/defaults/application");
        run(CloudWatchLogsSinkITCase.env(2, 0, tmp.resolve("cp")), new OwnedByStream(gen), n, 20, sink, null);

        List<CloudWatchEvent> expected = TestEventSource.expected(gen, n);
        TestEventSource.assertLandedExactlyOnce(
                cw, sdk, expected, e -> EdgeGenerator.expectedReason(e) == null ? e.message : null);
        Map<String, Long> reasons = new HashMap<>();
        String deadLetterGroup = "/kubelogs/it/defaults/kubelogs-dead-letter";
        for (var stream : sdk.describeLogStreamsPaginator(r -> r.logGroupName(deadLetterGroup))
                .logStreams()) {
            for (var e : SinkTestSupport.readAll(sdk, deadLetterGroup, stream.logStreamName())) {
                Map<?, ?> record = new com.fasterxml.jackson.databind.ObjectMapper().readValue(e.message(), Map.class);
                assertThat(record.get("logGroup")).isEqualTo("/kubelogs/it/defaults/application");
                reasons.merge((String) record.get("reason"), 1L, Long::sum);
            }
        }
        assertThat(reasons).containsExactlyInAnyOrderEntriesOf(Map.of("TOO_OLD", n / 4, "TOO_NEW", n / 4));
    }

    /** Sets the owner key as the job's keyed stage would (here one owner per stream) on another generator's events. */
    static final class OwnedByStream implements GeneratorFunction<Long, CloudWatchEvent> {
        private static final long serialVersionUID = 1L;
        final GeneratorFunction<Long, CloudWatchEvent> events;

        OwnedByStream(GeneratorFunction<Long, CloudWatchEvent> events) {
            this.events = events;
        }

        @Override
        public CloudWatchEvent map(Long index) throws Exception {
            CloudWatchEvent e = events.map(index);
            return e.withOwnerKey(e.logGroup + "/" + e.logStream);
        }
    }

    /** Sizes and encodings: exactly max size, one byte over, 3 MB, empty, short non-ASCII, 600 KB. */
    static final class SizesGenerator implements GeneratorFunction<Long, CloudWatchEvent> {
        private static final long serialVersionUID = 1L;
        final long base;

        SizesGenerator(long base) {
            this.base = base;
        }

        @Override
        public CloudWatchEvent map(Long index) {
            long i = index;
            String head = "{\"seq\":" + i + ",\"log\":\"";
            String msg;
            switch ((int) (i % 6)) {
                case 0:
                    msg = fill(head, "€", 1_048_550);
                    break; // exactly the max: lands unchanged
                case 1:
                    msg = fill(head, "a", 1_048_551);
                    break; // one byte over: truncated
                case 2:
                    msg = fill(head, "日本語😀", 3 * 1_048_576);
                    break; // 3 MB of 3- and 4-byte characters
                case 3:
                    msg = "";
                    break; // empty: dead letter
                case 4:
                    msg = head + "Grüße, Ελληνικά, русский, عربى, 中文, 😀\"}";
                    break;
                default:
                    msg = fill(head, "ü", 600_000);
                    break;
            }
            return new CloudWatchEvent("/kubelogs/it/sizes", "s" + (i % 2), base + i, msg, "sizes", i);
        }

        /** {@code head} + repeated {@code unit} + padding, exactly {@code bytes} UTF-8 bytes. */
        static String fill(String head, String unit, int bytes) {
            StringBuilder sb = new StringBuilder(head);
            int unitBytes = Utf8.length(unit);
            int len = Utf8.length(head);
            while (len + unitBytes <= bytes - 2) {
                sb.append(unit);
                len += unitBytes;
            }
            while (len < bytes - 2) {
                sb.append('x');
                len++;
            }
            return sb.append("\"}").toString();
        }
    }

    @Test
    void oneMegabyteAndLargerEmptyAndNonAsciiEvents() throws Exception {
        long n = 36;
        SizesGenerator gen = new SizesGenerator(System.currentTimeMillis() - 60_000);
        BatchCutter cutter = BatchCutter.defaults();
        CloudWatchLogsSink s = sink().oversizeEventPolicy(OversizeEventPolicy.TRUNCATE_AND_DEAD_LETTER)
                .build();
        run(CloudWatchLogsSinkITCase.env(2, 0, tmp.resolve("cp")), gen, n, 6, s, null);

        List<CloudWatchEvent> expected = TestEventSource.expected(gen, n);
        assertThat(Utf8.length(expected.get(0).message)).isEqualTo(1_048_550);
        assertThat(Utf8.length(expected.get(1).message)).isEqualTo(1_048_551);
        TestEventSource.assertLandedExactlyOnce(
                cw,
                sdk,
                expected,
                e -> e.message.isEmpty() ? null : cutter.prepare(e).event.message());
        // the truncated ones end with the marker and start with the original text
        for (CloudWatchEvent e : expected) {
            if (e.sourceOffset % 6 == 1 || e.sourceOffset % 6 == 2) {
                String landed = cutter.prepare(e).event.message();
                assertThat(landed).endsWith(BatchCutter.truncationMarker(Utf8.length(e.message)));
                assertThat(e.message)
                        .startsWith(landed.substring(
                                0,
                                landed.length()
                                        - BatchCutter.truncationMarker(Utf8.length(e.message))
                                                .length()));
                assertThat(Utf8.length(landed)).isLessThanOrEqualTo(1_048_550);
            }
        }
        Map<Long, String> got = SinkTestSupport.deadLetters(tmp.resolve("dl")).stream()
                .collect(Collectors.toMap(
                        m -> ((Number) m.get("sourceOffset")).longValue(),
                        m -> m.get("reason") + ":" + m.get("message")));
        Map<Long, String> wanted = new HashMap<>();
        for (CloudWatchEvent e : expected) {
            long k = e.sourceOffset % 6;
            if (k == 1 || k == 2) {
                wanted.put(e.sourceOffset, "TRUNCATED:" + e.message); // full original kept
            } else if (k == 3) {
                wanted.put(e.sourceOffset, "EMPTY_MESSAGE:");
            }
        }
        assertThat(got).isEqualTo(wanted);
    }
}
