package dev.kubelogs.job.metrics.model;

import java.io.IOException;
import java.util.Arrays;
import org.apache.flink.core.memory.DataInputView;

/**
 * The decoded groups' constants of recently read {@link ConstantBlock}s, by the block's bytes: the delta stage
 * receives the same block from each target's layout every scrape, and a block read again gives the groups the
 * instances it gave before (labels with their hash, sample names, upper bounds), without decoding a string.
 *
 * <p>Direct-mapped by a hash of the bytes, checked by comparing the bytes, so a hit is what those bytes decode to; a
 * collision replaces the entry. A block longer than {@link #MAX_CACHED_BLOCK_BYTES} is decoded each time and not kept.
 * The kept blocks stay within {@code budgetBytes} (and their decoded groups take about as much again): a block that
 * does not fit is decoded and not kept, and drops the next entry of a sweep over the slots, so blocks of dropped
 * layouts leave in time and a working set larger than the budget keeps part of its blocks rather than none. Not
 * thread-safe: one per reading thread.
 */
final class ConstantBlockCache {
    static final int MAX_CACHED_BLOCK_BYTES = 1 << 20;
    /** A larger buffer, grown for one large block, is not kept for the next. */
    private static final int MAX_KEPT_BUFFER = MAX_CACHED_BLOCK_BYTES;
    /** The step a block's bytes are read in, so a corrupt length fails at the stream's end, not at an allocation. */
    private static final int READ_STEP = 64 * 1024;

    private final int mask;
    private final long budgetBytes;
    private final byte[][] keys;
    private final GroupConstants[][] blocks;
    private long cachedBytes;
    /** The next slot a block that does not fit drops. */
    private int sweep;

    private byte[] buffer = new byte[READ_STEP];

    /** @param entries a power of two */
    ConstantBlockCache(int entries, long budgetBytes) {
        if (entries <= 0 || Integer.bitCount(entries) != 1) {
            throw new IllegalArgumentException("entries must be a power of two, got " + entries);
        }
        mask = entries - 1;
        this.budgetBytes = budgetBytes;
        keys = new byte[entries][];
        blocks = new GroupConstants[entries][];
    }

    /** The groups' constants of the block of {@code length} bytes that {@code in} holds next. */
    GroupConstants[] read(DataInputView in, int length, SeriesBatchSerializer.StringReads strings) throws IOException {
        byte[] bytes = readBytes(in, length);
        if (length > MAX_CACHED_BLOCK_BYTES) {
            return GroupConstants.decode(bytes, length, strings);
        }
        int slot = Utf8StringCache.hash(bytes, length) & mask;
        byte[] key = keys[slot];
        if (key != null && key.length == length && Arrays.equals(key, 0, length, bytes, 0, length)) {
            return blocks[slot];
        }
        GroupConstants[] decoded = GroupConstants.decode(bytes, length, strings);
        if (cachedBytes - (key == null ? 0 : key.length) + length > budgetBytes) {
            drop(sweep);
            sweep = (sweep + 1) & mask;
            return decoded;
        }
        drop(slot);
        keys[slot] = Arrays.copyOf(bytes, length);
        blocks[slot] = decoded;
        cachedBytes += length;
        return decoded;
    }

    private void drop(int slot) {
        if (keys[slot] != null) {
            cachedBytes -= keys[slot].length;
            keys[slot] = null;
            blocks[slot] = null;
        }
    }

    /** The bytes of the blocks kept. */
    long cachedBytes() {
        return cachedBytes;
    }

    private byte[] readBytes(DataInputView in, int length) throws IOException {
        if (length <= buffer.length) {
            in.readFully(buffer, 0, length);
            return buffer;
        }
        byte[] grown = buffer;
        int read = 0;
        while (read < length) {
            int step = Math.min(length - read, READ_STEP);
            if (read + step > grown.length) {
                grown = Arrays.copyOf(grown, (int) Math.min(length, Math.max(read + step, 2L * grown.length)));
            }
            in.readFully(grown, read, step);
            read += step;
        }
        if (grown.length <= MAX_KEPT_BUFFER) {
            buffer = grown;
        }
        return grown;
    }
}
