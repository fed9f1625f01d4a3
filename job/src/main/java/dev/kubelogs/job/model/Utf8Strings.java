package dev.kubelogs.job.model;

import dev.kubelogs.job.sink.cloudwatch.wire.Utf8;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Strings in the serializers of records that cross the network: a string is its UTF-8 bytes, so ASCII text is copied
 * rather than encoded char by char as {@link StringValue} does, and read back the same way.
 *
 * <p>A string starts with a varint {@code header}: 0 = null; {@code (n << 2) | 1} = n UTF-8 bytes follow; 2 = a
 * {@link StringValue} follows (UTF-16 exact; only for strings with unpaired surrogates, which UTF-8 cannot carry,
 * so every string comes back exactly as it was).
 */
public final class Utf8Strings {
    private static final int NULL = 0;
    private static final int UTF8 = 1;
    private static final int UTF16 = 2;

    private Utf8Strings() {}

    public static void write(String s, DataOutputView out) throws IOException {
        if (s == null) {
            out.writeByte(NULL);
            return;
        }
        byte[] utf8 = Utf8.encodeIfWellFormed(s);
        if (utf8 == null) {
            out.writeByte(UTF16);
            StringValue.writeString(s, out);
            return;
        }
        writeUtf8(utf8, out);
    }

    /** A string given as its well-formed UTF-8 bytes: the same as {@link #write} of the string they encode. */
    public static void writeUtf8(byte[] utf8, DataOutputView out) throws IOException {
        VarInts.write(((long) utf8.length << 2) | UTF8, out);
        out.write(utf8);
    }

    public static String read(DataInputView in) throws IOException {
        return read(readHeader(in), in);
    }

    /** The header of the next string: give it to {@link #isUtf8} and then {@link #readUtf8} or {@link #read(long, DataInputView)}. */
    public static long readHeader(DataInputView in) throws IOException {
        return VarInts.read(in);
    }

    /** Whether the string of this header was written as UTF-8 bytes (well-formed, as {@link #write} checks). */
    public static boolean isUtf8(long header) {
        return (header & 3) == UTF8;
    }

    /** The UTF-8 bytes of the string of this header, which {@link #isUtf8}, as they were written. */
    public static byte[] readUtf8(long header, DataInputView in) throws IOException {
        long n = header >>> 2;
        if (!isUtf8(header) || n > Integer.MAX_VALUE - 16) {
            throw new IOException("corrupt string header " + header);
        }
        byte[] utf8 = new byte[(int) n];
        in.readFully(utf8);
        return utf8;
    }

    /** The string of this header, whichever way it was written. */
    public static String read(long header, DataInputView in) throws IOException {
        int tag = (int) (header & 3);
        if (tag == NULL && header == 0) {
            return null;
        }
        if (tag == UTF16 && header == UTF16) {
            return StringValue.readString(in);
        }
        return new String(readUtf8(header, in), StandardCharsets.UTF_8);
    }
}
