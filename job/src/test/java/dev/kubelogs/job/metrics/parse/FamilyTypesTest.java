package dev.kubelogs.job.metrics.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.model.MetricType;
import org.junit.jupiter.api.Test;

class FamilyTypesTest {
    @Test
    void suffixesOfEachTypeBelongToTheFamily() {
        FamilyTypes text = new FamilyTypes(false);
        text.declare("h", MetricType.HISTOGRAM);
        text.declare("s", MetricType.SUMMARY);
        text.declare("c", MetricType.COUNTER);
        text.declare("c2_total", MetricType.COUNTER);
        for (String name : new String[] {"h", "h_bucket", "h_sum", "h_count"}) {
            assertThat(text.familyOf(name)).isEqualTo("h");
            assertThat(text.typeOf(name)).isEqualTo(MetricType.HISTOGRAM);
        }
        assertThat(text.typeOf("s_sum")).isEqualTo(MetricType.SUMMARY);
        assertThat(text.familyOf("s_count")).isEqualTo("s");
        assertThat(text.familyOf("c_total")).isEqualTo("c");
        assertThat(text.familyOf("c2_total")).isEqualTo("c2_total");
        assertThat(text.typeOf("h_gsum")).isEqualTo(MetricType.UNTYPED);
        assertThat(text.typeOf("s_bucket")).isEqualTo(MetricType.UNTYPED);
        assertThat(text.familyOf("s_bucket")).isEqualTo("s_bucket");
        assertThat(text.typeOf("c_created")).as("_created only in OpenMetrics").isEqualTo(MetricType.UNTYPED);
    }

    @Test
    void openMetricsSuffixes() {
        FamilyTypes om = new FamilyTypes(true);
        om.declare("c", MetricType.COUNTER);
        om.declare("g", MetricType.GAUGE_HISTOGRAM);
        om.declare("i", MetricType.INFO);
        om.declare("h", MetricType.HISTOGRAM);
        assertThat(om.familyOf("c_total")).isEqualTo("c");
        assertThat(om.familyOf("c_created")).isEqualTo("c");
        assertThat(om.familyOf("h_created")).isEqualTo("h");
        assertThat(om.typeOf("g_gsum")).isEqualTo(MetricType.GAUGE_HISTOGRAM);
        assertThat(om.typeOf("g_gcount")).isEqualTo(MetricType.GAUGE_HISTOGRAM);
        assertThat(om.typeOf("g_bucket")).isEqualTo(MetricType.GAUGE_HISTOGRAM);
        assertThat(om.typeOf("g_sum")).isEqualTo(MetricType.UNTYPED);
        assertThat(om.familyOf("i_info")).isEqualTo("i");
        assertThat(om.typeOf("i_info")).isEqualTo(MetricType.INFO);
    }

    @Test
    void aTypeLineTypesOnlyTheSamplesAfterItAndTheLatestWins() {
        FamilyTypes types = new FamilyTypes(false);
        assertThat(types.typeOf("x")).isEqualTo(MetricType.UNTYPED);
        types.declare("x", MetricType.GAUGE);
        assertThat(types.typeOf("x")).isEqualTo(MetricType.GAUGE);
        types.declare("x", MetricType.COUNTER);
        assertThat(types.typeOf("x")).isEqualTo(MetricType.COUNTER);
    }

    @Test
    void aFamilyStaysDeclaredAfterAnotherFamilysTypeLine() {
        FamilyTypes types = new FamilyTypes(false);
        types.declare("a", MetricType.COUNTER);
        types.declare("b", MetricType.GAUGE);
        assertThat(types.typeOf("a")).isEqualTo(MetricType.COUNTER);
        assertThat(types.typeOf("b")).isEqualTo(MetricType.GAUGE);
    }
}
