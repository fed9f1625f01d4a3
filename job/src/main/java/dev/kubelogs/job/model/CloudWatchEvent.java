package dev.kubelogs.job.model;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One event bound for CloudWatch Logs: where it goes, when it happened and the JSON text that lands.
 *
 * <p>Serialized by {@link CloudWatchEventSerializer} (strings as UTF-8 bytes; see there), declared through
 * {@code @TypeInfo}; still a POJO in shape (public no-arg constructor, public fields).
 * {@code sourceId}/{@code sourceOffset} name the first byte of the first line the event came from
 * (file identity and offset on the node); they never reach CloudWatch, they let tests and the
 * dead letter say exactly which input an event was. {@code ownerKey} is the key of the keyed stage that emitted the
 * event (its {@code cluster/node}): the sink's single-writer check hashes it to the subtask that must write the
 * event's log stream ({@code CloudWatchLogsSink.ownerKeySelector()}); null where nobody keyed the events.
 */
@TypeInfo(CloudWatchEventTypeInfo.Factory.class)
public class CloudWatchEvent {
    public String logGroup;
    public String logStream;
    /** Milliseconds since the epoch, as PutLogEvents wants it. */
    public long timestamp;
    /** The event JSON exactly as it should land; null when the event carries it as {@link #messageUtf8}. */
    public String message;
    /**
     * The event JSON as well-formed UTF-8, when it was written so (then {@link #message} is null); shared, not
     * copied, by everything that passes the event on: do not modify.
     */
    public byte[] messageUtf8;

    public String sourceId;
    public long sourceOffset;
    public String ownerKey;

    public CloudWatchEvent() {}

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
        this.logGroup = logGroup;
        this.logStream = logStream;
        this.timestamp = timestamp;
        this.message = message;
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
        CloudWatchEvent e = new CloudWatchEvent(logGroup, logStream, timestamp, null, sourceId, sourceOffset, ownerKey);
        e.messageUtf8 = Objects.requireNonNull(messageUtf8, "messageUtf8");
        return e;
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
