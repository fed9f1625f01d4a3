package dev.kubelogs.job.sink.cloudwatch;

import java.util.LinkedHashMap;
import java.util.Map;

/** One dead-lettered event with the reason; written as one JSON object (see {@link #toJsonMap()}). */
public final class DeadLetterRecord {
    public final DeadLetterReason reason;
    public final String detail;
    public final String logGroup;
    public final String logStream;
    public final long timestamp;
    public final String message;
    public final String sourceId;
    public final long sourceOffset;

    public DeadLetterRecord(
            DeadLetterReason reason,
            String detail,
            String logGroup,
            String logStream,
            long timestamp,
            String message,
            String sourceId,
            long sourceOffset) {
        this.reason = reason;
        this.detail = detail;
        this.logGroup = logGroup;
        this.logStream = logStream;
        this.timestamp = timestamp;
        this.message = message;
        this.sourceId = sourceId;
        this.sourceOffset = sourceOffset;
    }

    static DeadLetterRecord of(DeadLetterReason reason, String detail, String group, String stream, SinkEvent e) {
        return new DeadLetterRecord(
                reason, detail, group, stream, e.timestamp(), e.message(), e.sourceId(), e.sourceOffset());
    }

    /**
     * Field order of the JSON line: {@code reason, detail, logGroup, logStream, timestamp, message, sourceId,
     * sourceOffset, deadLetteredAt} (the last one is wall-clock ms when the record was written).
     */
    Map<String, Object> toJsonMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reason", reason.name());
        m.put("detail", detail);
        m.put("logGroup", logGroup);
        m.put("logStream", logStream);
        m.put("timestamp", timestamp);
        m.put("message", message);
        m.put("sourceId", sourceId);
        m.put("sourceOffset", sourceOffset);
        m.put("deadLetteredAt", System.currentTimeMillis());
        return m;
    }

    @Override
    public String toString() {
        return reason + " " + logGroup + "/" + logStream + " @" + timestamp + " (" + detail + ")";
    }
}
