package dev.kubelogs.job.metrics.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.model.MetricType;
import org.junit.jupiter.api.Test;

class TargetMetadataTest {
    @Test
    void anEntryIsSeenByTheScrapeThatNamedItAndTheNextTen() {
        TargetMetadata kept = new TargetMetadata();
        kept.typed("requests", MetricType.COUNTER);
        assertThat(kept.typeOf("requests")).isEqualTo(MetricType.COUNTER);
        kept.scrapeEnded();
        for (int scrape = 1; scrape <= TargetMetadata.KEPT_ITERATIONS; scrape++) {
            assertThat(kept.typeOf("requests"))
                    .as("scrape %d without the line", scrape)
                    .isEqualTo(MetricType.COUNTER);
            kept.scrapeEnded();
        }
        assertThat(kept.typeOf("requests")).isNull();
        assertThat(kept.typeOf("never_named")).isNull();
    }

    @Test
    void aLineRenewsTheEntryAndHelpKeepsItsType() {
        TargetMetadata kept = new TargetMetadata();
        kept.typed("requests", MetricType.COUNTER);
        for (int scrape = 0; scrape < TargetMetadata.KEPT_ITERATIONS; scrape++) {
            kept.scrapeEnded();
        }
        kept.described("requests");
        kept.described("help_only");
        for (int scrape = 0; scrape < TargetMetadata.KEPT_ITERATIONS; scrape++) {
            kept.scrapeEnded();
        }
        assertThat(kept.typeOf("requests")).isEqualTo(MetricType.COUNTER);
        assertThat(kept.typeOf("help_only")).isEqualTo(MetricType.UNTYPED);
        kept.typed("requests", MetricType.GAUGE);
        assertThat(kept.typeOf("requests")).isEqualTo(MetricType.GAUGE);
    }
}
