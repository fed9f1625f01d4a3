package dev.kubelogs.job.metrics.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.model.MetricType;
import org.junit.jupiter.api.Test;

class FamilyTypesTest {
    @Test
    void suffixesOfEachTypeBelongToTheFamily() {
        FamilyTypes text = new FamilyTypes(false, new TargetMetadata());
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
        assertThat(text.familyOf("h_gsum")).isEqualTo("h_gsum");
        assertThat(text.typeOf("c_created")).as("_created only in OpenMetrics").isEqualTo(MetricType.UNTYPED);
    }

    @Test
    void openMetricsSuffixes() {
        FamilyTypes om = new FamilyTypes(true, new TargetMetadata());
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
        assertThat(om.familyOf("i_info")).isEqualTo("i");
        assertThat(om.typeOf("i_info")).isEqualTo(MetricType.INFO);
    }

    @Test
    void aTypeLineTypesTheWholeScrapeAndTheLastOneWins() {
        // metrics_type_handler.go looks the type up after the scrape, in the store scrapeCache.setType filled
        FamilyTypes types = new FamilyTypes(false, new TargetMetadata());
        types.declare("x", MetricType.GAUGE);
        types.declare("x", MetricType.COUNTER);
        assertThat(types.typeOf("x")).isEqualTo(MetricType.COUNTER);
    }

    @Test
    void aFamilyStaysDeclaredAfterAnotherFamilysTypeLine() {
        FamilyTypes types = new FamilyTypes(false, new TargetMetadata());
        types.declare("a", MetricType.COUNTER);
        types.declare("b", MetricType.GAUGE);
        assertThat(types.typeOf("a")).isEqualTo(MetricType.COUNTER);
        assertThat(types.typeOf("b")).isEqualTo(MetricType.GAUGE);
    }

    @Test
    void theAgentStripsASuffixWhateverTheFamilysType() {
        // normalizeMetricName: _count/_sum/_bucket first, then the whole name, or the name without _total
        FamilyTypes types = new FamilyTypes(false, new TargetMetadata());
        types.declare("requests", MetricType.COUNTER);
        types.declare("temperature", MetricType.GAUGE);
        types.declare("latency", MetricType.SUMMARY);
        types.declare("queue_sum", MetricType.GAUGE);
        assertThat(types.typeOf("requests_count")).isEqualTo(MetricType.COUNTER);
        assertThat(types.familyOf("requests_count")).isEqualTo("requests");
        assertThat(types.typeOf("temperature_total")).isEqualTo(MetricType.GAUGE);
        assertThat(types.typeOf("latency_bucket")).isEqualTo(MetricType.SUMMARY);
        assertThat(types.typeOf("queue_sum"))
                .as("the whole name, after the stripped one")
                .isEqualTo(MetricType.GAUGE);
        assertThat(types.familyOf("queue_sum")).isEqualTo("queue_sum");
        assertThat(types.typeOf("latency_sum_total"))
                .as("_total is tried only when no other suffix was")
                .isEqualTo(MetricType.UNTYPED);
        assertThat(types.typeOf("_count")).isEqualTo(MetricType.UNTYPED);
    }

    @Test
    void aNameWithOnlyHelpOrUnitIsFoundAsUnknownAndUntyped() {
        // setHelp/setUnit make an entry of type unknown; the agent stops at the first entry it finds
        FamilyTypes types = new FamilyTypes(true, new TargetMetadata());
        types.describe("a_total");
        types.declare("a", MetricType.COUNTER);
        types.describe("b");
        types.declare("b", MetricType.GAUGE);
        types.describe("b");
        assertThat(types.typeOf("a_total")).isEqualTo(MetricType.UNTYPED);
        assertThat(types.familyOf("a_total")).isEqualTo("a_total");
        assertThat(types.typeOf("b"))
                .as("a HELP line after the TYPE line keeps the type")
                .isEqualTo(MetricType.GAUGE);
    }

    @Test
    void aHelpLineForANameFailedScrapesLeftInTheStoreTypesItByTheStoredType() {
        // scrape.go setHelp keeps the Type of the entry it finds, and only a successful scrape's iterDone deletes
        TargetMetadata kept = new TargetMetadata();
        new FamilyTypes(false, kept).declare("req", MetricType.COUNTER);
        kept.scrapeEnded(true);
        for (int scrape = 1; scrape <= 11; scrape++) {
            kept.scrapeEnded(false);
        }
        FamilyTypes withoutLine = new FamilyTypes(false, kept);
        assertThat(withoutLine.typeOf("req_total")).isEqualTo(MetricType.UNTYPED);
        FamilyTypes withHelp = new FamilyTypes(false, kept);
        withHelp.describe("req");
        assertThat(withHelp.typeOf("req_total")).isEqualTo(MetricType.COUNTER);
        assertThat(withHelp.familyOf("req_total")).isEqualTo("req");
    }
}
