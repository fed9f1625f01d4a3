package dev.kubelogs.job.metrics.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.model.MetricType;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class SampleDropReasonTest {

    @Test
    void idsAreDistinctLowerCaseCounterNameParts() {
        assertThat(Arrays.stream(SampleDropReason.values()).map(SampleDropReason::id))
                .doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(id).matches("[a-z_]+"));
        assertThat(SampleDropReason.DUPLICATE_SERIES.id()).isEqualTo("duplicate_series");
        assertThat(SampleDropReason.SAVED_TARGET_NOT_FOUND.id()).isEqualTo("saved_target_not_found");
    }

    @Test
    void theDroppedTypesAreNamedAsTheirTypes() {
        // dropped_<type> counters carry the type's own exposition name
        assertThat(SampleDropReason.UNTYPED.id()).isEqualTo(MetricType.UNTYPED.promMetricType());
        assertThat(SampleDropReason.INFO.id()).isEqualTo(MetricType.INFO.promMetricType());
        assertThat(SampleDropReason.STATESET.id()).isEqualTo(MetricType.STATESET.promMetricType());
        assertThat(SampleDropReason.GAUGE_HISTOGRAM.id()).isEqualTo(MetricType.GAUGE_HISTOGRAM.promMetricType());
    }

    @Test
    void everyOtherIdIsTheConstantsNameInLowerCase() {
        for (SampleDropReason r : SampleDropReason.values()) {
            if (r != SampleDropReason.GAUGE_HISTOGRAM) {
                assertThat(r.id()).isEqualTo(r.name().toLowerCase(Locale.ROOT));
            }
        }
    }
}
