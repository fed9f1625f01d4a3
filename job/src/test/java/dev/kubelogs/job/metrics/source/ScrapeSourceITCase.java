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
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.CommonTestUtils;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two readers and six static targets on local HTTP servers: every target is scraped, by one reader, three each. */
@Timeout(180)
class ScrapeSourceITCase {
    private static final int TARGETS = 6;
    /** instance label → the reader subtasks whose groups named it. */
    private static final Map<String, Set<Integer>> READERS_BY_INSTANCE = new ConcurrentHashMap<>();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    private final List<MetricsEndpoint> endpoints = new ArrayList<>();

    @AfterEach
    void stopEndpoints() {
        endpoints.forEach(MetricsEndpoint::close);
        READERS_BY_INSTANCE.clear();
    }

    /** Notes which reader emitted a group of which target (chained to the source: same subtask). */
    private static final class RecordReader extends RichMapFunction<SeriesGroup, String> {
        private int subtask;

        @Override
        public void open(OpenContext context) {
            subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        }

        @Override
        public String map(SeriesGroup group) {
            READERS_BY_INSTANCE
                    .computeIfAbsent(group.labels.get("instance"), k -> ConcurrentHashMap.newKeySet())
                    .add(subtask);
            return group.labels.get("instance");
        }
    }

    @Test
    void everyTargetIsScrapedAndTheReadersHaveThreeEach() throws Exception {
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < TARGETS; i++) {
            MetricsEndpoint e = MetricsEndpoint.serving(
                    MetricsEndpoint.TEXT,
                    "# TYPE requests_total counter\nrequests_total{target=\"" + i + "\"} " + i + "\n");
            endpoints.add(e);
            addresses.add(e.address());
        }
        ScrapeConfig job = ScrapeConfigs.job("it-static")
                .interval(Duration.ofSeconds(1))
                .timeout(Duration.ofSeconds(1))
                .staticConfigs(new StaticConfig(addresses, Labels.of("team", "metrics")))
                .build();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.getConfig().enableObjectReuse();
        ScrapeSource source = new ScrapeSource(
                List.of(job), new JobTargetDiscoveryFactory(List.of(job)), new ScrapeReaderSettings(2, 1 << 20));
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "scrape")
                .uid("scrape-source")
                .flatMap(new EachGroup())
                .map(new RecordReader())
                .sinkTo(new DiscardingSink<>());

        JobClient client = env.executeAsync("scrape-source-it");
        try {
            CommonTestUtils.waitUntilCondition(() -> READERS_BY_INSTANCE.size() == TARGETS
                    && endpoints.stream().allMatch(e -> e.requests().size() >= 2));
        } finally {
            client.cancel().get();
        }

        assertThat(READERS_BY_INSTANCE.keySet()).containsExactlyInAnyOrderElementsOf(addresses);
        assertThat(READERS_BY_INSTANCE.values())
                .as("each target scraped by one reader only")
                .allMatch(s -> s.size() == 1);
        Map<Integer, Long> perReader = new TreeMap<>(READERS_BY_INSTANCE.values().stream()
                .collect(Collectors.groupingBy(s -> s.iterator().next(), Collectors.counting())));
        assertThat(perReader).containsExactly(Map.entry(0, 3L), Map.entry(1, 3L));
        assertThat(endpoints.get(0).requests().get(0).getFirst("X-Prometheus-Scrape-Timeout-Seconds"))
                .isEqualTo("1");
    }
}
