package dev.kubelogs.bench;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * How often each generated record ({@code node}, {@code source}, {@code seq}) was seen: one byte per record, in chunks
 * allocated as the sequence numbers reach them (a run's records are not known until it ended), and the exact count of
 * the rare record seen more than {@value Byte#MAX_VALUE} times beside them. A sequence number from {@code bound[node][source]}
 * on is not taken: it cannot be a record the run wrote, and it must not make the ledger allocate for it.
 */
final class SeenRecords {
    private static final int CHUNK_BITS = 16;
    private static final int CHUNK = 1 << CHUNK_BITS;

    private final long[][] bound;
    private final byte[][][][] chunks;
    private final Map<Long, Long> beyondByte = new HashMap<>();

    SeenRecords(long[][] bound) {
        this.bound = bound;
        chunks = new byte[bound.length][][][];
        for (int n = 0; n < bound.length; n++) {
            chunks[n] = new byte[bound[n].length][0][];
        }
    }

    /** Counts a sighting; false (nothing counted) when the record is outside the bounds. */
    boolean see(int node, int source, long seq) {
        if (node < 0
                || node >= bound.length
                || source < 0
                || source >= bound[node].length
                || seq < 0
                || seq >= bound[node][source]) {
            return false;
        }
        int c = (int) (seq >>> CHUNK_BITS);
        byte[][] mine = chunks[node][source];
        if (c >= mine.length) {
            mine = chunks[node][source] = Arrays.copyOf(mine, Math.max(c + 1, mine.length * 2));
        }
        if (mine[c] == null) {
            mine[c] = new byte[CHUNK];
        }
        int i = (int) (seq & (CHUNK - 1));
        if (mine[c][i] < Byte.MAX_VALUE) {
            mine[c][i]++;
        } else {
            beyondByte.merge(key(node, source, seq), 1L, Long::sum);
        }
        return true;
    }

    /** How often the record was seen. */
    long count(int node, int source, long seq) {
        byte[][] mine = chunks[node][source];
        int c = (int) (seq >>> CHUNK_BITS);
        if (c >= mine.length || mine[c] == null) {
            return 0;
        }
        byte b = mine[c][(int) (seq & (CHUNK - 1))];
        return b < Byte.MAX_VALUE ? b : b + beyondByte.getOrDefault(key(node, source, seq), 0L);
    }

    /** One past the highest sequence number a chunk holds for (node, source): where a walk over them can stop. */
    long extent(int node, int source) {
        return (long) chunks[node][source].length << CHUNK_BITS;
    }

    int nodes() {
        return bound.length;
    }

    int sources(int node) {
        return bound[node].length;
    }

    private static Long key(int node, int source, long seq) {
        return ((long) node << 48) | ((long) source << 40) | seq;
    }
}
