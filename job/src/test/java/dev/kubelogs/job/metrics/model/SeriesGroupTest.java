package dev.kubelogs.job.metrics.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.java.tuple.Tuple2;
import org.junit.jupiter.api.Test;

class SeriesGroupTest {
    private static SeriesGroup histogram() {
        return new SeriesGroup(
                "node-exporter",
                Labels.of("instance", "10.0.0.1:9100"),
                MetricType.HISTOGRAM,
                1_000L,
                new String[] {"latency_bucket", "latency_bucket", "latency_sum", "latency_count"},
                new double[] {1, 3, 4.5, 3},
                new double[] {0.5, Double.POSITIVE_INFINITY, Double.NaN, Double.NaN});
    }

    @Test
    void everySampleHasTheGroupsTimeUnlessItHasItsOwn() {
        SeriesGroup g = histogram();
        assertThat(g.size()).isEqualTo(4);
        assertThat(g.timestampOf(0)).isEqualTo(1_000L);
        assertThat(g.timestampOf(3)).isEqualTo(1_000L);

        g.sampleTimestamps = new long[] {900, 950, 1_000, 990};
        assertThat(g.timestampOf(0)).isEqualTo(900L);
        assertThat(g.timestampOf(3)).isEqualTo(990L);
    }

    @Test
    void equalGroupsCompareTheirArraysByContent() {
        SeriesGroup a = histogram();
        SeriesGroup b = histogram();
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        // NaN upper bounds of _sum and _count compare equal, as Arrays.equals does
        assertThat(a.upperBounds).isNotSameAs(b.upperBounds);
    }

    @Test
    void theSeriesKeyIsNotPartOfEquality() {
        SeriesGroup a = histogram();
        SeriesGroup b = histogram();
        a.seriesKey = Tuple2.of(1L, 2L);
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    }

    @Test
    void everyOtherFieldIsPartOfEquality() {
        SeriesGroup base = histogram();
        SeriesGroup g;

        g = histogram();
        g.logStream = "other";
        assertThat(g).isNotEqualTo(base);
        g = histogram();
        g.labels = Labels.of("instance", "10.0.0.2:9100");
        assertThat(g).isNotEqualTo(base);
        g = histogram();
        g.type = MetricType.GAUGE_HISTOGRAM;
        assertThat(g).isNotEqualTo(base);
        g = histogram();
        g.timestampMs = 1_001L;
        assertThat(g).isNotEqualTo(base);
        g = histogram();
        g.names = new String[] {"latency_bucket", "latency_bucket", "latency_sum", "other_count"};
        assertThat(g).isNotEqualTo(base);
        g = histogram();
        g.values = new double[] {1, 3, 4.5, 4};
        assertThat(g).isNotEqualTo(base);
        g = histogram();
        g.upperBounds = new double[] {1, Double.POSITIVE_INFINITY, Double.NaN, Double.NaN};
        assertThat(g).isNotEqualTo(base);
        g = histogram();
        g.sampleTimestamps = new long[] {1_000, 1_000, 1_000, 1_000};
        assertThat(g).as("per-sample times, even equal to the group's").isNotEqualTo(base);
        assertThat(base).isNotEqualTo(null).isNotEqualTo("node-exporter");
    }

    @Test
    void aGroupOfAnotherTypeHasNoUpperBounds() {
        SeriesGroup counter = new SeriesGroup(
                "job", Labels.EMPTY, MetricType.COUNTER, 5L, new String[] {"requests_total"}, new double[] {7}, null);
        SeriesGroup same = new SeriesGroup(
                "job", Labels.EMPTY, MetricType.COUNTER, 5L, new String[] {"requests_total"}, new double[] {7}, null);
        assertThat(counter).isEqualTo(same).hasSameHashCodeAs(same);
        assertThat(counter).isNotEqualTo(histogram());
    }

    @Test
    void toStringShowsStreamTypeTimeNamesAndValues() {
        assertThat(histogram().toString())
                .startsWith("node-exporter histogram")
                .contains("10.0.0.1:9100")
                .contains("@1000")
                .contains("[latency_bucket, latency_bucket, latency_sum, latency_count]=[1.0, 3.0, 4.5, 3.0]");
    }
}
