package dev.kubelogs.job.sink.cloudwatch;

import dev.kubelogs.job.sink.cloudwatch.wire.Utf8;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One event inside a {@link CloudWatchLogsCommittable}: what is sent ({@code timestamp}, {@code message}) plus
 * where it came from ({@code sourceId}, {@code sourceOffset}; never sent, used for dead letters).
 *
 * <p>The message is held as its UTF-8 bytes: that is what the batch limits count, what the checkpoint stores and
 * what goes on the wire, and it is one object per buffered event instead of two (a String and its array).
 * {@link #message()} decodes it when a String is needed (the put, a read-back, a dead letter).
 */
public final class SinkEvent {
    private final long timestamp;
    private final byte[] utf8;
    private final String sourceId;
    private final long sourceOffset;

    /** {@code message} is stored as UTF-8; an unpaired surrogate in it becomes U+FFFD. */
    public SinkEvent(long timestamp, String message, String sourceId, long sourceOffset) {
        this(timestamp, Utf8.encode(Objects.requireNonNull(message, "message")), sourceId, sourceOffset);
    }

    /** With the message already as well-formed UTF-8 (kept, not copied). */
    SinkEvent(long timestamp, byte[] utf8, String sourceId, long sourceOffset) {
        this.timestamp = timestamp;
        this.utf8 = Objects.requireNonNull(utf8, "utf8");
        this.sourceId = sourceId;
        this.sourceOffset = sourceOffset;
    }

    public long timestamp() {
        return timestamp;
    }

    /** The message text (decoded from UTF-8 on every call). */
    public String message() {
        return new String(utf8, StandardCharsets.UTF_8);
    }

    /** The message as UTF-8; shared, do not modify. */
    public byte[] utf8() {
        return utf8;
    }

    public String sourceId() {
        return sourceId;
    }

    public long sourceOffset() {
        return sourceOffset;
    }

    public int utf8Length() {
        return utf8.length;
    }

    /** Bytes this event counts towards the 1,048,576-byte PutLogEvents budget: UTF-8 length + 26. */
    public long batchBytes() {
        return utf8.length + (long) BatchCutter.EVENT_OVERHEAD_BYTES;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SinkEvent)) {
            return false;
        }
        SinkEvent e = (SinkEvent) o;
        return timestamp == e.timestamp
                && sourceOffset == e.sourceOffset
                && Arrays.equals(utf8, e.utf8)
                && Objects.equals(sourceId, e.sourceId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(timestamp, Arrays.hashCode(utf8), sourceId, sourceOffset);
    }

    @Override
    public String toString() {
        String m = message();
        m = m.length() > 80 ? m.substring(0, 80) + "…(" + utf8.length + " bytes)" : m;
        return "@" + timestamp + " " + m;
    }
}
