package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IngestTimelineTest {

    @Test
    void countsAndMaximaAreExactToTheMillisecondAcrossSeconds() {
        IngestTimeline t = new IngestTimeline();
        t.add(10_999, 500);
        t.add(11_000, 700);
        t.add(11_000, 300);
        t.add(12_500, 100);

        assertThat(t.countBetween(11_000, 12_500)).isEqualTo(2);
        assertThat(t.countBetween(10_999, 12_501)).isEqualTo(4);
        assertThat(t.countBetween(12_000, 12_000)).isZero();
        assertThat(t.maxLatencyBetween(10_999, 10_999)).isEqualTo(500);
        assertThat(t.maxLatencyBetween(11_001, 12_499)).isEqualTo(-1);
        assertThat(t.maxLatencyBetween(0, 20_000)).isEqualTo(700);
        assertThat(t.maxLatencySecondsPerWindow(10_000, 1_000, 4)).containsExactly(0.5, 0.7, 0.1, Double.NaN);
    }

    @Test
    void timeSinceTheNewestCompletionCountsEveryEventOnceAndLeavesOutThoseBeforeTheFirst() {
        IngestTimeline t = new IngestTimeline();
        t.add(900, 0); // before the first completion
        t.add(1_000, 0); // at a completion: 0
        t.add(1_250, 0);
        t.add(1_250, 0);
        t.add(2_100, 0); // after the second completion (2,000)
        t.add(5_000, 0); // outside [from, to)

        LatencyHistogram since = t.sinceNewest(new long[] {1_000, 2_000}, 0, 5_000);

        assertThat(since.count()).isEqualTo(4);
        assertThat(since.percentile(25)).isEqualTo(0);
        assertThat(since.percentile(50)).isEqualTo(100);
        assertThat(since.percentile(100)).isEqualTo(250);
    }
}
