package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void percentilesAreTheNearestRankValuesOfTheSortedValues() {
        SplittableRandom random = new SplittableRandom(16);
        LatencyHistogram h = new LatencyHistogram();
        Stats.LongList all = new Stats.LongList();
        for (int i = 0; i < 20_000; i++) {
            // mostly a few seconds, some negative (clocks), some past 2^31 ms
            long v = random.nextInt(100) == 0
                    ? (random.nextBoolean() ? -random.nextLong(5_000) : (1L << 31) + random.nextLong(1_000))
                    : random.nextLong(12_000);
            h.add(v);
            all.add(v);
        }
        long[] sorted = all.sorted();
        for (double p : new double[] {0, 0.5, 1, 25, 50, 95, 99, 99.9, 100}) {
            assertThat(h.percentile(p)).as("p%s", p).isEqualTo(Stats.percentile(sorted, p));
        }
        assertThat(h.max()).isEqualTo(Stats.max(sorted));
        assertThat(h.count()).isEqualTo(20_000);
    }

    @Test
    void anEmptyHistogramHasNoPercentiles() {
        LatencyHistogram h = new LatencyHistogram();

        assertThat(h.percentile(50)).isNaN();
        assertThat(h.max()).isNaN();
    }
}
