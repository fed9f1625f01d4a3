package dev.kubelogs.job.metrics.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScrapeScheduleTest {

    @Test
    void theNextScrapeIsAfterNowWithinOneIntervalOnTheTargetsOwnGrid() {
        long interval = 60_000;
        long now = 1_700_000_012_345L;
        long next = ScrapeSchedule.nextScrapeMs("job{instance=\"a\"}", interval, now);

        assertThat(next).isGreaterThan(now).isLessThanOrEqualTo(now + interval);
        assertThat(ScrapeSchedule.nextScrapeMs("job{instance=\"a\"}", interval, next))
                .isEqualTo(next + interval);
        assertThat(ScrapeSchedule.nextScrapeMs("job{instance=\"a\"}", interval, next - 1))
                .isEqualTo(next);
    }

    @Test
    void targetsAreSpreadOverTheInterval() {
        long interval = 60_000;
        Set<Long> offsets = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            offsets.add(ScrapeSchedule.nextScrapeMs("job{instance=\"10.0.0." + i + ":9100\"}", interval, 0) / 6_000);
        }
        assertThat(offsets)
                .as("100 targets fall into most of the ten 6-second slices")
                .hasSizeGreaterThan(7);
    }
}
