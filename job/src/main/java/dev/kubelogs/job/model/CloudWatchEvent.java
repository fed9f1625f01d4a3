package dev.kubelogs.job.model;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One event bound for CloudWatch Logs: where it goes, when it happened and the JSON text that lands.
 *
 * <p>Serialized by {@link CloudWatchEventSerializer} (strings as UTF-8 bytes; see there), declared through
 * {@code @TypeInfo}. {@code sourceId}/{@code sourceOffset} name the first byte of the first line the event came from
 * (file identity and offset on the node); they never reach CloudWatch, they let tests and the
 * dead letter say exactly which input an event was. {@code ownerKey} is the key of the keyed stage that emitted the
 * event (its {@code cluster/node}): the sink's single-writer check hashes it to the subtask that must write the
 * event's log stream ({@code CloudWatchLogsSink.ownerKeySelector()}); null where nobody keyed the events.
 *
 * <p>Immutable: final fields, and {@link #messageUtf8} is never written after the event was made. Flink's copy between
 * chained operators (object reuse is off) is therefore the event itself ({@link CloudWatchEventSerializer#copy}), and
 * every consumer of one stream (the sink's writer) may keep it.
 */
@TypeInfo(CloudWatchEventTypeInfo.Factory.class)
public final class CloudWatchEvent {
    public final String logGroup;
    public final String logStream;
    /** Milliseconds since the epoch, as PutLogEvents wants it. */
    public final long timestamp;
    /** The event JSON exactly as it should land; null when the event carries it as {@link #messageUtf8}. */
    public final String message;
    /**
     * The event JSON as well-formed UTF-8, when it was written so (then {@link #message} is null); shared, not
     * copied, by everything that passes the event on: do not modify.
     */
    public final byte[] messageUtf8;

    public final String sourceId;
    public final long sourceOffset;
    public final String ownerKey;

    public CloudWatchEvent(String logGroup, String logStream, long timestamp, String message) {
        this(logGroup, logStream, timestamp, message, null, -1L);
    }

    public CloudWatchEvent(
            String logGroup, String logStream, long timestamp, String message, String sourceId, long sourceOffset) {
        this(logGroup, logStream, timestamp, message, sourceId, sourceOffset, null);
    }

    public CloudWatchEvent(
            String logGroup,
            String logStream,
            long timestamp,
            String message,
            String sourceId,
            long sourceOffset,
            String ownerKey) {
        this(logGroup, logStream, timestamp, message, null, sourceId, sourceOffset, ownerKey);
    }

    private CloudWatchEvent(
            String logGroup,
            String logStream,
            long timestamp,
            String message,
            byte[] messageUtf8,
            String sourceId,
            long sourceOffset,
            String ownerKey) {
        this.logGroup = logGroup;
        this.logStream = logStream;
        this.timestamp = timestamp;
        this.message = message;
        this.messageUtf8 = messageUtf8;
        this.sourceId = sourceId;
        this.sourceOffset = sourceOffset;
        this.ownerKey = ownerKey;
    }

    /** An event whose JSON is {@code messageUtf8}, well-formed UTF-8 (kept, not copied). */
    public static CloudWatchEvent ofUtf8(
            String logGroup,
            String logStream,
            long timestamp,
            byte[] messageUtf8,
            String sourceId,
            long sourceOffset,
            String ownerKey) {
        return new CloudWatchEvent(
                logGroup,
                logStream,
                timestamp,
                null,
                Objects.requireNonNull(messageUtf8, "messageUtf8"),
                sourceId,
                sourceOffset,
                ownerKey);
    }

    /**
     * What the serializer read: the JSON as {@code message} or as {@code messageUtf8} (exactly one of them, or
     * neither for an event without one).
     */
    static CloudWatchEvent read(
            String logGroup,
            String logStream,
            long timestamp,
            String message,
            byte[] messageUtf8,
            String sourceId,
            long sourceOffset,
            String ownerKey) {
        return new CloudWatchEvent(
                logGroup, logStream, timestamp, message, messageUtf8, sourceId, sourceOffset, ownerKey);
    }

    /** This event with {@code ownerKey} as its owner (the same message, shared). */
    public CloudWatchEvent withOwnerKey(String ownerKey) {
        return new CloudWatchEvent(
                logGroup, logStream, timestamp, message, messageUtf8, sourceId, sourceOffset, ownerKey);
    }

    /** The event JSON as text, in whichever form the event carries it (decoded from UTF-8 on every call). */
    public String message() {
        return message != null || messageUtf8 == null ? message : new String(messageUtf8, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CloudWatchEvent)) {
            return false;
        }
        CloudWatchEvent e = (CloudWatchEvent) o;
        return timestamp == e.timestamp
                && sourceOffset == e.sourceOffset
                && Objects.equals(logGroup, e.logGroup)
                && Objects.equals(logStream, e.logStream)
                && Objects.equals(message(), e.message())
                && Objects.equals(sourceId, e.sourceId)
                && Objects.equals(ownerKey, e.ownerKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(logGroup, logStream, timestamp, message(), sourceId, sourceOffset, ownerKey);
    }

    @Override
    public String toString() {
        return logGroup + " / " + logStream + " @" + timestamp + ": " + message();
    }
}
