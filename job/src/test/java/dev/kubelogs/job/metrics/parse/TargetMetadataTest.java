package dev.kubelogs.job.metrics.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.model.MetricType;
import org.junit.jupiter.api.Test;

/**
 * Against Prometheus 3.4.1's {@code scrape/scrape.go} {@code scrapeCache.iterDone(flushCache)}, with the agent looking
 * types up after the scrape's flush ({@code plugins/inputs/prometheus/metrics_handler.go} {@code handle} runs on the
 * batch {@code Commit} sent, which {@code scrapeAndReport} calls after {@code append} flushed).
 */
class TargetMetadataTest {
    private static final boolean OK = true;
    private static final boolean FAILED_OR_EMPTY = false;

    /** Ends {@code count} scrapes without a line for the family, each with {@code flush}. */
    private static void scrapes(TargetMetadata kept, int count, boolean flush) {
        for (int i = 0; i < count; i++) {
            kept.scrapeEnded(flush);
        }
    }

    @Test
    void aFamilyNamedAtScrapeKTypesScrapesKToKPlusTenAndNotKPlusElevenOrTwelve() {
        TargetMetadata kept = new TargetMetadata();
        kept.typed("requests", MetricType.COUNTER); // scrape k
        assertThat(kept.typeOf("requests")).isEqualTo(MetricType.COUNTER);
        kept.scrapeEnded(OK);
        scrapes(kept, 9, OK);
        assertThat(kept.typeOf("requests")).as("scrape k+10").isEqualTo(MetricType.COUNTER);
        kept.scrapeEnded(OK);
        // scrape k+11's flush (c.iter-e.lastIter = 11 > 10) deletes it before the agent looks it up
        assertThat(kept.typeOf("requests")).as("scrape k+11").isNull();
        kept.scrapeEnded(OK);
        assertThat(kept.typeOf("requests")).as("scrape k+12").isNull();
        assertThat(kept.typeOf("never_named")).isNull();
    }

    @Test
    void failedAndEmptyScrapesBetweenAreIterationsToo() {
        // since prometheus/prometheus#16174 every scrape ends with c.iter++, flushed or not
        TargetMetadata kept = new TargetMetadata();
        kept.typed("requests", MetricType.COUNTER);
        kept.scrapeEnded(OK);
        scrapes(kept, 4, FAILED_OR_EMPTY);
        scrapes(kept, 5, OK);
        assertThat(kept.typeOf("requests")).as("scrape k+10").isEqualTo(MetricType.COUNTER);
        kept.scrapeEnded(FAILED_OR_EMPTY);
        assertThat(kept.typeOf("requests")).as("scrape k+11, if it succeeds").isNull();
    }

    @Test
    void onlyAFlushDeletesSoAHelpLineAfterFailedScrapesBringsTheTypeBack() {
        // setHelp keeps the Type of the entry it finds; iterDone(false) deletes nothing
        TargetMetadata kept = new TargetMetadata();
        kept.typed("requests", MetricType.COUNTER);
        kept.scrapeEnded(OK);
        scrapes(kept, 14, FAILED_OR_EMPTY);
        assertThat(kept.typeOf("requests")).as("scrape k+15 without a line").isNull();
        kept.described("requests");
        assertThat(kept.typeOf("requests")).as("scrape k+15 with a HELP line").isEqualTo(MetricType.COUNTER);

        TargetMetadata flushed = new TargetMetadata();
        flushed.typed("requests", MetricType.COUNTER);
        flushed.scrapeEnded(OK);
        scrapes(flushed, 10, FAILED_OR_EMPTY);
        flushed.scrapeEnded(OK); // scrape k+11 flushes it
        flushed.described("requests");
        assertThat(flushed.typeOf("requests"))
                .as("a new entry is of type unknown")
                .isEqualTo(MetricType.UNTYPED);
    }

    @Test
    void aHelpLineWithinTenScrapesRenewsTheEntryAndKeepsItsType() {
        TargetMetadata kept = new TargetMetadata();
        kept.typed("requests", MetricType.COUNTER);
        scrapes(kept, TargetMetadata.KEPT_ITERATIONS, OK);
        kept.described("requests");
        kept.described("help_only");
        scrapes(kept, TargetMetadata.KEPT_ITERATIONS, OK);
        assertThat(kept.typeOf("requests")).isEqualTo(MetricType.COUNTER);
        assertThat(kept.typeOf("help_only")).isEqualTo(MetricType.UNTYPED);
        kept.typed("requests", MetricType.GAUGE);
        assertThat(kept.typeOf("requests")).isEqualTo(MetricType.GAUGE);
    }

    @Test
    void failedScrapesThatGrowTheStorePastTwiceItsFlushedSizePlusAThousandForceAFlush() {
        // iterDone: count > c.successfulCount*2+1000 sets flushCache
        TargetMetadata kept = new TargetMetadata();
        kept.typed("old", MetricType.COUNTER);
        kept.scrapeEnded(OK); // flushed with 1 entry: the bound is 1,002
        scrapes(kept, 11, FAILED_OR_EMPTY);
        kept.described("old"); // still there: no flush yet
        assertThat(kept.typeOf("old")).isEqualTo(MetricType.COUNTER);
        scrapes(kept, 11, FAILED_OR_EMPTY);
        for (int i = 0; i < 1002; i++) {
            kept.typed("family_" + i, MetricType.GAUGE);
        }
        kept.scrapeEnded(FAILED_OR_EMPTY); // 1,003 entries: forced
        kept.described("old");
        assertThat(kept.typeOf("old")).as("deleted by the forced flush").isEqualTo(MetricType.UNTYPED);
    }
}
