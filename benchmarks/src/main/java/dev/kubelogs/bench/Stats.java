package dev.kubelogs.bench;

import java.util.Arrays;

/** Small numeric helpers: a growable long list, percentiles and shares. */
public final class Stats {
    private Stats() {}

    /** Growable primitive list. */
    public static final class LongList {
        private long[] a = new long[1024];
        private int n;

        public void add(long v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            a[n++] = v;
        }

        public int size() {
            return n;
        }

        /** The backing array (valid up to {@link #size()}), in insertion order. */
        public long[] raw() {
            return a;
        }

        public long[] sorted() {
            long[] c = Arrays.copyOf(a, n);
            Arrays.sort(c);
            return c;
        }
    }

    /** Nearest-rank percentile of a sorted array; NaN when empty. */
    public static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    public static double max(long[] sorted) {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }

    /** {@code part} as a percentage of {@code whole}; NaN when there is no whole. */
    static double share(double part, double whole) {
        return whole > 0 ? part / whole * 100 : Double.NaN;
    }
}
