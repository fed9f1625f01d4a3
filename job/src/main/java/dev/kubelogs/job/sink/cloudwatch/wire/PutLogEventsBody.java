package dev.kubelogs.job.sink.cloudwatch.wire;

import dev.kubelogs.job.sink.cloudwatch.SinkEvent;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsRequest;

/**
 * The JSON body of a PutLogEvents call, written straight from the events' buffered UTF-8 bytes.
 *
 * <p>Why: the SDK's generic marshaller decodes each message to a String and escapes it char by char through
 * Jackson; our messages are JSON documents themselves (every quote escaped), and that was most of the committer's
 * CPU. The bytes written here are exactly the bytes the SDK's marshaller writes for the same request (same member
 * order, same escapes: {@code \" \\ \b \t \n \f \r}, other control characters as {@code &#92;u00XX} with upper-case
 * hex, characters above U+FFFF as their escaped UTF-16 surrogate pair, everything else as its UTF-8 bytes) —
 * {@code PutLogEventsBodyTest} compares them with the SDK's output byte for byte.
 *
 * <p>How it reaches the wire: the request still goes through the SDK client (endpoint resolution, SigV4 signing of
 * this body, HTTP, error and response parsing, timeouts). The deliverer builds a {@link PutLogEventsRequest} with the
 * group and stream but no events and attaches the body as the {@link #BODY} execution attribute; {@link Interceptor},
 * registered on every client the sink builds, swaps it in as the HTTP content (and Content-Length) before signing.
 */
public final class PutLogEventsBody {
    /** The pre-written body of one PutLogEvents request. */
    static final ExecutionAttribute<PutLogEventsBody> BODY = new ExecutionAttribute<>("kubelogs.PutLogEventsBody");

    private static final byte[] GROUP_FIELD = ascii("{\"logGroupName\":\"");
    private static final byte[] STREAM_FIELD = ascii("\",\"logStreamName\":\"");
    private static final byte[] EVENTS_FIELD = ascii("\",\"logEvents\":[");
    private static final byte[] TIMESTAMP_FIELD = ascii("{\"timestamp\":");
    private static final byte[] MESSAGE_FIELD = ascii(",\"message\":\"");
    /** The two field names as two words each (stored whole: the bytes past a name are written over next). */
    private static final long TIMESTAMP_FIELD_LOW = Words.at(Arrays.copyOf(TIMESTAMP_FIELD, 16), 0);

    private static final long TIMESTAMP_FIELD_HIGH = Words.at(Arrays.copyOf(TIMESTAMP_FIELD, 16), 8);
    private static final long MESSAGE_FIELD_LOW = Words.at(Arrays.copyOf(MESSAGE_FIELD, 16), 0);
    private static final long MESSAGE_FIELD_HIGH = Words.at(Arrays.copyOf(MESSAGE_FIELD, 16), 8);
    /** Timestamps below this have at most 16 digits: two words, kept for the next event with the same timestamp. */
    private static final long CACHED_TIMESTAMP_LIMIT = 10_000_000_000_000_000L;
    /** The most an event's start writes: a comma, the field names stored as words and a long's 20 characters. */
    private static final int EVENT_START_ROOM = 1 + 16 + 20 + 16;

    private static final byte[] HEX = ascii("0123456789ABCDEF");
    /**
     * Free room {@link #appendEscaped} keeps beyond the input still to write: a word stored whole past the end plus
     * what one word's escapes add (at most 8 × 5 bytes; a 4-byte character adds 8).
     */
    private static final int ROOM = 64;

    private static final long LOW_BITS = 0x7F7F7F7F7F7F7F7FL;
    private static final long QUOTES = Words.repeated('"');
    private static final long BACKSLASHES = Words.repeated('\\');
    /** Added to a byte's low seven bits, sets its high bit exactly when it is 0x20 or more. */
    private static final long CONTROL_CARRY = Words.repeated(0x80 - 0x20);

    private static final long FOUR_BYTE_LEAD_BITS = Words.repeated(0xF8);
    private static final long FOUR_BYTE_LEADS = Words.repeated(0xF0);
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

    /**
     * The timestamp written last and its digits as two words ({@link #digitsLength} of their bytes; 0 = none kept):
     * the events of a put mostly share their timestamp with the one before (a scrape's EMF events all do).
     */
    private long lastTimestamp;

    private long digitsLow;
    private long digitsHigh;
    private int digitsLength;

    private final String group;
    private final String stream;
    private final long messageBytes;

    private PutLogEventsBody(String group, String stream, long messageBytes, byte[] buf) {
        this.group = group;
        this.stream = stream;
        this.messageBytes = messageBytes;
        this.buf = buf;
    }

    /** The body for {@code events[pending[0]], events[pending[1]], …} (in that order) into {@code group/stream}. */
    public static PutLogEventsBody of(String group, String stream, List<SinkEvent> events, List<Integer> pending) {
        return of(group, stream, events, pending, null);
    }

    /**
     * As {@link #of(String, String, List, List)}, written into {@code spare} (its bytes are overwritten) when it is
     * large enough, else into a new array; {@link #buffer()} is the array used, to be handed to the next body once
     * nothing reads this one any more.
     */
    public static PutLogEventsBody of(
            String group, String stream, List<SinkEvent> events, List<Integer> pending, byte[] spare) {
        long messages = 0;
        for (int i : pending) {
            messages += events.get(i).utf8Length();
        }
        PutLogEventsBody body = start(group, stream, messages, pending.size(), spare);
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
    public static PutLogEventsBody of(
            String group, String stream, MessageSlices events, List<Integer> pending, byte[] spare) {
        long messages = 0;
        for (int i : pending) {
            messages += events.messageLength(i);
        }
        PutLogEventsBody body = start(group, stream, messages, pending.size(), spare);
        byte[] bytes = events.bytes();
        int[] starts = events.starts();
        int[] lengths = events.lengths();
        int[] tailStarts = events.tailStarts();
        int[] tailLengths = events.tailLengths();
        long[] timestamps = events.timestamps();
        // the escaped form of the last tail written, copied while the next events share that same slice
        int tailStart = -1;
        int tailLength = 0;
        boolean first = true;
        for (int i : pending) {
            body.appendEventStart(!first, timestamps[i]);
            first = false;
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
            body.appendEventEnd();
        }
        return body.end();
    }

    /** A body for {@code events} events with {@code messages} bytes of messages, up to its first event. */
    private static PutLogEventsBody start(String group, String stream, long messages, int events, byte[] spare) {
        byte[] g = group.getBytes(StandardCharsets.UTF_8);
        byte[] s = stream.getBytes(StandardCharsets.UTF_8);
        // fields + timestamp per event (~50 bytes) plus room for escapes; grows if a message escapes heavily
        long estimate = 64 + 2L * (g.length + s.length) + events * 56L + messages + messages / 8;
        int capacity = (int) Math.min(estimate, Integer.MAX_VALUE - 16);
        PutLogEventsBody body = new PutLogEventsBody(
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
        appendEventStart(comma, timestamp);
        appendMessage(m, from, from + length, comma ? p : null, pFrom, pFrom + pLength);
        appendEventEnd();
    }

    /**
     * An event's start up to its message (the timestamp field, then the message field's name and opening quote),
     * after a comma if {@code comma}: the names stored as words, the digits copied from the event before when it has
     * the same timestamp.
     */
    private void appendEventStart(boolean comma, long timestamp) {
        ensure(EVENT_START_ROOM);
        byte[] out = buf;
        int at = length;
        out[at] = ',';
        at += comma ? 1 : 0;
        Words.put(out, at, TIMESTAMP_FIELD_LOW);
        Words.put(out, at + 8, TIMESTAMP_FIELD_HIGH);
        at += TIMESTAMP_FIELD.length;
        if (timestamp == lastTimestamp && digitsLength > 0) {
            Words.put(out, at, digitsLow);
            Words.put(out, at + 8, digitsHigh);
            at += digitsLength;
        } else {
            length = at;
            appendLong(timestamp);
            lastTimestamp = timestamp;
            digitsLength = timestamp >= 0 && timestamp < CACHED_TIMESTAMP_LIMIT ? length - at : 0;
            digitsLow = Words.at(out, at);
            digitsHigh = Words.at(out, at + 8);
            at = length;
        }
        Words.put(out, at, MESSAGE_FIELD_LOW);
        Words.put(out, at + 8, MESSAGE_FIELD_HIGH);
        length = at + MESSAGE_FIELD.length;
    }

    /** The quote that ends a message and the brace that ends its event. */
    private void appendEventEnd() {
        ensure(2);
        buf[length] = '"';
        buf[length + 1] = '}';
        length += 2;
    }

    private PutLogEventsBody end() {
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

    RequestBody requestBody() {
        byte[] b = buf;
        int n = length;
        return RequestBody.fromContentProvider(
                () -> new ByteArrayInputStream(b, 0, n), n, "application/x-amz-json-1.1");
    }

    /** A PutLogEventsRequest that carries this body (the SDK's own {@code logEvents} stay empty). */
    public PutLogEventsRequest request() {
        return PutLogEventsRequest.builder()
                .logGroupName(group)
                .logStreamName(stream)
                .overrideConfiguration(o -> o.putExecutionAttribute(BODY, this))
                .build();
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
     * step: a word is stored whole, and for each quote or backslash in it a backslash goes in front of it and the rest
     * of the word is stored again after that, with no branch per escape but the loop's (an EMF event has a quote
     * every few bytes). A word with a control character or a 4-byte character (both rare) is escaped byte by byte.
     * The last bytes (fewer than eight) are a word too when the array goes on past them (the next message in an
     * arena): read whole, their marks cut to the bytes that belong; only at the array's end are they escaped one by
     * one.
     */
    private void appendEscaped(byte[] utf8, int from, int to) {
        // room for the input still to write plus ROOM: a whole word stored past the end and one word's escapes
        ensure(to - from + ROOM);
        byte[] out = buf;
        int end = length;
        int i = from;
        while (true) {
            // the bytes of this word that belong to the input
            int n = to - i;
            if (n >= 8) {
                n = 8;
            } else if (n <= 0 || i + 8 > utf8.length) {
                break;
            }
            if (end + (to - i) + ROOM > out.length) {
                length = end;
                ensure(to - i + ROOM);
                out = buf;
            }
            long word = Words.at(utf8, i);
            long belongs = -1L >>> ((8 - n) << 3);
            if ((rareEscapes(word) & belongs) != 0) {
                length = end;
                i = appendEscapedBytes(utf8, i, i + n);
                out = buf;
                end = length;
                continue;
            }
            long marks = quotesAndBackslashes(word) & belongs;
            Words.put(out, end, word);
            // bytes of the word before the one marked last; the word's bytes from there on are stored at end
            int consumed = 0;
            while (marks != 0) {
                int at = Long.numberOfTrailingZeros(marks) >>> 3;
                end += at - consumed;
                out[end++] = '\\';
                Words.put(out, end, word >>> (at << 3));
                consumed = at;
                marks &= marks - 1;
            }
            end += n - consumed;
            i += n;
        }
        length = end;
        appendEscapedBytes(utf8, i, to);
    }

    /**
     * Appends the characters starting in {@code utf8[i, stop)} escaped, a byte at a time (a 4-byte character that
     * starts before {@code stop} is escaped whole); returns the index after the last.
     */
    private int appendEscapedBytes(byte[] utf8, int i, int stop) {
        byte[] out = buf;
        int end = length;
        for (; i < stop; i++) {
            int c = utf8[i];
            if (c >= 0 ? ESCAPE[c] == 0 : (c & 0xF8) != 0xF0) {
                if (end == out.length) {
                    length = end;
                    ensure(1 + (stop - i));
                    out = buf;
                }
                out[end++] = (byte) c;
                continue;
            }
            if (end + 12 + (stop - i) > out.length) {
                length = end;
                ensure(12 + (stop - i));
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
        return i;
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

    /** The high bit of each of the eight (little-endian) bytes of {@code x} that is a quote or a backslash. */
    private static long quotesAndBackslashes(long x) {
        return exactZeroBytes(x ^ QUOTES) | exactZeroBytes(x ^ BACKSLASHES);
    }

    /**
     * The high bit of each of the eight (little-endian) bytes of {@code x} that needs an escape other than a
     * backslash in front, exactly: a control character (below 0x20) or the lead byte of a 4-byte UTF-8 sequence
     * (0xF0–0xF7). Each byte is tested on its low seven bits, where adding cannot carry into the next byte.
     */
    private static long rareEscapes(long x) {
        long control = ~(((x & LOW_BITS) + CONTROL_CARRY) | x) & Words.HIGH_BITS;
        long fourByteLead = exactZeroBytes((x & FOUR_BYTE_LEAD_BITS) ^ FOUR_BYTE_LEADS);
        return control | fourByteLead;
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

    /**
     * Swaps a {@link PutLogEventsBody} attached to a request in as its HTTP content. Requests without one pass
     * through untouched.
     */
    public static final class Interceptor implements ExecutionInterceptor {
        @Override
        public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
            PutLogEventsBody body = attributes.getAttribute(BODY);
            if (body == null) {
                return context.httpRequest();
            }
            return context.httpRequest().toBuilder()
                    .putHeader("Content-Length", Integer.toString(body.length()))
                    .build();
        }

        @Override
        public Optional<RequestBody> modifyHttpContent(
                Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
            PutLogEventsBody body = attributes.getAttribute(BODY);
            if (body == null) {
                return context.requestBody();
            }
            SdkRequest request = context.request();
            if (!(request instanceof PutLogEventsRequest)
                    || ((PutLogEventsRequest) request).hasLogEvents()
                            && !((PutLogEventsRequest) request).logEvents().isEmpty()) {
                throw new IllegalStateException(
                        "a PutLogEventsBody belongs on a PutLogEventsRequest without logEvents, not on "
                                + request.getClass().getSimpleName());
            }
            return Optional.of(body.requestBody());
        }
    }
}
