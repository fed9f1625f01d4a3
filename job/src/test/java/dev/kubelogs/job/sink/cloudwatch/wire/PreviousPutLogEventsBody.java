package dev.kubelogs.job.sink.cloudwatch.wire;

import dev.kubelogs.job.sink.cloudwatch.SinkEvent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The sink's PutLogEvents body writer as it was before the per-event cuts of its framing (timestamps, field names, a
 * message's last bytes), unchanged apart from its name and the request plumbing it does not need here: what
 * {@code PutLogEventsBodyDifferentialTest} compares today's bodies with byte for byte, and the old arm of
 * {@code BodyWriterLoop}.
 */
public final class PreviousPutLogEventsBody {
    private static final byte[] GROUP_FIELD = ascii("{\"logGroupName\":\"");
    private static final byte[] STREAM_FIELD = ascii("\",\"logStreamName\":\"");
    private static final byte[] EVENTS_FIELD = ascii("\",\"logEvents\":[");
    private static final byte[] TIMESTAMP_FIELD = ascii("{\"timestamp\":");
    private static final byte[] MESSAGE_FIELD = ascii(",\"message\":\"");
    private static final byte[] EVENT_END = ascii("\"}");
    private static final byte[] HEX = ascii("0123456789ABCDEF");
    /**
     * Free room {@link #appendEscaped} keeps beyond the input still to write: a word stored whole past the end plus
     * what one word's escapes add (at most 8 × 5 bytes; a 4-byte character adds 8).
     */
    private static final int ROOM = 64;

    private static final long LOW_BITS = 0x7F7F7F7F7F7F7F7FL;
    /** Per byte: 0 = written as is, else the character after the backslash ('u' = &#92;u00XX). */
    private static final byte[] ESCAPE = new byte[128];

    static {
        for (int c = 0; c < 0x20; c++) {
            ESCAPE[c] = 'u';
        }
        ESCAPE['\b'] = 'b';
        ESCAPE['\t'] = 't';
        ESCAPE['\n'] = 'n';
        ESCAPE['\f'] = 'f';
        ESCAPE['\r'] = 'r';
        ESCAPE['"'] = '"';
        ESCAPE['\\'] = '\\';
    }

    private byte[] buf;
    private int length;
    /**
     * The escaped form of a message end that the events of this body share (a stream's events all end with their
     * container's kubernetes block): its raw length and where its escaped bytes sit in {@link #buf}.
     */
    private int sharedRawLength;

    private int sharedAt;
    private int sharedEscapedLength;

    private final String group;
    private final String stream;
    private final long messageBytes;

    private PreviousPutLogEventsBody(String group, String stream, long messageBytes, byte[] buf) {
        this.group = group;
        this.stream = stream;
        this.messageBytes = messageBytes;
        this.buf = buf;
    }

    /** The body for {@code events[pending[0]], events[pending[1]], …} (in that order) into {@code group/stream}. */
    public static PreviousPutLogEventsBody of(
            String group, String stream, List<SinkEvent> events, List<Integer> pending) {
        return of(group, stream, events, pending, null);
    }

    /**
     * As {@link #of(String, String, List, List)}, written into {@code spare} (its bytes are overwritten) when it is
     * large enough, else into a new array; {@link #buffer()} is the array used, to be handed to the next body once
     * nothing reads this one any more.
     */
    public static PreviousPutLogEventsBody of(
            String group, String stream, List<SinkEvent> events, List<Integer> pending, byte[] spare) {
        long messages = 0;
        for (int i : pending) {
            messages += events.get(i).utf8Length();
        }
        PreviousPutLogEventsBody body = start(group, stream, messages, pending.size(), spare);
        byte[] previous = null;
        for (int i : pending) {
            SinkEvent e = events.get(i);
            byte[] message = e.utf8();
            body.appendEvent(
                    previous != null,
                    e.timestamp(),
                    message,
                    0,
                    message.length,
                    previous,
                    0,
                    previous == null ? 0 : previous.length);
            previous = message;
        }
        return body.end();
    }

    /**
     * The body for {@code events[pending[0]], events[pending[1]], …} (in that order), written from the slices of their
     * one array (no copy per message), into {@code spare} as {@link #of(String, String, List, List, byte[])} does.
     */
    public static PreviousPutLogEventsBody of(
            String group, String stream, MessageSlices events, List<Integer> pending, byte[] spare) {
        long messages = 0;
        for (int i : pending) {
            messages += events.messageLength(i);
        }
        PreviousPutLogEventsBody body = start(group, stream, messages, pending.size(), spare);
        byte[] bytes = events.bytes();
        int[] starts = events.starts();
        int[] lengths = events.lengths();
        int[] tailStarts = events.tailStarts();
        int[] tailLengths = events.tailLengths();
        // the escaped form of the last tail written, copied while the next events share that same slice
        int tailStart = -1;
        int tailLength = 0;
        boolean first = true;
        for (int i : pending) {
            if (!first) {
                body.appendByte(',');
            }
            first = false;
            body.append(TIMESTAMP_FIELD);
            body.appendLong(events.timestamps()[i]);
            body.append(MESSAGE_FIELD);
            body.appendEscaped(bytes, starts[i], starts[i] + lengths[i]);
            if (tailLengths[i] > 0) {
                if (tailStarts[i] == tailStart && tailLengths[i] == tailLength) {
                    body.ensure(body.sharedEscapedLength);
                    System.arraycopy(body.buf, body.sharedAt, body.buf, body.length, body.sharedEscapedLength);
                    body.length += body.sharedEscapedLength;
                } else {
                    tailStart = tailStarts[i];
                    tailLength = tailLengths[i];
                    body.sharedAt = body.length;
                    body.appendEscaped(bytes, tailStart, tailStart + tailLength);
                    body.sharedEscapedLength = body.length - body.sharedAt;
                }
            }
            body.append(EVENT_END);
        }
        return body.end();
    }

    /** A body for {@code events} events with {@code messages} bytes of messages, up to its first event. */
    private static PreviousPutLogEventsBody start(
            String group, String stream, long messages, int events, byte[] spare) {
        byte[] g = group.getBytes(StandardCharsets.UTF_8);
        byte[] s = stream.getBytes(StandardCharsets.UTF_8);
        // fields + timestamp per event (~50 bytes) plus room for escapes; grows if a message escapes heavily
        long estimate = 64 + 2L * (g.length + s.length) + events * 56L + messages + messages / 8;
        int capacity = (int) Math.min(estimate, Integer.MAX_VALUE - 16);
        PreviousPutLogEventsBody body = new PreviousPutLogEventsBody(
                group, stream, messages, spare != null && spare.length >= capacity ? spare : new byte[capacity]);
        body.append(GROUP_FIELD);
        body.appendEscaped(g);
        body.append(STREAM_FIELD);
        body.appendEscaped(s);
        body.append(EVENTS_FIELD);
        return body;
    }

    /** One event: message {@code m[from, from + length)}, the previous one's {@code p[pFrom, pFrom + pLength)}. */
    private void appendEvent(
            boolean comma, long timestamp, byte[] m, int from, int length, byte[] p, int pFrom, int pLength) {
        if (comma) {
            appendByte(',');
        }
        append(TIMESTAMP_FIELD);
        appendLong(timestamp);
        append(MESSAGE_FIELD);
        appendMessage(m, from, from + length, comma ? p : null, pFrom, pFrom + pLength);
        append(EVENT_END);
    }

    private PreviousPutLogEventsBody end() {
        appendByte(']');
        appendByte('}');
        return this;
    }

    public int length() {
        return length;
    }

    /** UTF-8 bytes of the messages in this body, unescaped (what the sink counts as bytes written). */
    public long messageBytes() {
        return messageBytes;
    }

    /** The array the body is written in (its first {@link #length()} bytes), for reuse by a later body. */
    public byte[] buffer() {
        return buf;
    }

    /** A copy of the body's bytes (tests). */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, length);
    }

    /**
     * Appends {@code message} escaped. The end it shares with the previous message is escaped once and copied from
     * then on, as long as the following messages share at least that much.
     */
    private void appendMessage(byte[] message, int from, int end, byte[] previous, int pFrom, int pEnd) {
        int length = end - from;
        if (sharedRawLength > 0
                && sharedRawLength <= length
                && Words.endsEqual(previous, pEnd, message, end, sharedRawLength)) {
            appendEscaped(message, from, end - sharedRawLength);
            ensure(sharedEscapedLength);
            System.arraycopy(buf, sharedAt, buf, this.length, sharedEscapedLength);
            this.length += sharedEscapedLength;
            return;
        }
        // the shared end must start at a character: a 4-byte character is escaped as a whole (a surrogate pair)
        int shared = previous == null ? 0 : Words.commonSuffixLength(previous, pFrom, pEnd, message, from, end);
        while (shared > 0 && (message[end - shared] & 0xC0) == 0x80) {
            shared--;
        }
        appendEscaped(message, from, end - shared);
        sharedAt = this.length;
        appendEscaped(message, end - shared, end);
        sharedRawLength = shared;
        sharedEscapedLength = this.length - sharedAt;
    }

    private void appendEscaped(byte[] utf8) {
        appendEscaped(utf8, 0, utf8.length);
    }

    /**
     * Appends {@code utf8[from, to)} escaped; {@code from} and {@code to} are character boundaries. Eight bytes a
     * step: a word is stored whole, and when some of its bytes need escaping each is escaped in turn and the rest of
     * the word stored again after it. A message with a quote every few bytes (an EMF event) costs a few register
     * operations and two stores per quote, not a scan restart and a copy call per run between two quotes.
     */
    private void appendEscaped(byte[] utf8, int from, int to) {
        // room for the input still to write plus ROOM: a whole word stored past the end and one word's escapes
        ensure(to - from + ROOM);
        byte[] out = buf;
        int end = length;
        int i = from;
        while (to - i >= 8) {
            long word = Words.at(utf8, i);
            long flags = escapeMask(word);
            Words.put(out, end, word);
            if (flags == 0) {
                end += 8;
                i += 8;
                continue;
            }
            if (end + (to - i) + ROOM > out.length) {
                length = end;
                ensure(to - i + ROOM);
                out = buf;
                Words.put(out, end, word);
            }
            // bytes of the word consumed so far; the word's bytes from there on are stored at end
            int consumed = 0;
            do {
                int at = Long.numberOfTrailingZeros(flags) >>> 3;
                end += at - consumed;
                int c = (int) (word >>> (at << 3)) & 0xFF;
                if (c >= 0x80) {
                    break; // the lead byte of a 4-byte character: escaped below, maybe with bytes of the next word
                }
                end = escapeAscii(out, end, c);
                consumed = at + 1;
                flags &= flags - 1;
                if (consumed < 8) {
                    Words.put(out, end, word >>> (consumed << 3));
                }
            } while (flags != 0);
            if (flags != 0) {
                i += Long.numberOfTrailingZeros(flags) >>> 3;
                end = escapeFourByte(out, end, utf8, i);
                i += 4;
            } else {
                end += 8 - consumed;
                i += 8;
            }
        }
        for (; i < to; i++) {
            int c = utf8[i];
            if (c >= 0 ? ESCAPE[c] == 0 : (c & 0xF8) != 0xF0) {
                out[end++] = (byte) c;
                continue;
            }
            if (end + 12 + (to - i) > out.length) {
                length = end;
                ensure(12 + (to - i));
                out = buf;
            }
            if (c >= 0) {
                end = escapeAscii(out, end, c);
            } else {
                end = escapeFourByte(out, end, utf8, i);
                i += 3;
            }
        }
        length = end;
    }

    /** Writes the escape of ASCII {@code c} at {@code at}; returns the index after it. */
    private static int escapeAscii(byte[] out, int at, int c) {
        byte e = ESCAPE[c];
        if (e == 'u') {
            return unicodeEscape(out, at, (char) c);
        }
        out[at] = '\\';
        out[at + 1] = e;
        return at + 2;
    }

    /**
     * Writes the character of the 4-byte UTF-8 sequence at {@code utf8[i]} (a code point above U+FFFF) as its
     * escaped UTF-16 surrogate pair, as the SDK's Jackson does; returns the index after it.
     */
    private static int escapeFourByte(byte[] out, int at, byte[] utf8, int i) {
        int cp = (utf8[i] & 0x07) << 18 | (utf8[i + 1] & 0x3F) << 12 | (utf8[i + 2] & 0x3F) << 6 | (utf8[i + 3] & 0x3F);
        return unicodeEscape(out, unicodeEscape(out, at, Character.highSurrogate(cp)), Character.lowSurrogate(cp));
    }

    /**
     * The high bit of each of the eight (little-endian) bytes of {@code x} that needs escaping, exactly: a control
     * character (below 0x20), a quote, a backslash, or the lead byte of a 4-byte UTF-8 sequence (0xF0–0xF7). Each
     * byte is tested on its low seven bits, where adding cannot carry into the next byte.
     */
    private static long escapeMask(long x) {
        long control = ~(((x & LOW_BITS) + Words.repeated(0x80 - 0x20)) | x) & Words.HIGH_BITS;
        long quote = exactZeroBytes(x ^ Words.repeated('"'));
        long backslash = exactZeroBytes(x ^ Words.repeated('\\'));
        long fourByteLead = exactZeroBytes((x & Words.repeated(0xF8)) ^ Words.repeated(0xF0));
        return control | quote | backslash | fourByteLead;
    }

    /** The high bit of each byte of {@code v} that is zero, and of no other byte. */
    private static long exactZeroBytes(long v) {
        return ~(((v & LOW_BITS) + LOW_BITS) | v | LOW_BITS);
    }

    /** Writes {@code \\uXXXX} for {@code c} at {@code at}; returns the index after it. */
    private static int unicodeEscape(byte[] out, int at, char c) {
        out[at] = '\\';
        out[at + 1] = 'u';
        out[at + 2] = HEX[c >> 12 & 0xF];
        out[at + 3] = HEX[c >> 8 & 0xF];
        out[at + 4] = HEX[c >> 4 & 0xF];
        out[at + 5] = HEX[c & 0xF];
        return at + 6;
    }

    private void appendRange(byte[] b, int from, int to) {
        int n = to - from;
        if (n > 0) {
            ensure(n);
            System.arraycopy(b, from, buf, length, n);
            length += n;
        }
    }

    private void append(byte[] b) {
        appendRange(b, 0, b.length);
    }

    private void appendByte(char c) {
        ensure(1);
        buf[length++] = (byte) c;
    }

    private void appendLong(long v) {
        if (v == Long.MIN_VALUE) {
            append(ascii(Long.toString(v)));
            return;
        }
        ensure(20);
        if (v < 0) {
            buf[length++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long rest = v / 10; rest > 0; rest /= 10) {
            digits++;
        }
        for (int i = length + digits - 1; i >= length; i--) {
            buf[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        length += digits;
    }

    private void ensure(int more) {
        if (length + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + more));
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
