package dev.kubelogs.job.sink.cloudwatch;

import java.util.Arrays;

/** Varints, zigzag varints and byte strings into one array sized up front: the committable's checkpoint layout. */
final class CommittableOutput {
    private final byte[] buf;
    private int pos;

    CommittableOutput(int capacity) {
        buf = new byte[capacity];
    }

    void varint(long v) {
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

    void zigzag(long v) {
        varint((v << 1) ^ (v >> 63));
    }

    void bytes(byte[] b) {
        varint(b.length);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
    }

    /** The first {@code length} bytes of {@code b}, without a length. */
    void raw(byte[] b, int length) {
        System.arraycopy(b, 0, buf, pos, length);
        pos += length;
    }

    /** Everything written to {@code chunks}, without a length. */
    void raw(ByteChunks chunks) {
        chunks.copyTo(buf, pos);
        pos += (int) chunks.size();
    }

    int position() {
        return pos;
    }

    /** Size of {@code v} as a varint. */
    static int varintSize(long v) {
        return v == 0 ? 1 : (63 - Long.numberOfLeadingZeros(v)) / 7 + 1;
    }

    /** The bytes written, trimmed to their length (the array itself when it was sized exactly). */
    byte[] toByteArray() {
        return pos == buf.length ? buf : Arrays.copyOf(buf, pos);
    }
}
