package dev.kubelogs.job.metrics.parse;

import java.nio.charset.StandardCharsets;

/** Metric and label names as Strings, one instance per distinct name (names are ASCII by the grammar). */
final class NameStrings {
    /** Shared by the parsers of all threads: a name scraped by another thread next time is the same instance. */
    private static final Interner<String> SHARED = new Interner<>(16384);

    private final ByteKeyedCache<String> cache = new ByteKeyedCache<>(4096);

    String of(byte[] b, int from, int to) {
        int hash = ByteKeyedCache.hash(b, from, to);
        String s = cache.get(hash, b, from, to);
        if (s == null) {
            s = SHARED.intern(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
            cache.put(hash, b, from, to, s);
        }
        return s;
    }
}
