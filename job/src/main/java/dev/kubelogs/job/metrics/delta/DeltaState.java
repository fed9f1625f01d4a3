package dev.kubelogs.job.metrics.delta;

import java.util.Arrays;

/**
 * The delta state of one key: per counter-like metric of the group (by {@link SeriesHashes#metricId}) the previous
 * value and its timestamp, as parallel arrays of which the first {@link #size} entries are used. One value per key
 * rather than a map entry per metric: a group's metrics arrive together, so a group costs one state read and one
 * write, and RocksDB stores the key once instead of once per metric.
 */
public final class DeltaState {
    final long[] ids;
    final double[] values;
    final long[] timestamps;
    int size;

    DeltaState(int capacity) {
        this(new long[capacity], new double[capacity], new long[capacity], 0);
    }

    DeltaState(long[] ids, double[] values, long[] timestamps, int size) {
        this.ids = ids;
        this.values = values;
        this.timestamps = timestamps;
        this.size = size;
    }

    void add(long id, double value, long timestampMs) {
        ids[size] = id;
        values[size] = value;
        timestamps[size] = timestampMs;
        size++;
    }

    /** The index of {@code id}, trying {@code hint} first (a scrape lists its samples in the same order), or -1. */
    int indexOf(long id, int hint) {
        if (hint >= 0 && hint < size && ids[hint] == id) {
            return hint;
        }
        for (int i = 0; i < size; i++) {
            if (ids[i] == id) {
                return i;
            }
        }
        return -1;
    }

    /** The newest timestamp of all entries; Long.MIN_VALUE when empty. */
    long newestTimestamp() {
        long newest = Long.MIN_VALUE;
        for (int i = 0; i < size; i++) {
            newest = Math.max(newest, timestamps[i]);
        }
        return newest;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DeltaState s) || s.size != size) {
            return false;
        }
        return Arrays.equals(ids, 0, size, s.ids, 0, size)
                && Arrays.equals(values, 0, size, s.values, 0, size)
                && Arrays.equals(timestamps, 0, size, s.timestamps, 0, size);
    }

    @Override
    public int hashCode() {
        int h = size;
        for (int i = 0; i < size; i++) {
            h = 31 * h + Long.hashCode(ids[i]);
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("DeltaState[");
        for (int i = 0; i < size; i++) {
            sb.append(i == 0 ? "" : ", ")
                    .append(Long.toHexString(ids[i]))
                    .append('=')
                    .append(values[i])
                    .append('@')
                    .append(timestamps[i]);
        }
        return sb.append(']').toString();
    }
}
