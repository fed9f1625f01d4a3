package dev.kubelogs.job.metrics.emf;

import java.util.List;

/**
 * The {@link EventLayout}s of recent event shapes, by shape. Two-way set-associative by the shape's hash (two
 * entries a shape may take, so shapes whose hashes share an entry rarely evict each other); a new layout takes an
 * empty one of its entries, or one whose layout was not used since a shape last missed there (so more shapes than
 * entries do not replace each other on every event), and only while the layouts kept stay within a byte budget. A
 * miss that would not be kept is told before the event is written, so its layout is not recorded in vain. Not
 * thread-safe: one per writer.
 */
final class EventLayouts {
    static final int DEFAULT_ENTRIES = 1 << 15;
    /** Some 25,000 small events' layouts (a few hundred bytes each) per writer, whatever the shapes' sizes. */
    static final long DEFAULT_MAX_RETAINED_BYTES = 16L << 20;
    /** An event this big is written in full: its layout would crowd out many small ones. */
    static final int MAX_LAYOUT_BYTES = 16 * 1024;

    private final int mask;
    private final EventLayout[] layouts;
    private final boolean[] used;
    private final long maxRetainedBytes;
    private long retainedBytes;
    private long hits;

    /** @param entries a power of two, at least 2 */
    EventLayouts(int entries, long maxRetainedBytes) {
        if (entries < 2 || Integer.bitCount(entries) != 1) {
            throw new IllegalArgumentException("entries must be a power of two of at least 2, got " + entries);
        }
        mask = entries - 2;
        layouts = new EventLayout[entries];
        used = new boolean[entries];
        this.maxRetainedBytes = maxRetainedBytes;
    }

    /** The layout of that shape, or null. */
    EventLayout get(int hash, EventLabels labels, List<MetricField> fields, List<Directive> directives) {
        int first = first(hash);
        for (int e = first; e < first + 2; e++) {
            EventLayout layout = layouts[e];
            if (layout != null && layout.matches(hash, labels, fields, directives)) {
                used[e] = true;
                hits++;
                return layout;
            }
        }
        return null;
    }

    /**
     * After a miss: whether a layout of a shape of this hash would be kept now. A layout used since the last miss
     * at its entries keeps its entry, and is marked unused, so a shape that keeps missing there takes it on its next
     * miss.
     */
    boolean admits(int hash) {
        int e = victim(first(hash));
        if (layouts[e] != null && used[e]) {
            used[e] = false;
            used[e ^ 1] = false;
            return false;
        }
        return retainedBytes - retained(layouts[e]) < maxRetainedBytes;
    }

    /** Keeps the layout (after {@link #admits} said so), in an empty entry or in place of an unused one. */
    void put(EventLayout layout) {
        int e = victim(first(layout.hash()));
        retainedBytes += layout.retainedBytes() - retained(layouts[e]);
        layouts[e] = layout;
        used[e] = false;
    }

    /** How many events were written from a layout kept here. */
    long hits() {
        return hits;
    }

    long retainedBytes() {
        return retainedBytes;
    }

    /** Of the two entries from {@code first}: an empty one, else an unused one, else the first. */
    private int victim(int first) {
        int second = first + 1;
        if (layouts[first] == null) {
            return first;
        }
        if (layouts[second] == null) {
            return second;
        }
        return used[first] && !used[second] ? second : first;
    }

    private static int retained(EventLayout layout) {
        return layout == null ? 0 : layout.retainedBytes();
    }

    /** The first of the shape's two entries: the string hashes are polynomial, so they are mixed first. */
    private int first(int hash) {
        int h = hash * 0x9E3779B9;
        return (h ^ (h >>> 15)) & mask;
    }
}
