package dev.kubelogs.job.model;

import java.util.Arrays;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * Events of one log stream that cross the network to the sink as one record: the metrics branch emits a few hundred
 * EMF events a second per target, each a few hundred bytes, and Flink's cost per record (channel selection by the
 * stream's key, serializer framing, the receiving task's input loop, the log group and stream written and decoded
 * again) was paid per event. A bundle carries the group and stream once and each event as its timestamp and its
 * message's well-formed UTF-8 bytes (kept, not copied: do not modify them).
 *
 * <p>Serialized by {@link CloudWatchEventBundleSerializer}; no state holds bundles.
 */
@TypeInfo(CloudWatchEventBundleSerializer.Factory.class)
public final class CloudWatchEventBundle {
    private final String logGroup;
    private final String logStream;
    private long[] timestamps;
    private byte[][] messages;
    private int size;
    private long messageBytes;

    public CloudWatchEventBundle(String logGroup, String logStream) {
        this(logGroup, logStream, 16);
    }

    CloudWatchEventBundle(String logGroup, String logStream, int capacity) {
        this.logGroup = Objects.requireNonNull(logGroup, "logGroup");
        this.logStream = Objects.requireNonNull(logStream, "logStream");
        this.timestamps = new long[Math.max(1, capacity)];
        this.messages = new byte[timestamps.length][];
    }

    public String logGroup() {
        return logGroup;
    }

    public String logStream() {
        return logStream;
    }

    /** Appends an event whose JSON is {@code messageUtf8}, well-formed UTF-8 (kept, not copied). */
    public void add(long timestamp, byte[] messageUtf8) {
        Objects.requireNonNull(messageUtf8, "messageUtf8");
        if (size == timestamps.length) {
            timestamps = Arrays.copyOf(timestamps, size * 2);
            messages = Arrays.copyOf(messages, size * 2);
        }
        timestamps[size] = timestamp;
        messages[size] = messageUtf8;
        size++;
        messageBytes += messageUtf8.length;
    }

    public int size() {
        return size;
    }

    /** The UTF-8 bytes of all messages together. */
    public long messageBytes() {
        return messageBytes;
    }

    public long timestamp(int i) {
        Objects.checkIndex(i, size);
        return timestamps[i];
    }

    public byte[] messageUtf8(int i) {
        Objects.checkIndex(i, size);
        return messages[i];
    }

    /** Event {@code i} as the sink takes one: this bundle's group and stream, no source or owner key. */
    public CloudWatchEvent event(int i) {
        return CloudWatchEvent.ofUtf8(logGroup, logStream, timestamp(i), messages[i], null, -1L, null);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CloudWatchEventBundle b)
                || size != b.size
                || !logGroup.equals(b.logGroup)
                || !logStream.equals(b.logStream)) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (timestamps[i] != b.timestamps[i] || !Arrays.equals(messages[i], b.messages[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(logGroup, logStream, size);
        for (int i = 0; i < size; i++) {
            h = 31 * h + Long.hashCode(timestamps[i]);
            h = 31 * h + Arrays.hashCode(messages[i]);
        }
        return h;
    }

    @Override
    public String toString() {
        return logGroup + " / " + logStream + ": " + size + " events, " + messageBytes + " bytes";
    }
}
