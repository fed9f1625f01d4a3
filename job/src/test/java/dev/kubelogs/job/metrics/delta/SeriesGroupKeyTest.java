package dev.kubelogs.job.metrics.delta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.MetricType;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import org.apache.flink.api.java.tuple.Tuple2;
import org.junit.jupiter.api.Test;

class SeriesGroupKeyTest {
    static final Labels LABELS = Labels.of("job", "kubernetes-pod-jmx", "instance", "10.0.1.2:9404", "area", "heap");

    private static Tuple2<Long, Long> key(String stream, Labels labels, MetricType type, long ts, String... names) {
        return new SeriesGroupKey()
                .getKey(new SeriesGroup(stream, labels, type, ts, names, new double[names.length], null));
    }

    @Test
    void theKeyIsTheStreamLabelsAndTypeNotTheTimeOrTheSamples() {
        Tuple2<Long, Long> key = key("jmx", LABELS, MetricType.COUNTER, 1L, "a_total");
        assertThat(key("jmx", LABELS, MetricType.COUNTER, 2L, "b_total", "c_total"))
                .isEqualTo(key);
        assertThat(key("other", LABELS, MetricType.COUNTER, 1L, "a_total")).isNotEqualTo(key);
        assertThat(key("jmx", LABELS.with("area", "nonheap"), MetricType.COUNTER, 1L, "a_total"))
                .isNotEqualTo(key);
        assertThat(key("jmx", LABELS, MetricType.SUMMARY, 1L, "a_total")).isNotEqualTo(key);
    }

    @Test
    void labelBoundariesAreNotBlurred() {
        Tuple2<Long, Long> key = key("s", Labels.of("ab", "c"), MetricType.GAUGE, 1L);
        assertThat(key("s", Labels.of("a", "bc"), MetricType.GAUGE, 1L)).isNotEqualTo(key);
        assertThat(key("sa", Labels.of("b", "c"), MetricType.GAUGE, 1L))
                .isNotEqualTo(key("s", Labels.of("ab", "c"), MetricType.GAUGE, 1L));
    }

    /** Keys are in savepoints: the hash of a known series must never change. */
    @Test
    void theHashOfAKnownSeriesIsPinned() {
        assertThat(key("jmx", LABELS, MetricType.COUNTER, 1L)).isEqualTo(Tuple2.of(PINNED_HIGH, PINNED_LOW));
        assertThat(SeriesHashes.metricId("latency_seconds_bucket", 0.5)).isEqualTo(PINNED_METRIC_ID);
    }

    @Test
    void theKeyIsComputedOnceAndCarriedInTheGroup() {
        SeriesGroup group = new SeriesGroup("jmx", LABELS, MetricType.COUNTER, 1L, new String[0], new double[0], null);
        Tuple2<Long, Long> key = new SeriesGroupKey().getKey(group);
        assertThat(group.seriesKey).isSameAs(key).isEqualTo(Tuple2.of(PINNED_HIGH, PINNED_LOW));
        // a carried key (what the serializer hands the keyed operator) is taken as it is, not hashed again
        group.seriesKey = Tuple2.of(1L, 2L);
        assertThat(new SeriesGroupKey().getKey(group)).isEqualTo(Tuple2.of(1L, 2L));
    }

    static final long PINNED_HIGH = -4242033324188828602L;
    static final long PINNED_LOW = -4711189640064537970L;
    static final long PINNED_METRIC_ID = -8813131184804490249L;
}
