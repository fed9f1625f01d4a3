package dev.kubelogs.job.metrics.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetricTypeTest {

    @Test
    void eachTypeLineNameIsItsType() {
        assertThat(MetricType.fromExposition("counter")).isEqualTo(MetricType.COUNTER);
        assertThat(MetricType.fromExposition("gauge")).isEqualTo(MetricType.GAUGE);
        assertThat(MetricType.fromExposition("summary")).isEqualTo(MetricType.SUMMARY);
        assertThat(MetricType.fromExposition("histogram")).isEqualTo(MetricType.HISTOGRAM);
        assertThat(MetricType.fromExposition("gaugehistogram")).isEqualTo(MetricType.GAUGE_HISTOGRAM);
        assertThat(MetricType.fromExposition("info")).isEqualTo(MetricType.INFO);
        assertThat(MetricType.fromExposition("stateset")).isEqualTo(MetricType.STATESET);
        assertThat(MetricType.fromExposition("untyped")).isEqualTo(MetricType.UNTYPED);
    }

    @Test
    void anUnknownOrDifferentlySpelledNameIsUntyped() {
        // the formats spell the types in lower case; anything else is not a type
        assertThat(MetricType.fromExposition("unknown")).isEqualTo(MetricType.UNTYPED);
        assertThat(MetricType.fromExposition("Counter")).isEqualTo(MetricType.UNTYPED);
        assertThat(MetricType.fromExposition("gauge_histogram")).isEqualTo(MetricType.UNTYPED);
        assertThat(MetricType.fromExposition("")).isEqualTo(MetricType.UNTYPED);
    }

    @Test
    void theEventFieldValueIsTheExpositionsSpellingAndReadsBackAsTheType() {
        assertThat(MetricType.GAUGE_HISTOGRAM.promMetricType()).isEqualTo("gaugehistogram");
        assertThat(MetricType.UNTYPED.promMetricType()).isEqualTo("untyped");
        for (MetricType t : MetricType.values()) {
            assertThat(MetricType.fromExposition(t.promMetricType())).isEqualTo(t);
        }
    }
}
