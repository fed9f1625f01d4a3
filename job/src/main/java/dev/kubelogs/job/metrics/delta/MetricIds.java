package dev.kubelogs.job.metrics.delta;

/**
 * {@link SeriesHashes#metricId} remembered for the names and bounds seen lately: every group of a metric family
 * carries the same few names (and a histogram the same bucket bounds), so most lookups are a string comparison
 * instead of a hash. Direct-mapped: a new (name, bound) takes its slot from the one there. One per operator
 * instance; not thread-safe; not state (the ids themselves are what the state holds).
 */
final class MetricIds {
    private static final int SLOTS = 1024;

    private final String[] names = new String[SLOTS];
    private final long[] boundBits = new long[SLOTS];
    private final long[] ids = new long[SLOTS];

    long of(String name, double upperBound) {
        if (name == null) {
            return SeriesHashes.metricId(null, upperBound);
        }
        // the bits SeriesHashes hashes: equal bits, equal id
        long bits = Double.doubleToLongBits(upperBound);
        int h = name.hashCode() * 31 + Long.hashCode(bits);
        int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
        String cached = names[slot];
        if (cached != null && boundBits[slot] == bits && cached.equals(name)) {
            return ids[slot];
        }
        long id = SeriesHashes.metricId(name, upperBound);
        names[slot] = name;
        boundBits[slot] = bits;
        ids[slot] = id;
        return id;
    }
}
