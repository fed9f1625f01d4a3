package dev.kubelogs.job.sink.cloudwatch;

import java.util.ArrayDeque;

/**
 * The byte arrays the writer's buffers ({@link ByteChunks}) give back when a barrier cuts them, kept for the buffers of
 * the next checkpoint interval: a TaskManager buffers about the same bytes every interval, so once warm the writer
 * allocates only the committables' arrays. Sizes are powers of two from {@link #SMALLEST} to {@link #LARGEST}.
 * {@link #dropUnused()} at each barrier forgets what the last interval did not take, so the pool never holds more
 * than one interval's buffers. Used by the task thread only.
 */
final class ChunkPool {
    static final int SMALLEST = 128;
    static final int LARGEST = 16_384;
    private static final int CLASSES = Integer.numberOfTrailingZeros(LARGEST / SMALLEST) + 1;

    @SuppressWarnings("unchecked")
    private final ArrayDeque<byte[]>[] free = new ArrayDeque[CLASSES];

    ChunkPool() {
        for (int i = 0; i < CLASSES; i++) {
            free[i] = new ArrayDeque<>();
        }
    }

    /** An array of {@code size} bytes (a power of two in range), from the pool if it has one. */
    byte[] take(int size) {
        byte[] chunk = free[sizeClass(size)].pollLast();
        return chunk != null ? chunk : new byte[size];
    }

    /** {@code chunk} is no longer used; its contents are never read again. */
    void give(byte[] chunk) {
        free[sizeClass(chunk.length)].addLast(chunk);
    }

    /** Forgets every array nobody took since the last call. */
    void dropUnused() {
        for (ArrayDeque<byte[]> f : free) {
            f.clear();
        }
    }

    /** Bytes held for reuse; for tests. */
    long pooledBytes() {
        long n = 0;
        for (int i = 0; i < CLASSES; i++) {
            n += (long) free[i].size() * (SMALLEST << i);
        }
        return n;
    }

    private static int sizeClass(int size) {
        if (size < SMALLEST || size > LARGEST || Integer.bitCount(size) != 1) {
            throw new IllegalArgumentException("not a pooled chunk size: " + size);
        }
        return Integer.numberOfTrailingZeros(size / SMALLEST);
    }
}
