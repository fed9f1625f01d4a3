package dev.kubelogs.job.metrics.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.ScrapeTarget;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

class ScrapeMetricsTest {
    private static final ScrapeTarget TARGET =
            new ScrapeTarget("app", "http://10.0.0.1:8080/metrics", Labels.of("job", "app"), 60_000, 10_000);

    /** Keeps the counters registered under the {@code metrics_scrape} group by name. */
    private static final class CapturingGroup extends UnregisteredMetricsGroup {
        final Map<String, Counter> counters = new HashMap<>();

        @Override
        public MetricGroup addGroup(String name) {
            assertThat(name).isEqualTo(ScrapeMetrics.GROUP);
            return this;
        }

        @Override
        public <C extends Counter> C counter(String name, C counter) {
            counters.put(name, counter);
            return counter;
        }

        @Override
        public Counter counter(String name) {
            return counter(name, new org.apache.flink.metrics.SimpleCounter());
        }

        long count(String name) {
            Metric m = counters.get(name);
            return ((Counter) m).getCount();
        }
    }

    @Test
    void everyOutcomeAndEveryDroppedSampleIsCountedByReason() {
        CapturingGroup group = new CapturingGroup();
        ScrapeMetrics metrics = new ScrapeMetrics(group, new AtomicLong()::get);

        metrics.record(ScrapeOutcome.ok(
                TARGET, 1, List.of(), Map.of(SampleDropReason.UNTYPED, 4, SampleDropReason.DUPLICATE_SERIES, 1)));
        metrics.record(ScrapeOutcome.failed(TARGET, 2, new ScrapeFailure(ScrapeReason.TIMEOUT, "slow")));
        metrics.record(ScrapeOutcome.failed(TARGET, 3, new ScrapeFailure(ScrapeReason.HTTP_STATUS, 503, "x", null)));

        assertThat(group.count("scrapes_ok")).isEqualTo(1);
        assertThat(group.count("scrapes_timeout")).isEqualTo(1);
        assertThat(group.count("scrapes_http_status")).isEqualTo(1);
        assertThat(group.count("scrapes_target_gone")).isZero();
        assertThat(group.count("dropped_untyped")).isEqualTo(4);
        assertThat(group.count("dropped_duplicate_series")).isEqualTo(1);
        assertThat(group.counters.keySet())
                .contains(
                        "scrapes_body_too_large",
                        "scrapes_sample_limit_exceeded",
                        "dropped_gaugehistogram",
                        "dropped_info",
                        "dropped_stateset",
                        "dropped_metric_relabel",
                        "groups");
    }
}
