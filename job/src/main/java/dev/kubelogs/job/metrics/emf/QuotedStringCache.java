package dev.kubelogs.job.metrics.emf;

/**
 * The quoted, escaped JSON form ({@link GoJsonBytes#writeString}) of recently written strings, so a string written
 * again is copied as bytes rather than escaped char by char. An event's keys and many of its values repeat from
 * event to event (label names, a target's label values, metric names).
 *
 * <p>Direct-mapped by the string's hash (which {@code String} caches), checked by {@code equals}, so a hit is the
 * same string and its bytes are what escaping it writes; a collision replaces the entry. Strings longer than
 * {@link #MAX_CACHED_CHARS} are escaped each time and not kept. Not thread-safe: one per writer.
 */
final class QuotedStringCache {
    static final int MAX_CACHED_CHARS = 256;

    private final int mask;
    private final String[] strings;
    private final byte[][] quoted;

    /** @param entries a power of two */
    QuotedStringCache(int entries) {
        if (entries <= 0 || Integer.bitCount(entries) != 1) {
            throw new IllegalArgumentException("entries must be a power of two, got " + entries);
        }
        mask = entries - 1;
        strings = new String[entries];
        quoted = new byte[entries][];
    }

    /** Writes {@code s} in quotes, escaped, to {@code out}: the bytes {@link GoJsonBytes#writeString} writes. */
    void write(String s, GoJsonBytes out) {
        if (s.length() > MAX_CACHED_CHARS) {
            out.writeString(s);
            return;
        }
        int h = s.hashCode();
        int slot = (h ^ (h >>> 16)) & mask;
        String cached = strings[slot];
        if (cached == s || s.equals(cached)) {
            out.writeAscii(quoted[slot]);
            return;
        }
        int start = out.size();
        out.writeString(s);
        strings[slot] = s;
        quoted[slot] = out.copyOfRange(start);
    }
}
