package dev.kubelogs.cwlocal;

import static dev.kubelogs.cwlocal.RequestMembers.checkGroupName;
import static dev.kubelogs.cwlocal.RequestMembers.checkStreamName;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * PutLogEvents: the request streamed into arrays (a full batch is 10,000 events, too many for a tree), checked
 * against the service's batch rules (required members, count, sizes, chronological order), then stored; the
 * store decides which events are too new, too old or expired.
 */
final class PutLogEventsOperation implements Operations.Operation {
    static final int MAX_BATCH_BYTES = 1_048_576;
    static final int MAX_BATCH_EVENTS = 10_000;

    /** A parsed request; the arrays hold {@code count} events and may be longer. */
    private static final class Batch {
        String groupName;
        String streamName;
        boolean eventsPresent;
        int count;
        long[] timestamps = new long[16];
        boolean[] hasTimestamp = new boolean[16];
        String[] messages = new String[16];

        void grow() {
            timestamps = Arrays.copyOf(timestamps, count * 2);
            hasTimestamp = Arrays.copyOf(hasTimestamp, count * 2);
            messages = Arrays.copyOf(messages, count * 2);
        }
    }

    private final LogStore store;
    private final JsonBodies bodies;
    private final AtomicLong sequenceTokens = new AtomicLong();

    PutLogEventsOperation(LogStore store, JsonBodies bodies) {
        this.store = store;
        this.bodies = bodies;
    }

    @Override
    public byte[] apply(Operations.Call call) throws IOException {
        Batch b = parse(call.body());
        int[] bytes = validate(b);
        int n = b.count;
        LogStore.PutResult r = store.put(
                b.groupName, b.streamName, Arrays.copyOf(b.timestamps, n), Arrays.copyOf(b.messages, n), bytes);
        String sequenceToken = String.format("%056d", sequenceTokens.incrementAndGet());
        return bodies.write(g -> {
            g.writeStringField("nextSequenceToken", sequenceToken);
            if (r.tooNewLogEventStartIndex() != null
                    || r.tooOldLogEventEndIndex() != null
                    || r.expiredLogEventEndIndex() != null) {
                g.writeObjectFieldStart("rejectedLogEventsInfo");
                if (r.tooNewLogEventStartIndex() != null) {
                    g.writeNumberField("tooNewLogEventStartIndex", r.tooNewLogEventStartIndex());
                }
                if (r.tooOldLogEventEndIndex() != null) {
                    g.writeNumberField("tooOldLogEventEndIndex", r.tooOldLogEventEndIndex());
                }
                if (r.expiredLogEventEndIndex() != null) {
                    g.writeNumberField("expiredLogEventEndIndex", r.expiredLogEventEndIndex());
                }
                g.writeEndObject();
            }
        });
    }

    private Batch parse(byte[] body) throws IOException {
        Batch b = new Batch();
        try (JsonParser p = bodies.parser(body)) {
            JsonToken t = p.nextToken();
            if (t != null && t != JsonToken.START_OBJECT) {
                throw ApiException.serialization("Start of structure or map found where not expected.");
            }
            while (t != null && (t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "logGroupName" -> b.groupName = text(p, v, field);
                    case "logStreamName" -> b.streamName = text(p, v, field);
                    case "logEvents" -> parseEvents(p, v, b);
                    default -> p.skipChildren(); // sequenceToken (ignored by the service), entity
                }
            }
        } catch (JsonProcessingException e) {
            throw ApiException.serialization("Malformed JSON: " + e.getOriginalMessage());
        }
        return b;
    }

    private static void parseEvents(JsonParser p, JsonToken v, Batch b) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return;
        }
        if (v != JsonToken.START_ARRAY) {
            throw ApiException.serialization("Expected a list for logEvents");
        }
        b.eventsPresent = true;
        while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
            if (v != JsonToken.START_OBJECT) {
                throw ApiException.serialization("Expected a structure in logEvents");
            }
            if (b.count == b.timestamps.length) {
                b.grow();
            }
            int n = b.count;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String member = p.currentName();
                JsonToken ev = p.nextToken();
                if (member.equals("timestamp")) {
                    if (ev == JsonToken.VALUE_NUMBER_INT) {
                        b.timestamps[n] = p.getLongValue();
                        b.hasTimestamp[n] = true;
                    } else if (ev != JsonToken.VALUE_NULL) {
                        throw ApiException.serialization("Expected a long for timestamp");
                    }
                } else if (member.equals("message")) {
                    b.messages[n] = text(p, ev, member);
                } else {
                    p.skipChildren();
                }
            }
            b.count++;
        }
    }

    private static String text(JsonParser p, JsonToken v, String field) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (v != JsonToken.VALUE_STRING) {
            throw ApiException.serialization("Expected a string for " + field);
        }
        return p.getText();
    }

    /**
     * Checks the batch as the service does, in its order, and returns each message's UTF-8 size; messages that are
     * not valid UTF-16 are replaced by their sanitized form, as the service stores them.
     */
    private static int[] validate(Batch b) {
        if (b.groupName == null) {
            throw ApiException.constraint(null, "logGroupName", "Member must not be null");
        }
        checkGroupName(b.groupName, "logGroupName");
        if (b.streamName == null) {
            throw ApiException.constraint(null, "logStreamName", "Member must not be null");
        }
        checkStreamName(b.streamName, "logStreamName");
        if (!b.eventsPresent) {
            throw ApiException.constraint(null, "logEvents", "Member must not be null");
        }
        int n = b.count;
        if (n < 1) {
            throw ApiException.constraint("[]", "logEvents", "Member must have length greater than or equal to 1");
        }
        if (n > MAX_BATCH_EVENTS) {
            throw ApiException.constraint(
                    n + " events", "logEvents", "Member must have length less than or equal to " + MAX_BATCH_EVENTS);
        }
        long[] timestamps = b.timestamps;
        String[] messages = b.messages;
        int[] bytes = new int[n];
        long total = 0;
        for (int i = 0; i < n; i++) {
            String member = "logEvents." + (i + 1) + ".member.";
            if (!b.hasTimestamp[i]) {
                throw ApiException.constraint(null, member + "timestamp", "Member must not be null");
            }
            if (timestamps[i] < 0) {
                throw ApiException.constraint(
                        timestamps[i], member + "timestamp", "Member must have value greater than or equal to 0");
            }
            String m = messages[i];
            if (m == null) {
                throw ApiException.constraint(null, member + "message", "Member must not be null");
            }
            if (m.isEmpty()) {
                throw ApiException.constraint(
                        "", member + "message", "Member must have length greater than or equal to 1");
            }
            int size = Utf8Size.length(m);
            if (size < 0) {
                messages[i] = m = Utf8Size.sanitize(m);
                size = Utf8Size.length(m);
            }
            bytes[i] = size;
            long eventSize = (long) size + Event.OVERHEAD;
            if (eventSize > MAX_BATCH_BYTES) {
                throw ApiException.invalidParameter(
                        "Log event too large: " + eventSize + " bytes exceeds limit of " + MAX_BATCH_BYTES);
            }
            total += eventSize;
        }
        if (total > MAX_BATCH_BYTES) {
            throw ApiException.invalidParameter(
                    "Upload too large: " + total + " bytes exceeds limit of " + MAX_BATCH_BYTES);
        }
        for (int i = 1; i < n; i++) {
            if (timestamps[i] < timestamps[i - 1]) {
                throw ApiException.invalidParameter(
                        "Log events in a single PutLogEvents request must be in chronological order.");
            }
        }
        return bytes;
    }
}
