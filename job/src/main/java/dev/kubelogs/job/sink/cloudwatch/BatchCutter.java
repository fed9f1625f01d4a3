package dev.kubelogs.job.sink.cloudwatch;

import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.sink.cloudwatch.wire.Utf8;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns events into PutLogEvents-sized batches, deterministically.
 *
 * <p><b>Per event</b> ({@link #prepare(CloudWatchEvent)}), before buffering:
 * <ul>
 *   <li>unpaired UTF-16 surrogates are replaced by U+FFFD (so what is buffered, checkpointed, sent and read
 *       back is the same text);
 *   <li>an empty (or null) message follows the {@link EmptyMessagePolicy};
 *   <li>a message whose UTF-8 size is over {@code maxEventBytes} (default and ceiling {@link #MAX_EVENT_BYTES}
 *       = 1,048,576 − 26, the largest message a request can carry alone) follows the
 *       {@link OversizeEventPolicy}; truncation keeps whole code points and appends
 *       {@link #truncationMarker(long)} so the result is at most {@code maxEventBytes};
 *   <li>a negative timestamp, or a group/stream name that CloudWatch would refuse, is dead-lettered.
 * </ul>
 *
 * <p><b>Per stream</b> ({@link #cut(List)}), at the barrier: stable sort by timestamp (equal timestamps keep
 * arrival order), then greedy cut into batches with at most {@link #MAX_EVENTS_PER_BATCH} events,
 * Σ(UTF-8 bytes + 26) ≤ {@link #MAX_BATCH_BYTES}, and {@code maxTs − minTs < 24 h}
 * ({@link #MAX_SPAN_MILLIS}). The result depends only on the events and their arrival order, not on the clock.
 */
public final class BatchCutter implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final int MAX_EVENTS_PER_BATCH = 10_000;
    public static final int MAX_BATCH_BYTES = 1_048_576;
    public static final int EVENT_OVERHEAD_BYTES = 26;
    public static final int MAX_EVENT_BYTES = MAX_BATCH_BYTES - EVENT_OVERHEAD_BYTES;
    /** A batch spans strictly less than this: {@code maxTs - minTs <= MAX_SPAN_MILLIS - 1}. */
    public static final long MAX_SPAN_MILLIS = 24L * 60 * 60 * 1000;

    public static final int MAX_NAME_LENGTH = 512;

    private static final Pattern GROUP_NAME = Pattern.compile("[._\\-/#A-Za-z0-9]+");

    private final int maxEventBytes;
    private final OversizeEventPolicy oversizePolicy;
    private final EmptyMessagePolicy emptyPolicy;
    private final String emptyReplacement;

    public BatchCutter(
            int maxEventBytes,
            OversizeEventPolicy oversizePolicy,
            EmptyMessagePolicy emptyPolicy,
            String emptyReplacement) {
        int minUseful = Utf8.length(truncationMarker(Integer.MAX_VALUE)) + 1;
        if (maxEventBytes < minUseful || maxEventBytes > MAX_EVENT_BYTES) {
            throw new IllegalArgumentException(
                    "maxEventBytes must be in [" + minUseful + ", " + MAX_EVENT_BYTES + "], got " + maxEventBytes);
        }
        if (emptyPolicy == EmptyMessagePolicy.REPLACE
                && (emptyReplacement == null
                        || emptyReplacement.isEmpty()
                        || Utf8.length(emptyReplacement) > maxEventBytes)) {
            throw new IllegalArgumentException(
                    "the empty-message replacement must be non-empty and fit the event size");
        }
        this.maxEventBytes = maxEventBytes;
        this.oversizePolicy = oversizePolicy;
        this.emptyPolicy = emptyPolicy;
        this.emptyReplacement = emptyReplacement;
    }

    /** Defaults: 1,048,550-byte events, truncate oversize, dead-letter empty messages. */
    public static BatchCutter defaults() {
        return new BatchCutter(
                MAX_EVENT_BYTES, OversizeEventPolicy.TRUNCATE, EmptyMessagePolicy.DEAD_LETTER, "(empty)");
    }

    /** The marker appended to a truncated message. */
    public static String truncationMarker(long originalBytes) {
        return " [kubelogs: truncated, original " + originalBytes + " bytes]";
    }

    public int maxEventBytes() {
        return maxEventBytes;
    }

    /** Outcome of {@link #prepare}: an event to buffer and/or a dead-letter reason. */
    public static final class Prepared {
        /** The event to buffer, or null if it must not be sent. */
        public final SinkEvent event;
        /** Non-null if the original must go to the dead letter. */
        public final DeadLetterReason deadLetter;
        /** Human-readable detail for the dead letter. */
        public final String detail;

        public final boolean truncated;
        /** The sanitised original message (for the dead letter); null for an event buffered as it came. */
        public final String originalMessage;

        Prepared(
                SinkEvent event,
                DeadLetterReason deadLetter,
                String detail,
                boolean truncated,
                String originalMessage) {
            this.event = event;
            this.deadLetter = deadLetter;
            this.detail = detail;
            this.truncated = truncated;
            this.originalMessage = originalMessage;
        }
    }

    /** Validates and normalises one event (see class doc). */
    public Prepared prepare(CloudWatchEvent in) {
        return prepare(in, targetProblem(in.logGroup, in.logStream), in.sourceId);
    }

    /**
     * As {@link #prepare(CloudWatchEvent)} with the target check already done ({@code targetProblem} is what
     * {@link #targetProblem} says for the event's group and stream): the writer checks each stream once, not
     * each event. {@code sourceId} equals {@code in.sourceId}; the writer passes one shared instance per source
     * so buffered events do not each hold their own copy.
     */
    Prepared prepare(CloudWatchEvent in, String targetProblem, String sourceId) {
        if (takesAsWritten(in, targetProblem)) {
            return new Prepared(
                    new SinkEvent(in.timestamp, in.messageUtf8, sourceId, in.sourceOffset), null, null, false, null);
        }
        String text = in.message();
        String message = text == null ? "" : text;
        byte[] utf8 = Utf8.encodeIfWellFormed(message);
        if (utf8 == null) {
            message = Utf8.sanitize(message);
            utf8 = message.getBytes(StandardCharsets.UTF_8);
        }
        if (targetProblem != null) {
            return new Prepared(null, DeadLetterReason.INVALID_TARGET, targetProblem, false, message);
        }
        if (in.timestamp < 0) {
            return new Prepared(
                    null, DeadLetterReason.INVALID_TIMESTAMP, "timestamp " + in.timestamp + " < 0", false, message);
        }
        if (message.isEmpty()) {
            if (emptyPolicy == EmptyMessagePolicy.DEAD_LETTER) {
                return new Prepared(
                        null, DeadLetterReason.EMPTY_MESSAGE, "CloudWatch Logs rejects empty messages", false, message);
            }
            return new Prepared(
                    new SinkEvent(in.timestamp, emptyReplacement, sourceId, in.sourceOffset),
                    null,
                    null,
                    false,
                    message);
        }
        if (utf8.length <= maxEventBytes) {
            return new Prepared(
                    new SinkEvent(in.timestamp, utf8, sourceId, in.sourceOffset), null, null, false, message);
        }
        String detail = "message is " + utf8.length + " bytes UTF-8, limit " + maxEventBytes;
        if (oversizePolicy == OversizeEventPolicy.DEAD_LETTER) {
            return new Prepared(null, DeadLetterReason.OVERSIZE, detail, false, message);
        }
        String marker = truncationMarker(utf8.length);
        String cut = Utf8.prefixWithin(message, maxEventBytes - Utf8.length(marker)) + marker;
        SinkEvent t = new SinkEvent(in.timestamp, cut, sourceId, in.sourceOffset);
        return new Prepared(
                t,
                oversizePolicy == OversizeEventPolicy.TRUNCATE_AND_DEAD_LETTER ? DeadLetterReason.TRUNCATED : null,
                detail,
                true,
                message);
    }

    /**
     * Whether {@link #prepare} buffers the event as it came, its {@code messageUtf8} unchanged: the keyed stage's events
     * come as well-formed UTF-8, within the limits, and then nothing is checked or encoded again (the writer appends
     * them without a {@link Prepared}). {@code targetProblem} as for {@link #prepare(CloudWatchEvent, String, String)}.
     */
    boolean takesAsWritten(CloudWatchEvent in, String targetProblem) {
        return in.message == null && targetProblem == null && takesAsWritten(in.timestamp, in.messageUtf8);
    }

    /** As {@link #takesAsWritten(CloudWatchEvent, String)} for an event of a valid stream given as UTF-8. */
    boolean takesAsWritten(long timestamp, byte[] messageUtf8) {
        return messageUtf8 != null && timestamp >= 0 && messageUtf8.length > 0 && messageUtf8.length <= maxEventBytes;
    }

    /** Null if CloudWatch accepts these names, else why not. */
    public static String targetProblem(String group, String stream) {
        if (group == null || group.isEmpty() || group.length() > MAX_NAME_LENGTH) {
            return "log group name must have 1.." + MAX_NAME_LENGTH + " characters: " + group;
        }
        if (!GROUP_NAME.matcher(group).matches()) {
            return "log group name must match [.-_/#A-Za-z0-9]+: " + group;
        }
        if (group.startsWith("aws/")) {
            return "log group name must not start with aws/: " + group;
        }
        if (stream == null || stream.isEmpty() || stream.length() > MAX_NAME_LENGTH) {
            return "log stream name must have 1.." + MAX_NAME_LENGTH + " characters: " + stream;
        }
        if (stream.indexOf(':') >= 0 || stream.indexOf('*') >= 0) {
            return "log stream name must not contain ':' or '*': " + stream;
        }
        return null;
    }

    /**
     * Stable-sorts {@code events} by timestamp and cuts them into batches within all PutLogEvents limits.
     * Every event must come from {@link #prepare} (so each fits alone).
     */
    public static List<List<SinkEvent>> cut(List<SinkEvent> events) {
        List<SinkEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingLong(SinkEvent::timestamp)); // List.sort is stable
        List<List<SinkEvent>> batches = new ArrayList<>();
        List<SinkEvent> current = new ArrayList<>();
        long bytes = 0;
        long minTs = 0;
        for (SinkEvent e : sorted) {
            long b = e.batchBytes();
            if (b > MAX_BATCH_BYTES) {
                throw new IllegalArgumentException("event of " + e.utf8Length() + " bytes cannot fit any batch");
            }
            if (!current.isEmpty()
                    && (current.size() >= MAX_EVENTS_PER_BATCH
                            || bytes + b > MAX_BATCH_BYTES
                            || e.timestamp() - minTs >= MAX_SPAN_MILLIS)) {
                batches.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            if (current.isEmpty()) {
                minTs = e.timestamp();
            }
            current.add(e);
            bytes += b;
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }
}
