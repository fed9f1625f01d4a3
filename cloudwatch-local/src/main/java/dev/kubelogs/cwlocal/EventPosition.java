package dev.kubelogs.cwlocal;

import java.util.List;

/** A position between events of a stream: events with key <= (timestamp, seq) lie before it. */
record EventPosition(long timestamp, long seq) implements Comparable<EventPosition> {
    static final EventPosition HEAD = new EventPosition(-1, 0);
    static final EventPosition TAIL = new EventPosition(Long.MAX_VALUE, Long.MAX_VALUE);

    /** The position right after an event. */
    static EventPosition after(Event e) {
        return new EventPosition(e.timestamp(), e.seq());
    }

    /** The position before the events of {@code timestamp} and later; HEAD when there is no such bound. */
    static EventPosition before(Long timestamp) {
        return timestamp == null ? HEAD : new EventPosition(timestamp - 1, Long.MAX_VALUE);
    }

    /** The later of two positions. */
    static EventPosition max(EventPosition a, EventPosition b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public int compareTo(EventPosition o) {
        int c = Long.compare(timestamp, o.timestamp);
        return c != 0 ? c : Long.compare(seq, o.seq);
    }

    /** Parses {@code timestamp/seq}, as {@link #cursor()} writes it; anything else is an invalid token. */
    static EventPosition parse(String s) {
        int slash = s.indexOf('/');
        try {
            return new EventPosition(Long.parseLong(s.substring(0, slash)), Long.parseLong(s.substring(slash + 1)));
        } catch (RuntimeException e) {
            throw PageTokens.invalid();
        }
    }

    /** The number of events before this position in a stream's sorted events. */
    int index(List<Event> events) {
        return LogStream.countAtOrBefore(events, timestamp, seq);
    }

    /** The position in a page token: {@code timestamp/seq}. */
    String cursor() {
        return timestamp + "/" + seq;
    }
}
