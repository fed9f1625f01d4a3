package dev.kubelogs.job.metrics.parse;

import java.nio.charset.StandardCharsets;

/** Metric and label names as Strings, one instance per distinct name (names are ASCII by the grammar). */
final class NameStrings {
    private final ByteKeyedCache<String> cache = new ByteKeyedCache<>(4096);

    String of(byte[] b, int from, int to) {
        int hash = ByteKeyedCache.hash(b, from, to);
        String s = cache.get(hash, b, from, to);
        if (s == null) {
            s = new String(b, from, to - from, StandardCharsets.ISO_8859_1);
            cache.put(hash, b, from, to, s);
        }
        return s;
    }
}
