package dev.kubelogs.job.metrics.model;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The strings of recently read UTF-8 byte sequences, so a reader that sees the same bytes again hands out the same
 * {@code String} instead of decoding a new one. The delta stage receives every label name, label value and metric
 * name of its series again with every scrape; a fresh instance per record is decoded, allocated and then hashed again
 * downstream ({@code MetricIds}, the EMF writer's caches), where the cached instance has its hash already.
 *
 * <p>Direct-mapped by a hash of the bytes, checked by comparing the bytes, so a hit is the string those bytes decode
 * to; a collision replaces the entry. Sequences longer than {@link #MAX_CACHED_BYTES} are decoded each time and not
 * kept, which bounds the memory to {@code entries} strings of at most that many bytes (twice, bytes and string). Not
 * thread-safe: one per reading thread.
 */
final class Utf8StringCache {
    static final int MAX_CACHED_BYTES = 256;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final int mask;
    private final byte[][] keys;
    private final String[] strings;

    /** @param entries a power of two */
    Utf8StringCache(int entries) {
        if (entries <= 0 || Integer.bitCount(entries) != 1) {
            throw new IllegalArgumentException("entries must be a power of two, got " + entries);
        }
        mask = entries - 1;
        keys = new byte[entries][];
        strings = new String[entries];
    }

    /**
     * The string that the first {@code length} bytes of {@code utf8} decode to ({@code new String(bytes, UTF_8)}); the
     * array is not kept, so a reader may pass the same buffer every time.
     */
    String get(byte[] utf8, int length) {
        if (length > MAX_CACHED_BYTES) {
            return new String(utf8, 0, length, StandardCharsets.UTF_8);
        }
        int slot = hash(utf8, length) & mask;
        byte[] key = keys[slot];
        if (key != null && key.length == length && Arrays.equals(key, 0, length, utf8, 0, length)) {
            return strings[slot];
        }
        String s = new String(utf8, 0, length, StandardCharsets.UTF_8);
        keys[slot] = Arrays.copyOf(utf8, length);
        strings[slot] = s;
        return s;
    }

    /** Eight bytes at a time: a mixing step per word rather than a multiply per byte. */
    static int hash(byte[] bytes, int length) {
        long h = length;
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            h = (h ^ (long) LONGS.get(bytes, i)) * 0x9E3779B97F4A7C15L;
            h ^= h >>> 29;
        }
        long tail = 0;
        for (int shift = 0; i < length; i++, shift += 8) {
            tail |= (bytes[i] & 0xffL) << shift;
        }
        h = (h ^ tail) * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
