package dev.kubelogs.job.sink.cloudwatch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The batches an earlier delivery of the same caller put into one stream (events and which of them were
 * dead-lettered instead), so that a read-back does not count their copies as the current batch's (an identical
 * line split across two batches is not taken as landed twice). Kept as references and only counted when a
 * read-back needs it, so the common path (no read-back) pays nothing per event. One ledger per stream and commit
 * call, used by one thread at a time.
 */
final class Ledger {
    private final List<EventArena> batches = new ArrayList<>();
    private final List<boolean[]> deadLettered = new ArrayList<>();

    /** Key for the read-back multiset: exact (timestamp, message). */
    static final class EventKey {
        final long timestamp;
        final String message;

        EventKey(long timestamp, String message) {
            this.timestamp = timestamp;
            this.message = message;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof EventKey
                    && ((EventKey) o).timestamp == timestamp
                    && ((EventKey) o).message.equals(message);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(timestamp) * 31 + message.hashCode();
        }
    }

    /** Records a delivered batch; {@code settled[i]} marks the events dead-lettered instead of stored. */
    void add(EventArena events, boolean[] settled) {
        batches.add(events);
        deadLettered.add(settled);
    }

    boolean isEmpty() {
        return batches.isEmpty();
    }

    /** Stored copies per exact (timestamp, message) with timestamp in [start, end). */
    Map<EventKey, Integer> countsWithin(long start, long end) {
        Map<EventKey, Integer> counts = new HashMap<>();
        for (int b = 0; b < batches.size(); b++) {
            List<SinkEvent> events = batches.get(b).events(); // decoded only for a read-back
            boolean[] settled = deadLettered.get(b);
            for (int i = 0; i < events.size(); i++) {
                SinkEvent e = events.get(i);
                if (!settled[i] && e.timestamp() >= start && e.timestamp() < end) {
                    counts.merge(new EventKey(e.timestamp(), e.message()), 1, Integer::sum);
                }
            }
        }
        return counts;
    }
}
