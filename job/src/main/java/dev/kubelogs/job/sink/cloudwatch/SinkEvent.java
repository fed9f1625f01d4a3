package dev.kubelogs.job.sink.cloudwatch;

import java.util.Objects;

/**
 * One event inside a {@link CloudWatchLogsCommittable}: what is sent ({@code timestamp}, {@code message}) plus
 * where it came from ({@code sourceId}, {@code sourceOffset}; never sent, used for dead letters).
 * {@code utf8Length} is the UTF-8 size of the message (cached, not serialized).
 */
public final class SinkEvent {
    private final long timestamp;
    private final String message;
    private final String sourceId;
    private final long sourceOffset;
    private final int utf8Length;

    public SinkEvent(long timestamp, String message, String sourceId, long sourceOffset) {
        this(timestamp, message, sourceId, sourceOffset, Utf8.length(message));
    }

    /** With the UTF-8 length of {@code message} already known (it must be exact). */
    SinkEvent(long timestamp, String message, String sourceId, long sourceOffset, int utf8Length) {
        this.timestamp = timestamp;
        this.message = Objects.requireNonNull(message, "message");
        this.sourceId = sourceId;
        this.sourceOffset = sourceOffset;
        this.utf8Length = utf8Length;
    }

    public long timestamp() {
        return timestamp;
    }

    public String message() {
        return message;
    }

    public String sourceId() {
        return sourceId;
    }

    public long sourceOffset() {
        return sourceOffset;
    }

    public int utf8Length() {
        return utf8Length;
    }

    /** Bytes this event counts towards the 1,048,576-byte PutLogEvents budget: UTF-8 length + 26. */
    public long batchBytes() {
        return utf8Length + (long) BatchCutter.EVENT_OVERHEAD_BYTES;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SinkEvent)) {
            return false;
        }
        SinkEvent e = (SinkEvent) o;
        return timestamp == e.timestamp
                && sourceOffset == e.sourceOffset
                && message.equals(e.message)
                && Objects.equals(sourceId, e.sourceId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(timestamp, message, sourceId, sourceOffset);
    }

    @Override
    public String toString() {
        String m = message.length() > 80 ? message.substring(0, 80) + "…(" + utf8Length + " bytes)" : message;
        return "@" + timestamp + " " + m;
    }
}
