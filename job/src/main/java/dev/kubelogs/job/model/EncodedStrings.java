package dev.kubelogs.job.model;

import dev.kubelogs.job.sink.cloudwatch.wire.Utf8;

/**
 * The UTF-8 form of recently written strings, so a string written again is copied rather than encoded again. An
 * event's log group and log stream repeat from event to event: the metrics branch writes one log group and a few
 * streams per target, and encoding them was a visible part of serializing its events for the sink (issue 14).
 *
 * <p>Direct-mapped by the string's hash (which {@code String} caches), checked by {@code equals}, so a hit is the
 * bytes that string encodes to; a collision replaces the entry. Strings longer than {@link #MAX_CACHED_CHARS}, and
 * those with unpaired surrogates (which UTF-8 cannot carry), are not kept. Shared by every thread of a process: an
 * entry is immutable and replaced whole, so a reader sees one entry or another, never a torn one.
 */
final class EncodedStrings {
    static final int MAX_CACHED_CHARS = 256;

    private final int mask;
    private final Entry[] entries;

    /** @param entries a power of two */
    EncodedStrings(int entries) {
        if (entries <= 0 || Integer.bitCount(entries) != 1) {
            throw new IllegalArgumentException("entries must be a power of two, got " + entries);
        }
        mask = entries - 1;
        this.entries = new Entry[entries];
    }

    /**
     * The string's UTF-8 bytes ({@link Utf8#encodeIfWellFormed}), null when it is not well-formed. The array may
     * be the one an earlier call returned: callers only read it.
     */
    byte[] utf8(String s) {
        if (s.length() > MAX_CACHED_CHARS) {
            return Utf8.encodeIfWellFormed(s);
        }
        int h = s.hashCode();
        int slot = (h ^ (h >>> 16)) & mask;
        Entry e = entries[slot];
        if (e != null && (e.string == s || e.string.equals(s))) {
            return e.utf8;
        }
        byte[] utf8 = Utf8.encodeIfWellFormed(s);
        if (utf8 != null) {
            entries[slot] = new Entry(s, utf8);
        }
        return utf8;
    }

    /** Final fields: safely published to a thread that reads the entry without a lock. */
    private static final class Entry {
        final String string;
        final byte[] utf8;

        Entry(String string, byte[] utf8) {
            this.string = string;
            this.utf8 = utf8;
        }
    }
}
