package dev.kubelogs.job.metrics.model;

import java.util.Arrays;

/**
 * The table of strings a {@link SeriesBatchSerializer} record writes: each distinct string gets the next index the
 * first time it is added. One instance per writing thread is reused for every record ({@link #clear} starts the next
 * record's table by a new generation, without touching the slots), so a record costs no map, nodes or boxed indices:
 * a scrape's batch adds hundreds of strings and looks up thousands.
 *
 * <p>Open addressing with linear probing on the string's hash (which {@code String} caches); a string is found by
 * identity first (the parser hands out one instance per label set's strings), then by {@code equals}. Not
 * thread-safe.
 */
final class StringTable {
    static final int INITIAL_SLOTS = 1024;
    /** A table grown past this for one large record is not kept for the next. */
    static final int MAX_KEPT_SLOTS = 1 << 16;

    private String[] keys;
    private int[] indices;
    private int[] generations;
    private int generation = 1;
    private int size;

    StringTable() {
        allocate(INITIAL_SLOTS);
    }

    /** Starts an empty table for the next record. */
    void clear() {
        if (keys.length > MAX_KEPT_SLOTS) {
            allocate(INITIAL_SLOTS);
        } else if (++generation == 0) {
            // after 2^32 records: forget every slot once rather than mistake an old one for this record's
            Arrays.fill(generations, 0);
            generation = 1;
        }
        size = 0;
    }

    int size() {
        return size;
    }

    /** The index of {@code s} in this record's table, or -1 when it was not there; it is then added as the next. */
    int indexOrAdd(String s) {
        int mask = keys.length - 1;
        int slot = spread(s.hashCode()) & mask;
        while (generations[slot] == generation) {
            String key = keys[slot];
            if (key == s || key.equals(s)) {
                return indices[slot];
            }
            slot = (slot + 1) & mask;
        }
        keys[slot] = s;
        indices[slot] = size++;
        generations[slot] = generation;
        if (size * 2 > keys.length) {
            grow();
        }
        return -1;
    }

    private static int spread(int h) {
        return (h ^ (h >>> 16)) * 0x9E3779B9;
    }

    private void grow() {
        String[] oldKeys = keys;
        int[] oldIndices = indices;
        int[] oldGenerations = generations;
        int current = generation;
        allocate(oldKeys.length * 2);
        int mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldGenerations[i] != current) {
                continue;
            }
            int slot = spread(oldKeys[i].hashCode()) & mask;
            while (generations[slot] == generation) {
                slot = (slot + 1) & mask;
            }
            keys[slot] = oldKeys[i];
            indices[slot] = oldIndices[i];
            generations[slot] = generation;
        }
    }

    private void allocate(int slots) {
        keys = new String[slots];
        indices = new int[slots];
        generations = new int[slots];
        generation = 1;
    }
}
