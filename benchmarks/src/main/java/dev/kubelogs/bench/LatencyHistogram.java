package dev.kubelogs.bench;

import java.util.Arrays;

/**
 * Exact counts of millisecond values, for percentiles without keeping every value: a count per millisecond in pages of
 * {@value #PAGE} allocated when first used (so memory follows the spread of the values, not their number), and the
 * rare value below 0 or from 2^31 on kept as it is. A percentile is the nearest-rank value of all that were added, as
 * {@link Stats#percentile} gives on the sorted values.
 */
final class LatencyHistogram {
    static final int PAGE = 128;
    private static final int PAGE_BITS = 7;

    private int[][] pages = new int[0][];
    private final Stats.LongList outside = new Stats.LongList();
    private long count;

    void add(long millis) {
        count++;
        if (millis < 0 || millis > Integer.MAX_VALUE) {
            outside.add(millis);
            return;
        }
        int page = (int) (millis >>> PAGE_BITS);
        if (page >= pages.length) {
            pages = Arrays.copyOf(pages, Math.max(page + 1, pages.length * 2));
        }
        if (pages[page] == null) {
            pages[page] = new int[PAGE];
        }
        int slot = (int) (millis & (PAGE - 1));
        pages[page][slot] = Math.incrementExact(pages[page][slot]);
    }

    long count() {
        return count;
    }

    /** Nearest-rank percentile; NaN when empty. */
    double percentile(double p) {
        if (count == 0) {
            return Double.NaN;
        }
        long rank = (long) Math.ceil(p / 100.0 * count);
        return valueAt(Math.min(count, Math.max(1, rank)));
    }

    /** The largest value; NaN when empty. */
    double max() {
        return count == 0 ? Double.NaN : valueAt(count);
    }

    /** The {@code rank}-th smallest value, from 1. */
    private long valueAt(long rank) {
        long[] others = outside.sorted();
        int negatives = 0;
        while (negatives < others.length && others[negatives] < 0) {
            negatives++;
        }
        if (rank <= negatives) {
            return others[(int) rank - 1];
        }
        long seen = negatives;
        for (int page = 0; page < pages.length; page++) {
            int[] counts = pages[page];
            if (counts == null) {
                continue;
            }
            for (int i = 0; i < PAGE; i++) {
                seen += counts[i];
                if (seen >= rank) {
                    return ((long) page << PAGE_BITS) + i;
                }
            }
        }
        return others[(int) (negatives + rank - seen - 1)];
    }
}
