package dev.kubelogs.job.sink.cloudwatch;

import java.util.ArrayList;
import java.util.List;

/**
 * A growing byte sequence in arrays taken from a {@link ChunkPool}, each twice the one before up to
 * {@link ChunkPool#LARGEST}: a stream with a few events holds a few hundred bytes, a busy one never copies what it
 * wrote to grow. Written with the committable's varints ({@link CommittableOutput}'s encoding); read once, by
 * {@link #copyTo}, then {@link #release}d.
 */
final class ByteChunks {
    private final ChunkPool pool;
    private final List<byte[]> full = new ArrayList<>();
    private byte[] current;
    private int position;
    private long size;

    ByteChunks(ChunkPool pool) {
        this.pool = pool;
    }

    long size() {
        return size;
    }

    void write(int b) {
        if (current == null || position == current.length) {
            next();
        }
        current[position++] = (byte) b;
        size++;
    }

    void varint(long v) {
        while ((v & ~0x7FL) != 0) {
            write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        write((int) v);
    }

    void zigzag(long v) {
        varint((v << 1) ^ (v >> 63));
    }

    /** {@code length} bytes of {@code b} from {@code from}. */
    void write(byte[] b, int from, int length) {
        while (length > 0) {
            if (current == null || position == current.length) {
                next();
            }
            int n = Math.min(length, current.length - position);
            System.arraycopy(b, from, current, position, n);
            position += n;
            from += n;
            length -= n;
            size += n;
        }
    }

    /** Copies everything written to {@code to} at {@code at}. */
    void copyTo(byte[] to, int at) {
        for (byte[] chunk : full) {
            System.arraycopy(chunk, 0, to, at, chunk.length);
            at += chunk.length;
        }
        if (current != null) {
            System.arraycopy(current, 0, to, at, position);
        }
    }

    /** Gives the arrays back to the pool; this sequence is empty afterwards. */
    void release() {
        for (byte[] chunk : full) {
            pool.give(chunk);
        }
        full.clear();
        if (current != null) {
            pool.give(current);
            current = null;
        }
        position = 0;
        size = 0;
    }

    private void next() {
        int length = ChunkPool.SMALLEST;
        if (current != null) {
            full.add(current);
            length = Math.min(current.length * 2, ChunkPool.LARGEST);
        }
        current = pool.take(length);
        position = 0;
    }
}
