package dev.kubelogs.job.metrics.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.model.MetricType;
import org.junit.jupiter.api.Test;

class TargetMetadataTest {
    @Test
    void anEntryOutlivesItsLineByTenSuccessfulScrapes() {
        TargetMetadata kept = new TargetMetadata();
        kept.typed("requests", MetricType.COUNTER);
        kept.scrapeSucceeded();
        for (int scrape = 1; scrape <= TargetMetadata.KEPT_ITERATIONS; scrape++) {
            assertThat(kept.typeOf("requests"))
                    .as("scrape %d without the line", scrape)
                    .isEqualTo(MetricType.COUNTER);
            kept.scrapeSucceeded();
        }
        assertThat(kept.typeOf("requests")).isNull();
    }

    @Test
    void onlySuccessfulScrapesCount() {
        TargetMetadata kept = new TargetMetadata();
        kept.typed("requests", MetricType.COUNTER);
        for (int scrape = 0; scrape < TargetMetadata.KEPT_ITERATIONS; scrape++) {
            kept.scrapeSucceeded();
        }
        // any number of failed scrapes (nothing called) leaves the entry as it was
        assertThat(kept.typeOf("requests")).isEqualTo(MetricType.COUNTER);
        kept.scrapeSucceeded();
        assertThat(kept.typeOf("requests")).isNull();
    }

    @Test
    void aLineRenewsTheEntryAndHelpKeepsItsType() {
        TargetMetadata kept = new TargetMetadata();
        kept.typed("requests", MetricType.COUNTER);
        for (int scrape = 0; scrape < TargetMetadata.KEPT_ITERATIONS; scrape++) {
            kept.scrapeSucceeded();
        }
        kept.described("requests");
        kept.described("help_only");
        kept.scrapeSucceeded();
        assertThat(kept.typeOf("requests")).isEqualTo(MetricType.COUNTER);
        assertThat(kept.typeOf("help_only")).isEqualTo(MetricType.UNTYPED);
        kept.typed("requests", MetricType.GAUGE);
        assertThat(kept.typeOf("requests")).isEqualTo(MetricType.GAUGE);
    }
}
