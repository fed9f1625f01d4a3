package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.job.model.CloudWatchEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/** The sink on a real MiniCluster against the local endpoint: every event exactly once, in order per stream. */
class CloudWatchLogsSinkITCase {

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(4)
                    .setConfiguration(METRICS.addToConfiguration(new Configuration()))
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

    /** Checkpoints every 200 ms, no Kryo, and no restarts (any failure fails the test). */
    static StreamExecutionEnvironment env(int parallelism) {
        return env(parallelism, 0);
    }

    /** As {@link #env(int)}, with up to {@code restarts} fixed-delay restarts. */
    static StreamExecutionEnvironment env(int parallelism, int restarts) {
        return env(parallelism, restarts, null);
    }

    /** As {@link #env(int, int)}, with file-system checkpoint storage in {@code checkpointDir} (if not null). */
    static StreamExecutionEnvironment env(int parallelism, int restarts, Path checkpointDir) {
        Configuration conf = new Configuration();
        if (checkpointDir != null) {
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(
                    CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                    checkpointDir.toUri().toString());
        }
        if (restarts == 0) {
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        } else {
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, restarts);
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(50));
        }
        conf.set(PipelineOptions.GENERIC_TYPES, false); // no Kryo anywhere in these pipelines
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        env.enableCheckpointing(200);
        return env;
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 3})
    void everyEventLandsExactlyOnceInTimestampOrder(int parallelism) throws Exception {
        long n = 6_000;
        TestEventSource.Generator gen =
                new TestEventSource.Generator("happy-p" + parallelism, System.currentTimeMillis() - 3_600_000, 3, 4);
        StreamExecutionEnvironment env = env(parallelism);
        CloudWatchLogsSink sink =
                SinkTestSupport.localBuilder(cw.endpoint(), tmp.resolve("dl")).build();
        sink.addTo(
                TestEventSource.events(env, null, gen, n, 1_000).keyBy(CloudWatchLogsSink.streamKeySelector()),
                "sink-application");
        env.execute("sink happy path p" + parallelism);

        List<CloudWatchEvent> expected = TestEventSource.expected(gen, n);
        TestEventSource.assertLandedExactlyOnce(cw, sdk, expected, e -> e.message);
        assertThat(SinkTestSupport.deadLetters(tmp.resolve("dl"))).isEmpty();
    }

    @Test
    void atLeastOnceWritesDirectlyAndLandsEverythingWithoutFailures() throws Exception {
        long n = 3_000;
        TestEventSource.Generator gen =
                new TestEventSource.Generator("alo", System.currentTimeMillis() - 3_600_000, 2, 3);
        StreamExecutionEnvironment env = env(2);
        CloudWatchLogsSink sink = SinkTestSupport.localBuilder(cw.endpoint(), tmp.resolve("dl"))
                .deliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .atLeastOnceMaxBufferTime(Duration.ofMillis(50))
                .build();
        sink.addTo(
                TestEventSource.events(env, null, gen, n, 1_000).keyBy(CloudWatchLogsSink.streamKeySelector()),
                "sink-alo");
        env.execute("sink at-least-once");
        TestEventSource.assertLandedExactlyOnce(cw, sdk, TestEventSource.expected(gen, n), e -> e.message);
    }

    @Test
    void unkeyedInputIsRefusedByTheOwnershipCheck() {
        TestEventSource.Generator gen = new TestEventSource.Generator("unkeyed", System.currentTimeMillis(), 3, 4);
        StreamExecutionEnvironment env = env(3);
        SinkTestSupport.localBuilder(cw.endpoint(), tmp.resolve("dl"))
                .build()
                .addTo(TestEventSource.events(env, null, gen, 300, 1_000).rebalance(), "sink-unkeyed");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> env.execute("unkeyed"))
                .rootCause()
                .hasMessageContaining("single writer per log stream");
    }

    /** Sets the owner key a keyed stage would: the node the stream name starts with. */
    static final class OwnedByNode implements MapFunction<CloudWatchEvent, CloudWatchEvent> {
        private static final long serialVersionUID = 1L;

        @Override
        public CloudWatchEvent map(CloudWatchEvent e) {
            return e.withOwnerKey("cluster/" + e.logStream.substring(0, e.logStream.indexOf('.')));
        }
    }

    @Test
    void inputKeyedByTheOwnerKeyPassesTheOwnershipCheck() throws Exception {
        long n = 600;
        TestEventSource.Generator gen =
                new TestEventSource.Generator("owned", System.currentTimeMillis() - 60_000, 2, 6);
        StreamExecutionEnvironment env = env(3);
        SinkTestSupport.localBuilder(cw.endpoint(), tmp.resolve("dl"))
                .streamOwner(CloudWatchLogsSink.ownerKeySelector())
                .build()
                .addTo(
                        TestEventSource.events(env, null, gen, n, 300)
                                .map(new OwnedByNode())
                                .returns(TypeInformation.of(CloudWatchEvent.class))
                                .keyBy(CloudWatchLogsSink.ownerKeySelector()),
                        "sink-owned");
        env.execute("owner-keyed");
        TestEventSource.assertLandedExactlyOnce(cw, sdk, TestEventSource.expected(gen, n), e -> e.message);
    }

    @Test
    void inputNotKeyedByTheOwnerKeyIsRefusedNamingTheOwner() {
        TestEventSource.Generator gen = new TestEventSource.Generator("unowned", System.currentTimeMillis(), 3, 6);
        StreamExecutionEnvironment env = env(3);
        SinkTestSupport.localBuilder(cw.endpoint(), tmp.resolve("dl"))
                .streamOwner(CloudWatchLogsSink.ownerKeySelector())
                .build()
                .addTo(
                        TestEventSource.events(env, null, gen, 300, 1_000)
                                .map(new OwnedByNode())
                                .returns(TypeInformation.of(CloudWatchEvent.class))
                                .rebalance(),
                        "sink-unowned");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> env.execute("not owner-keyed"))
                .rootCause()
                .hasMessageContaining("single writer per log stream")
                .hasMessageContaining("(owner key cluster/ip-10-0-0-")
                .hasMessageContaining("OwnerKeySelector");
    }

    @Test
    void eventsWithoutAnOwnerKeyAreRefused() {
        TestEventSource.Generator gen = new TestEventSource.Generator("ownerless", System.currentTimeMillis(), 1, 2);
        StreamExecutionEnvironment env = env(2);
        SinkTestSupport.localBuilder(cw.endpoint(), tmp.resolve("dl"))
                .streamOwner(CloudWatchLogsSink.ownerKeySelector())
                .build()
                .addTo(
                        TestEventSource.events(env, null, gen, 10, 1_000).keyBy(CloudWatchLogsSink.streamKeySelector()),
                        "sink-ownerless");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> env.execute("ownerless"))
                .rootCause()
                .hasMessageContaining("without an owner key");
    }

    /** Event {@code i}: ~4 KB, all in one stream. */
    static final class LargeEvents implements GeneratorFunction<Long, CloudWatchEvent> {
        private static final long serialVersionUID = 1L;
        final long base;

        LargeEvents(long base) {
            this.base = base;
        }

        @Override
        public CloudWatchEvent map(Long i) {
            String message = "{\"seq\":" + i + ",\"pad\":\"" + "m".repeat(4_000) + "\"}";
            return new CloudWatchEvent("/kubelogs/it/held", "one-stream", base + i, message, "gen:held", i);
        }
    }

    /**
     * One log stream (as a scrape job's in the metrics pipeline), an endpoint slower than the source, and a held-bytes
     * limit smaller than a checkpoint's events: in a real task the writer waits for its committer, the checkpoint's
     * completion releases it (no deadlock), and every event still lands exactly once.
     */
    @Test
    void theWriterWaitsForTheCommitsOfAStreamTheEndpointTakesSlowlyAndNothingIsLostOrDuplicated() throws Exception {
        cw.faults().slow("PutLogEvents", Duration.ofMillis(30));
        long n = 3_000; // 12 MB: 500 events (2 MB) per checkpoint against a 1 MiB limit
        LargeEvents gen = new LargeEvents(System.currentTimeMillis() - 3_600_000);
        StreamExecutionEnvironment env = env(2);
        CloudWatchLogsSink sink = SinkTestSupport.localBuilder(cw.endpoint(), tmp.resolve("dl"))
                .maxHeldBytes(1 << 20)
                .build();
        sink.addTo(
                TestEventSource.events(env, null, gen, n, 500).keyBy(CloudWatchLogsSink.streamKeySelector()),
                "sink-held");
        JobExecutionResult result;
        try {
            result = env.execute("sink held bytes");
        } finally {
            cw.faults().clear();
        }

        TestEventSource.assertLandedExactlyOnce(cw, sdk, TestEventSource.expected(gen, n), e -> e.message);
        assertThat(count(result, "heldBytesWaits")).isPositive();
        assertThat(count(result, "heldBytesWaitTimeouts")).isZero();
    }

    /** The sum of a writer counter over the job's subtasks. */
    private static long count(JobExecutionResult result, String name) {
        long sum = 0;
        for (Map.Entry<String, Metric> m :
                METRICS.findMetrics(result.getJobID(), name).entrySet()) {
            if (m.getKey().contains("Writer")) {
                sum += ((Counter) m.getValue()).getCount();
            }
        }
        return sum;
    }
}
