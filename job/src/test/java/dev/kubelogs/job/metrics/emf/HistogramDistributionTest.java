package dev.kubelogs.job.metrics.emf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.emf.HistogramDistribution.Outcome;
import org.junit.jupiter.api.Test;

class HistogramDistributionTest {
    private static final double INF = Double.POSITIVE_INFINITY;

    @Test
    void cumulativeDeltasBecomePerBucketCountsAtMidpoints() {
        // buckets le=0.1, 0.5, 1, +Inf gained 3, 5 (8-3), 0 (8-8), 2 (10-8); given out of order
        HistogramDistribution.Result r =
                HistogramDistribution.of(new double[] {0.5, 0.1, INF, 1}, new double[] {8, 3, 10, 8}, 4, 4.2);
        assertThat(r.outcome()).isEqualTo(Outcome.OK);
        HistogramDistribution d = r.distribution();
        assertThat(d.values()).containsExactly(0.05, 0.3, 1);
        assertThat(d.counts()).containsExactly(3, 5, 2);
        assertThat(d.count()).isEqualTo(10);
        assertThat(d.sum()).isEqualTo(4.2);
        assertThat(d.min).isEqualTo(0.05);
        assertThat(d.max).isEqualTo(1);
    }

    @Test
    void noObservationsAndContradictionsAreReported() {
        assertThat(HistogramDistribution.of(new double[] {1, INF}, new double[] {0, 0}, 2, 0)
                        .outcome())
                .isEqualTo(Outcome.NO_OBSERVATIONS);
        assertThat(HistogramDistribution.of(new double[] {1, INF}, new double[] {5, 3}, 2, 1)
                        .outcome())
                .isEqualTo(Outcome.INCONSISTENT);
        assertThat(HistogramDistribution.of(new double[] {1, 1}, new double[] {1, 1}, 2, 1)
                        .outcome())
                .isEqualTo(Outcome.INCONSISTENT);
    }

    @Test
    void firstBucketAtOrBelowZeroUsesItsBoundAndTheOnlyInfBucketTheMean() {
        HistogramDistribution d = HistogramDistribution.of(
                        new double[] {-1, 0, INF}, new double[] {1, 3, 3}, 3, Double.NaN)
                .distribution();
        assertThat(d.values()).containsExactly(-1, -0.5);
        assertThat(d.sum()).isEqualTo(-1 + 2 * -0.5);
        HistogramDistribution only = HistogramDistribution.of(new double[] {INF}, new double[] {4}, 1, 10)
                .distribution();
        assertThat(only.values()).containsExactly(2.5);
    }

    @Test
    void moreThanAHundredBucketsAreMergedToFit() {
        int n = 250;
        double[] les = new double[n];
        double[] cumulative = new double[n];
        for (int i = 0; i < n; i++) {
            les[i] = i + 1;
            cumulative[i] = i + 1;
        }
        HistogramDistribution d =
                HistogramDistribution.of(les, cumulative, n, Double.NaN).distribution();
        assertThat(d.values().length).isLessThanOrEqualTo(HistogramDistribution.MAX_VALUES);
        assertThat(d.merged).isEqualTo(n - d.values().length);
        assertThat(d.count()).isEqualTo(n);
        assertThat(d.values()).isSorted();
    }
}
