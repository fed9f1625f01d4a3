package dev.kubelogs.cwlocal;

/**
 * A stored event. Streams keep events sorted by (timestamp, seq); seq is a store-wide ingestion counter, so
 * ties on timestamp keep ingestion order and (timestamp, seq) identifies an event. The message is {@code head}
 * followed by {@code tail}, an end shared with the stream's other events ({@link MessageTails}), or null.
 */
record Event(long timestamp, long ingestionTime, long seq, String head, String tail, int utf8Bytes) {

    /** An event whose message ends with the stream's shared tail, if it has it, stored without it. */
    static Event of(long timestamp, long ingestionTime, long seq, String message, int utf8Bytes, MessageTails tails) {
        String tail = tails.tailOf(message);
        String head = tail == null ? message : message.substring(0, message.length() - tail.length());
        return new Event(timestamp, ingestionTime, seq, head, tail, utf8Bytes);
    }

    /** Page-size accounting of the service: message bytes + 26 per event. */
    static final int OVERHEAD = 26;

    /** The most a page of GetLogEvents or FilterLogEvents holds, counted as {@link #pageBytes()}. */
    static final int MAX_PAGE_BYTES = 1_048_576;

    String message() {
        return tail == null ? head : head.concat(tail);
    }

    int pageBytes() {
        return utf8Bytes + OVERHEAD;
    }

    /** Compares this event's key with (timestamp, seq). */
    int compareKey(long ts, long sq) {
        int c = Long.compare(timestamp, ts);
        return c != 0 ? c : Long.compare(seq, sq);
    }

    StoredEvent toStored() {
        return new StoredEvent(timestamp, ingestionTime, message());
    }
}
