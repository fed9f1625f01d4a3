package dev.kubelogs.job.metrics.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExpositionFormatTest {
    @Test
    void openMetricsByMediaTypeWhateverItsParameters() {
        assertThat(ExpositionFormat.fromContentType("application/openmetrics-text; version=1.0.0; charset=utf-8"))
                .isEqualTo(ExpositionFormat.OPENMETRICS_1_0);
        assertThat(ExpositionFormat.fromContentType("Application/OpenMetrics-Text;version=0.0.1"))
                .isEqualTo(ExpositionFormat.OPENMETRICS_1_0);
        assertThat(ExpositionFormat.fromContentType(" application/openmetrics-text "))
                .isEqualTo(ExpositionFormat.OPENMETRICS_1_0);
    }

    @Test
    void textFormatForTextPlainMissingBlankOrUnknownAsPrometheusFallsBack() {
        assertThat(ExpositionFormat.fromContentType("text/plain; version=0.0.4; charset=utf-8"))
                .isEqualTo(ExpositionFormat.TEXT_0_0_4);
        assertThat(ExpositionFormat.fromContentType(null)).isEqualTo(ExpositionFormat.TEXT_0_0_4);
        assertThat(ExpositionFormat.fromContentType("")).isEqualTo(ExpositionFormat.TEXT_0_0_4);
        assertThat(ExpositionFormat.fromContentType("application/json")).isEqualTo(ExpositionFormat.TEXT_0_0_4);
        assertThat(ExpositionFormat.fromContentType("text/openmetrics-text")).isEqualTo(ExpositionFormat.TEXT_0_0_4);
    }
}
