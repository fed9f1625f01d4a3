package dev.kubelogs.job.sink.cloudwatch;

import dev.kubelogs.job.sink.cloudwatch.wire.Utf8;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Reads what {@link CommittableOutput} wrote; every read is bounds-checked into an IOException. */
final class CommittableInput {
    private final byte[] buf;
    private int pos;

    CommittableInput(byte[] buf) {
        this(buf, 0);
    }

    /** Reading {@code buf} from {@code from}. */
    CommittableInput(byte[] buf, int from) {
        this.buf = buf;
        this.pos = from;
    }

    long varint() throws IOException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= buf.length) {
                throw new IOException("corrupt committable: truncated");
            }
            byte b = buf[pos++];
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return v;
            }
        }
        throw new IOException("corrupt committable: varint longer than 10 bytes");
    }

    int varintInt() throws IOException {
        long v = varint();
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new IOException("corrupt committable: " + v + " out of int range");
        }
        return (int) v;
    }

    long zigzag() throws IOException {
        long v = varint();
        return (v >>> 1) ^ -(v & 1);
    }

    String string() throws IOException {
        int len = varintInt();
        if (len > buf.length - pos) {
            throw new IOException("corrupt committable: string of " + len + " bytes, " + (buf.length - pos) + " left");
        }
        String s = new String(buf, pos, len, StandardCharsets.UTF_8);
        pos += len;
        return s;
    }

    /**
     * The source table of a committable of {@code events} events: a count, then that many source ids. Index 0 stays
     * null (an event without a source); the ids are at 1..count.
     */
    String[] sourceTable(int events) throws IOException {
        int sourceCount = varintInt();
        if (sourceCount > events) {
            throw new IOException("corrupt committable: " + sourceCount + " sources for " + events + " events");
        }
        String[] sources = new String[sourceCount + 1];
        for (int s = 1; s <= sourceCount; s++) {
            sources[s] = string();
        }
        return sources;
    }

    /** Bytes of version-3 messages read so far. */
    private long messageBytes;

    /** A version-3 message: its own bytes, then the last {@code shared} bytes of {@code previous}. */
    byte[] messageSharingSuffixWith(byte[] previous) throws IOException {
        int shared = varintInt();
        int unique = varintInt();
        if (shared > previous.length || unique > buf.length - pos) {
            throw new IOException("corrupt committable: message of " + unique + " + " + shared + " shared bytes");
        }
        // a batch holds at most MAX_BATCH_BYTES of messages; corrupt shared counts could otherwise rebuild
        // gigabytes from a megabyte
        messageBytes += unique + shared;
        if (messageBytes > BatchCutter.MAX_BATCH_BYTES) {
            throw new IOException(
                    "corrupt committable: more than " + BatchCutter.MAX_BATCH_BYTES + " bytes of messages");
        }
        byte[] m = new byte[unique + shared];
        System.arraycopy(buf, pos, m, 0, unique);
        System.arraycopy(previous, previous.length - shared, m, unique, shared);
        pos += unique;
        // the sink writes these bytes to the wire as they are (SinkEvent's byte[] constructor and PutLogEventsBody
        // take them to be well-formed), so corrupt bytes must fail here. previous is well-formed, so its shared
        // end is too after the continuation bytes it may start with: check the own bytes and those only.
        int checked = unique;
        while (checked < m.length && checked < unique + 3 && (m[checked] & 0xC0) == 0x80) {
            checked++;
        }
        if (!Utf8.isWellFormed(m, 0, checked)) {
            throw new IOException("corrupt committable: a message is not well-formed UTF-8");
        }
        return m;
    }

    int position() {
        return pos;
    }

    /** Skips {@code n} bytes (fewer than {@link #remaining()}, checked by the caller). */
    void skip(int n) {
        pos += n;
    }

    int remaining() {
        return buf.length - pos;
    }
}
