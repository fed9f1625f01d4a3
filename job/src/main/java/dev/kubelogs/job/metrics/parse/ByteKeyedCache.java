package dev.kubelogs.job.metrics.parse;

import java.util.Arrays;

/**
 * A direct-mapped cache from a byte range to a value built from it: a scrape repeats the same metric names, and a
 * target's next scrape repeats the same label sets, so the parser builds each String or label set once and later
 * sees the same instance. One slot per hash; a collision replaces the slot, so memory stays bounded.
 */
final class ByteKeyedCache<V> {
    private final byte[][] keys;
    private final Object[] values;
    private final int mask;

    ByteKeyedCache(int slotsPowerOfTwo) {
        if (Integer.bitCount(slotsPowerOfTwo) != 1) {
            throw new IllegalArgumentException("slots must be a power of two: " + slotsPowerOfTwo);
        }
        keys = new byte[slotsPowerOfTwo][];
        values = new Object[slotsPowerOfTwo];
        mask = slotsPowerOfTwo - 1;
    }

    static int hash(byte[] b, int from, int to) {
        int h = 1;
        for (int i = from; i < to; i++) {
            h = 31 * h + b[i];
        }
        return h ^ (h >>> 16);
    }

    /** The value cached for {@code b[from, to)} with this hash, or null. */
    @SuppressWarnings("unchecked")
    V get(int hash, byte[] b, int from, int to) {
        int slot = hash & mask;
        byte[] key = keys[slot];
        if (key != null && Arrays.equals(key, 0, key.length, b, from, to)) {
            return (V) values[slot];
        }
        return null;
    }

    void put(int hash, byte[] b, int from, int to, V value) {
        int slot = hash & mask;
        keys[slot] = Arrays.copyOfRange(b, from, to);
        values[slot] = value;
    }
}
