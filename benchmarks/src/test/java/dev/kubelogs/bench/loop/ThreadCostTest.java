package dev.kubelogs.bench.loop;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThreadCostTest {
    @Test
    void differencesAndSumsAreFieldByField() {
        ThreadCost start = new ThreadCost(1_000, 64);
        ThreadCost end = new ThreadCost(4_500, 1_088);
        assertThat(end.minus(start)).isEqualTo(new ThreadCost(3_500, 1_024));
        assertThat(start.plus(end)).isEqualTo(new ThreadCost(5_500, 1_152));
        assertThat(ThreadCost.ZERO.plus(start)).isEqualTo(start);
    }

    @Test
    void perUnitFiguresDivideByTheUnits() {
        ThreadCost spent = new ThreadCost(3_500, 1_024);
        assertThat(spent.cpuNanosPer(1_000)).isEqualTo(3.5);
        assertThat(spent.allocatedBytesPer(4)).isEqualTo(256.0);
    }

    @Test
    void elapsedBillsTheWorkDoneSinceTheReading() {
        ThreadCost start = ThreadCost.now();
        long[][] kept = new long[64][];
        long sum = 0;
        for (int i = 0; i < kept.length; i++) {
            kept[i] = new long[16 * 1024]; // 128 KB each
            for (int k = 0; k < kept[i].length; k++) {
                kept[i][k] = k * (long) i;
                sum += kept[i][k];
            }
        }
        ThreadCost spent = start.elapsed();
        assertThat(sum).isPositive();
        assertThat(spent.cpuNanos()).isPositive();
        assertThat(spent.allocatedBytes()).isGreaterThanOrEqualTo(64L * 16 * 1024 * Long.BYTES);
    }
}
