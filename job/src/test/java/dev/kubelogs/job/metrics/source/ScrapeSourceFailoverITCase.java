package dev.kubelogs.job.metrics.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.JobTargetDiscoveryFactory;
import dev.kubelogs.job.metrics.config.ScrapeConfig;
import dev.kubelogs.job.metrics.config.StaticConfig;
import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import dev.kubelogs.job.metrics.scrape.MetricsEndpoint;
import dev.kubelogs.job.metrics.scrape.ScrapeConfigs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.CommonTestUtils;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.function.SupplierWithException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A reader fails after a checkpoint: the readers report their targets to the enumerator instead of restoring them,
 * the enumerator assigns them again, and every target goes on being scraped. The job may restart once only: the
 * failure the test injects is the only one allowed, so a source that fails the job again while it recovers fails the
 * test.
 */
@Timeout(180)
class ScrapeSourceFailoverITCase {
    private static final int TARGETS = 4;
    private static final AtomicBoolean CHECKPOINTED = new AtomicBoolean();
    private static final AtomicBoolean FAILED = new AtomicBoolean();
    /** Instances whose groups arrived after the failure. */
    private static final Set<String> SEEN_AFTER_FAILURE = ConcurrentHashMap.newKeySet();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .setConfiguration(restartQuickly())
                    .build());

    private final List<MetricsEndpoint> endpoints = new ArrayList<>();

    private static Configuration restartQuickly() {
        Configuration c = new Configuration();
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 1);
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        return c;
    }

    @BeforeEach
    void resetFlags() {
        CHECKPOINTED.set(false);
        FAILED.set(false);
        SEEN_AFTER_FAILURE.clear();
    }

    @AfterEach
    void stopEndpoints() {
        endpoints.forEach(MetricsEndpoint::close);
    }

    /** Fails once, on the first group after a checkpoint completed; notes what arrives after that. */
    private static final class FailOnceAfterCheckpoint implements MapFunction<SeriesGroup, String>, CheckpointListener {
        @Override
        public String map(SeriesGroup group) {
            String instance = group.labels.get("instance");
            if (FAILED.get()) {
                SEEN_AFTER_FAILURE.add(instance);
            } else if (CHECKPOINTED.get() && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("failing once after a checkpoint (test)");
            }
            return instance;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            CHECKPOINTED.set(true);
        }
    }

    /** Each source subtask is a pipeline of its own: the failure restarts one reader while the other runs. */
    @Test
    void everyTargetIsScrapedAgainAfterAReaderFailed() throws Exception {
        runAndFailOnce(false);
    }

    /**
     * A keyed stream after the source puts every subtask in one pipelined region, as in the job: a failure anywhere
     * cancels every reader, and Flink resets them one by one before they register again. The enumerator used to hand a
     * reset reader's targets to one not reset yet, which Flink refuses by failing the job ("Failed to assign splits").
     */
    @Test
    void everyTargetIsScrapedAgainAfterEveryReaderRestartedAtOnce() throws Exception {
        runAndFailOnce(true);
    }

    private void runAndFailOnce(boolean keyed) throws Exception {
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < TARGETS; i++) {
            MetricsEndpoint e = MetricsEndpoint.serving(MetricsEndpoint.TEXT, "# TYPE g gauge\ng " + i + "\n");
            endpoints.add(e);
            addresses.add(e.address());
        }
        ScrapeConfig job = ScrapeConfigs.job("it-failover")
                .interval(Duration.ofMillis(500))
                .timeout(Duration.ofMillis(500))
                .staticConfigs(new StaticConfig(addresses, Labels.EMPTY))
                .build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.enableCheckpointing(200);
        env.getConfig().enableObjectReuse();
        DataStream<SeriesGroup> scraped = env.fromSource(
                        new ScrapeSource(
                                List.of(job),
                                new JobTargetDiscoveryFactory(List.of(job)),
                                new ScrapeReaderSettings(2, 1 << 20)),
                        WatermarkStrategy.noWatermarks(),
                        "scrape")
                .uid("scrape-source")
                .flatMap(new EachGroup());
        if (keyed) {
            scraped = scraped.keyBy(g -> g.labels.get("instance"));
        }
        scraped.map(new FailOnceAfterCheckpoint()).sinkTo(new DiscardingSink<>());

        JobClient client = env.executeAsync("scrape-source-failover-it");
        try {
            waitWhileRunning(client, () -> SEEN_AFTER_FAILURE.size() == TARGETS);
            Map<String, Integer> before = new ConcurrentHashMap<>();
            endpoints.forEach(e -> before.put(e.address(), e.requests().size()));
            waitWhileRunning(
                    client, () -> endpoints.stream().allMatch(e -> e.requests().size() >= before.get(e.address()) + 2));
            assertThat(client.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        } finally {
            if (!client.getJobStatus().get().isGloballyTerminalState()) {
                client.cancel().get();
            }
        }
        assertThat(FAILED).isTrue();
        assertThat(SEEN_AFTER_FAILURE).containsExactlyInAnyOrderElementsOf(addresses);
    }

    /** Waits for the condition; a job that ended first (it failed again while recovering) fails with its cause. */
    private static void waitWhileRunning(JobClient client, SupplierWithException<Boolean, Exception> condition)
            throws Exception {
        CommonTestUtils.waitUntilCondition(() -> {
            if (client.getJobStatus().get().isGloballyTerminalState()) {
                client.getJobExecutionResult().get();
                throw new AssertionError("the job ended while recovering");
            }
            return condition.get();
        });
    }
}
