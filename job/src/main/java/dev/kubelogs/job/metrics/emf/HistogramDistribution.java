package dev.kubelogs.job.metrics.emf;

import java.util.Arrays;

/**
 * One histogram's observations of one scrape as an EMF value/count list: {@code Values} are one representative
 * value per bucket that gained observations, {@code Counts} how many it gained, plus {@code Max}, {@code Min},
 * {@code Count} and {@code Sum} — the object the agent's exporter writes for exponential histograms
 * ({@code cWMetricHistogram}), from which CloudWatch computes percentiles.
 *
 * <p>Why values/counts and not the exporter's statistic set {Min,Max,Count,Sum} for classic histograms: a Prometheus
 * histogram is a latency or size distribution whose use is its percentiles, and a statistic set carries only the
 * average (Prometheus has no min or max to put in it, so the exporter's are made up, aws-otel-collector #575, #651,
 * #918); values/counts let CloudWatch answer p50/p90/p99 to within a bucket, as {@code histogram_quantile} does, and
 * {@code Sum}/{@code Count} stay exact (the {@code _sum} and {@code _count} deltas).
 *
 * <p>The representative value of bucket (lower, le] is its midpoint; the first bucket's lower bound is 0 when its
 * {@code le} is positive (as {@code histogram_quantile} assumes), otherwise the value is its {@code le}; the
 * {@code +Inf} bucket takes the largest finite {@code le} (what {@code histogram_quantile} answers for it), or the
 * mean when it is the only bucket. {@code Min} and {@code Max} are the smallest and largest representative value.
 * EMF allows 100 values per metric: more buckets with observations are merged pairwise with their neighbours
 * (count-weighted value) until they fit.
 */
public final class HistogramDistribution {
    /** EMF's limit of values in one metric's array. */
    public static final int MAX_VALUES = 100;

    /** What {@link #of} found. */
    public enum Outcome {
        OK,
        /** No bucket gained an observation: nothing for CloudWatch to add. */
        NO_OBSERVATIONS,
        /** A bucket lost observations, or two buckets share an {@code le}: not a consistent delta. */
        INCONSISTENT
    }

    final double[] values;
    final double[] counts;
    final double min;
    final double max;
    final double count;
    final double sum;
    /** Buckets merged away to fit {@link #MAX_VALUES}. */
    final int merged;

    private HistogramDistribution(double[] values, double[] counts, double sum, int merged) {
        this.values = values;
        this.counts = counts;
        this.min = values[0];
        this.max = values[values.length - 1];
        double c = 0;
        for (double x : counts) {
            c += x;
        }
        this.count = c;
        if (Double.isNaN(sum)) {
            double s = 0;
            for (int i = 0; i < values.length; i++) {
                s += values[i] * counts[i];
            }
            sum = s;
        }
        this.sum = sum;
        this.merged = merged;
    }

    /** The result of {@link #of}: the distribution when {@link Outcome#OK}, null otherwise. */
    public record Result(Outcome outcome, HistogramDistribution distribution) {}

    /**
     * From one scrape's per-bucket deltas of the cumulative counts ({@code les[i]} the bucket's {@code le},
     * {@code cumulative[i]} the delta of its count, in any order) and the {@code _sum} delta (NaN when absent:
     * then the sum is estimated from the values).
     */
    public static Result of(double[] les, double[] cumulative, int n, double sum) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(les[a], les[b]));
        double[] values = new double[n];
        double[] counts = new double[n];
        int k = 0;
        double previousCumulative = 0;
        double total = cumulative[order[n - 1]];
        for (int r = 0; r < n; r++) {
            int i = order[r];
            if (r > 0 && les[order[r - 1]] == les[i]) {
                return new Result(Outcome.INCONSISTENT, null);
            }
            double c = cumulative[i] - previousCumulative;
            previousCumulative = cumulative[i];
            if (c < 0 || Double.isNaN(c)) {
                return new Result(Outcome.INCONSISTENT, null);
            }
            if (c == 0) {
                continue;
            }
            double le = les[i];
            double value;
            if (r == 0) {
                value = le == Double.POSITIVE_INFINITY ? (Double.isNaN(sum) ? 0 : sum / total) : le > 0 ? le / 2 : le;
            } else {
                double lower = les[order[r - 1]];
                value = le == Double.POSITIVE_INFINITY ? lower : lower / 2 + le / 2;
            }
            values[k] = value;
            counts[k++] = c;
        }
        if (k == 0) {
            return new Result(Outcome.NO_OBSERVATIONS, null);
        }
        int merged = 0;
        while (k > MAX_VALUES) {
            int m = 0;
            for (int i = 0; i < k; i += 2) {
                if (i + 1 < k) {
                    double c = counts[i] + counts[i + 1];
                    values[m] = (values[i] * counts[i] + values[i + 1] * counts[i + 1]) / c;
                    counts[m++] = c;
                } else {
                    values[m] = values[i];
                    counts[m++] = counts[i];
                }
            }
            merged += k - m;
            k = m;
        }
        return new Result(
                Outcome.OK, new HistogramDistribution(Arrays.copyOf(values, k), Arrays.copyOf(counts, k), sum, merged));
    }

    public double[] values() {
        return values.clone();
    }

    public double[] counts() {
        return counts.clone();
    }

    public double count() {
        return count;
    }

    public double sum() {
        return sum;
    }
}
