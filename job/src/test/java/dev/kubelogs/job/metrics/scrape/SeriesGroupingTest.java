package dev.kubelogs.job.metrics.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.MetricType;
import dev.kubelogs.job.metrics.model.Sample;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeriesGroupingTest {
    private static final long SCRAPE_TIME = 1_700_000_000_000L;
    /** Prometheus' maxAheadTime. */
    private static final long TEN_MINUTES = 10 * 60_000L;

    private static final Labels TARGET = Labels.of("job", "app", "instance", "10.0.0.1:8080");

    private final Map<SampleDropReason, Integer> drops = new EnumMap<>(SampleDropReason.class);

    private static Sample sample(String name, String family, MetricType type, Labels labels, double value) {
        return new Sample(name, family, type, labels, value, Sample.NO_TIMESTAMP);
    }

    private List<SeriesGroup> group(Sample... samples) {
        return SeriesGrouping.group(List.of(samples), SCRAPE_TIME, true, drops);
    }

    @Test
    void samplesWithTheSameLabelsAndTypeShareAGroupInExpositionOrder() {
        List<SeriesGroup> groups = group(
                sample("a_total", "a", MetricType.COUNTER, TARGET, 1),
                sample("temperature", "temperature", MetricType.GAUGE, TARGET, 20),
                sample("b_total", "b", MetricType.COUNTER, TARGET, 2),
                sample("c_total", "c", MetricType.COUNTER, TARGET.with("code", "500"), 3));

        assertThat(groups)
                .containsExactly(
                        new SeriesGroup(
                                "app",
                                TARGET,
                                MetricType.COUNTER,
                                SCRAPE_TIME,
                                new String[] {"a_total", "b_total"},
                                new double[] {1, 2},
                                null),
                        new SeriesGroup(
                                "app",
                                TARGET,
                                MetricType.GAUGE,
                                SCRAPE_TIME,
                                new String[] {"temperature"},
                                new double[] {20},
                                null),
                        new SeriesGroup(
                                "app",
                                TARGET.with("code", "500"),
                                MetricType.COUNTER,
                                SCRAPE_TIME,
                                new String[] {"c_total"},
                                new double[] {3},
                                null));
    }

    @Test
    void aSummarysSumAndCountShareAGroupAndEachQuantileHasItsOwn() {
        List<SeriesGroup> groups = group(
                sample("rpc", "rpc", MetricType.SUMMARY, TARGET.with("quantile", "0.5"), 0.1),
                sample("rpc", "rpc", MetricType.SUMMARY, TARGET.with("quantile", "0.99"), 0.4),
                sample("rpc_sum", "rpc", MetricType.SUMMARY, TARGET, 12),
                sample("rpc_count", "rpc", MetricType.SUMMARY, TARGET, 80));

        assertThat(groups).hasSize(3);
        assertThat(groups.get(2).names).containsExactly("rpc_sum", "rpc_count");
        assertThat(groups.get(0).labels.get("quantile")).isEqualTo("0.5");
    }

    @Test
    void aHistogramIsOneGroupWithoutLeAndWithItsBucketBounds() {
        List<SeriesGroup> groups = group(
                sample("lat_bucket", "lat", MetricType.HISTOGRAM, TARGET.with("le", "0.1"), 3),
                sample("lat_bucket", "lat", MetricType.HISTOGRAM, TARGET.with("le", "1e+00"), 5),
                sample("lat_bucket", "lat", MetricType.HISTOGRAM, TARGET.with("le", "+Inf"), 6),
                sample("lat_sum", "lat", MetricType.HISTOGRAM, TARGET, 2.5),
                sample("lat_count", "lat", MetricType.HISTOGRAM, TARGET, 6));

        assertThat(groups).hasSize(1);
        SeriesGroup g = groups.get(0);
        assertThat(g.labels).isEqualTo(TARGET);
        assertThat(g.values).containsExactly(3, 5, 6, 2.5, 6);
        assertThat(g.upperBounds).containsExactly(0.1, 1.0, Double.POSITIVE_INFINITY, Double.NaN, Double.NaN);
    }

    @Test
    void theLogStreamIsTheJobLabelOrDefault() {
        List<SeriesGroup> groups = group(sample("g", "g", MetricType.GAUGE, Labels.of("instance", "x"), 1));

        assertThat(groups.get(0).logStream).isEqualTo("default");
    }

    @Test
    void aGaugeOrQuantileSeenTwiceHasItsLastValueAsTheAgentsMergeKeepsIt() {
        // the agent's appender caches no series, so both reach utils.go mergePrometheusMetrics, which sets the field
        // of each in turn
        List<SeriesGroup> groups = group(
                sample("g", "g", MetricType.GAUGE, TARGET, 1),
                sample("h", "h", MetricType.GAUGE, TARGET, 3),
                sample("g", "g", MetricType.GAUGE, TARGET, 2),
                sample("s", "s", MetricType.SUMMARY, TARGET.with("quantile", "0.5"), 4),
                sample("s", "s", MetricType.SUMMARY, TARGET.with("quantile", "0.5"), 5));

        assertThat(groups.get(0).names).containsExactly("g", "h");
        assertThat(groups.get(0).values).containsExactly(2, 3);
        assertThat(groups.get(1).values).containsExactly(5);
        assertThat(drops).containsEntry(SampleDropReason.DUPLICATE_SERIES, 2);
    }

    @Test
    void aCounterLikeSampleSeenTwiceKeepsItsFirstValue() {
        // the agent's calculator makes the raw cumulative value of the repeat (not newer than the first); the delta
        // stage would drop that repeat, so the first stays
        List<SeriesGroup> groups = group(
                sample("c_total", "c", MetricType.COUNTER, TARGET, 1),
                sample("c_total", "c", MetricType.COUNTER, TARGET, 2),
                sample("s_sum", "s", MetricType.SUMMARY, TARGET, 3),
                sample("s_sum", "s", MetricType.SUMMARY, TARGET, 4));

        assertThat(groups.get(0).values).containsExactly(1);
        assertThat(groups.get(1).values).containsExactly(3);
        assertThat(drops).containsEntry(SampleDropReason.DUPLICATE_SERIES, 2);
    }

    @Test
    void aLabelSetIsOneGroupWhateverItsSamplesTimestampsWithTheFirstSamplesTimestamp() {
        // the agent's mergeMetrics keys by tags alone and keeps the first sample's timeInMS
        Sample late = new Sample("b", "b", MetricType.GAUGE, TARGET, 2, 2_000L);
        Sample early = new Sample("a", "a", MetricType.GAUGE, TARGET, 1, 1_000L);
        Sample unstamped = sample("c", "c", MetricType.GAUGE, TARGET, 3);
        Sample other = new Sample("d", "d", MetricType.GAUGE, TARGET.with("x", "1"), 4, 3_000L);

        List<SeriesGroup> honored =
                SeriesGrouping.group(List.of(late, early, unstamped, other), SCRAPE_TIME, true, drops);
        List<SeriesGroup> ignored =
                SeriesGrouping.group(List.of(late, early, unstamped, other), SCRAPE_TIME, false, drops);

        assertThat(honored).extracting(g -> g.timestampMs).containsExactly(2_000L, 3_000L);
        assertThat(honored.get(0).names).containsExactly("b", "a", "c");
        assertThat(honored.get(0).sampleTimestamps)
                .as("each sample's own, for the delta stage (delta_calculator.go compares pm.timeInMS)")
                .containsExactly(2_000L, 1_000L, SCRAPE_TIME);
        assertThat(honored.get(1).sampleTimestamps)
                .as("all at the group's time")
                .isNull();
        assertThat(ignored).extracting(g -> g.timestampMs).containsExactly(SCRAPE_TIME, SCRAPE_TIME);
        assertThat(ignored.get(0).names).containsExactly("b", "a", "c");
        assertThat(ignored).extracting(g -> g.sampleTimestamps).containsOnlyNulls();
    }

    @Test
    void aHonoredTimestampMoreThanTenMinutesAheadIsOutOfBounds() {
        Sample ahead = new Sample("g", "g", MetricType.GAUGE, TARGET, 1, SCRAPE_TIME + TEN_MINUTES + 1);
        Sample atLimit = new Sample("h", "h", MetricType.GAUGE, TARGET, 2, SCRAPE_TIME + TEN_MINUTES);

        List<SeriesGroup> honored = group(ahead, atLimit);
        assertThat(honored).hasSize(1);
        assertThat(honored.get(0).names).containsExactly("h");
        assertThat(drops).containsEntry(SampleDropReason.OUT_OF_BOUNDS, 1);

        assertThat(SeriesGrouping.group(List.of(ahead, atLimit), SCRAPE_TIME, false, drops)
                        .get(0)
                        .names)
                .containsExactly("g", "h");
    }

    @Test
    void targetLabelsAddedPerGroupGiveTheGroupsOfTheSamplesMergedOneByOne() {
        Labels get = Labels.of("handler", "/api", "method", "GET");
        List<Sample> own = List.of(
                sample("req_total", "req", MetricType.COUNTER, get, 1),
                sample("lat_bucket", "lat", MetricType.HISTOGRAM, get.with("le", "0.1"), 2),
                sample("lat_bucket", "lat", MetricType.HISTOGRAM, get.with("le", "+Inf"), 3),
                sample("lat_sum", "lat", MetricType.HISTOGRAM, get, 4),
                sample("up", "up", MetricType.GAUGE, Labels.EMPTY, 1),
                sample("up", "up", MetricType.GAUGE, Labels.EMPTY, 0),
                sample("req_total", "req", MetricType.COUNTER, get.with("method", "POST"), 5));
        List<Sample> merged = own.stream()
                .map(s -> s.withLabels(s.name(), s.labels().union(TARGET)))
                .toList();
        Map<SampleDropReason, Integer> mergedDrops = new EnumMap<>(SampleDropReason.class);

        List<SeriesGroup> perGroup = SeriesGrouping.group(own, TARGET, SCRAPE_TIME, true, drops);

        assertThat(perGroup)
                .isEqualTo(SeriesGrouping.group(merged, SCRAPE_TIME, true, mergedDrops))
                .hasSize(4)
                .allSatisfy(g -> assertThat(g.logStream).isEqualTo("app"));
        assertThat(perGroup.get(1).upperBounds).containsExactly(0.1, Double.POSITIVE_INFINITY, Double.NaN);
        assertThat(drops).isEqualTo(mergedDrops).containsEntry(SampleDropReason.DUPLICATE_SERIES, 1);
    }
}
