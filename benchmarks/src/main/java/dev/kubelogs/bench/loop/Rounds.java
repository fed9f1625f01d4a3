package dev.kubelogs.bench.loop;

import java.util.Arrays;

/** One arm's figure of each round (ns per sample, say), in round order, and what the loops print of them. */
public final class Rounds {
    private double[] values = new double[16];
    private int size;

    public void add(double value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, 2 * size);
        }
        values[size++] = value;
    }

    public int size() {
        return size;
    }

    /** The least figure; NaN with no rounds. */
    public double best() {
        return Arrays.stream(values, 0, size).min().orElse(Double.NaN);
    }

    /** The middle figure; of an even number of rounds the upper of the two middle ones. NaN with no rounds. */
    public double median() {
        if (size == 0) {
            return Double.NaN;
        }
        double[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        return sorted[size / 2];
    }

    /** The rounds after the first {@code skipped} (a warm-up). */
    public Rounds after(int skipped) {
        if (skipped < 0 || skipped > size) {
            throw new IllegalArgumentException("cannot skip " + skipped + " of " + size + " rounds");
        }
        Rounds rest = new Rounds();
        for (int i = skipped; i < size; i++) {
            rest.add(values[i]);
        }
        return rest;
    }
}
