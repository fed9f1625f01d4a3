package dev.kubelogs.job.model;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Unsigned LEB128 integers (7 bits a byte): lengths and small counts cost one byte in the serializers here. */
public final class VarInts {
    private VarInts() {}

    public static void write(long v, DataOutputView out) throws IOException {
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    public static long read(DataInputView in) throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.readByte();
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return v;
            }
        }
        throw new IOException("corrupt varint: longer than 10 bytes");
    }

    /** A length or count written by {@link #write}: checked to be an int no larger than {@code max}. */
    public static int readLength(DataInputView in, int max) throws IOException {
        long v = read(in);
        if (v < 0 || v > max) {
            throw new IOException("corrupt length " + v + " (at most " + max + ")");
        }
        return (int) v;
    }

    /** Copies one varint from {@code in} to {@code out} and returns its value. */
    public static long copy(DataInputView in, DataOutputView out) throws IOException {
        long v = read(in);
        write(v, out);
        return v;
    }
}
