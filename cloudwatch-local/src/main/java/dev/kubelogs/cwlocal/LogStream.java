package dev.kubelogs.cwlocal;

import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A log stream: events sorted by (timestamp, seq). All access goes through the stream's monitor; readers run
 * their page computation inside {@link #read(Function)}. Existence (create/delete) is guarded by the store's
 * structure lock, not here.
 */
final class LogStream {
    final LogGroup group;
    final String name;
    final long creationTime;
    /** File name stem under the group directory; null when the store is in memory. */
    final String fileStem;

    private final ArrayList<Event> events = new ArrayList<>();
    /** Guarded by this, as the events are. */
    final MessageTails tails = new MessageTails();

    private long storedBytes;
    private long lastIngestionTime = -1;
    /** Every event stored, kept or forgotten ({@link #forgetIngestedBefore}), and their timestamp range. */
    private long eventCount;

    private long firstTimestamp = Long.MAX_VALUE;
    private long lastTimestamp = Long.MIN_VALUE;
    /** The newest forgotten event's position; HEAD while none was forgotten. */
    private EventPosition forgotten = EventPosition.HEAD;
    /** Open append channel of the events file (persistent stores only), guarded by this. */
    FileChannel channel;

    LogStream(LogGroup group, String name, long creationTime, String fileStem) {
        this.group = group;
        this.name = name;
        this.creationTime = creationTime;
        this.fileStem = fileStem;
    }

    /**
     * Adds a batch sorted by (timestamp, seq) whose seqs are all larger than any stored one. Appends when the
     * batch starts at or after the newest stored timestamp, otherwise merges it into the tail it overlaps.
     */
    synchronized void insert(List<Event> batch) {
        if (batch.isEmpty()) {
            return;
        }
        Event first = batch.get(0);
        int size = events.size();
        if (size == 0 || events.get(size - 1).timestamp() <= first.timestamp()) {
            events.addAll(batch);
        } else {
            // stored events with timestamp <= first.timestamp stay in front (their seq is smaller)
            int from = countAtOrBefore(first.timestamp(), Long.MAX_VALUE);
            List<Event> tailView = events.subList(from, size);
            List<Event> tail = new ArrayList<>(tailView);
            tailView.clear();
            events.ensureCapacity(size + batch.size());
            int i = 0;
            int j = 0;
            while (i < tail.size() && j < batch.size()) {
                Event a = tail.get(i);
                Event b = batch.get(j);
                if (a.compareKey(b.timestamp(), b.seq()) <= 0) {
                    events.add(a);
                    i++;
                } else {
                    events.add(b);
                    j++;
                }
            }
            events.addAll(tail.subList(i, tail.size()));
            events.addAll(batch.subList(j, batch.size()));
        }
        for (Event e : batch) {
            storedBytes += e.utf8Bytes();
            lastIngestionTime = Math.max(lastIngestionTime, e.ingestionTime());
            firstTimestamp = Math.min(firstTimestamp, e.timestamp());
            lastTimestamp = Math.max(lastTimestamp, e.timestamp());
        }
        eventCount += batch.size();
    }

    /**
     * Forgets the oldest events (by timestamp, then seq) as long as they were ingested before {@code cutoffMillis}:
     * they stay counted, and a read that may reach them fails ({@link #read(EventPosition, Function)}). An event
     * behind a later-ingested one stays until that one is forgotten.
     */
    synchronized void forgetIngestedBefore(long cutoffMillis) {
        int n = 0;
        while (n < events.size() && events.get(n).ingestionTime() < cutoffMillis) {
            n++;
        }
        if (n == 0) {
            return;
        }
        EventPosition last = EventPosition.after(events.get(n - 1));
        if (last.compareTo(forgotten) > 0) {
            forgotten = last;
        }
        events.subList(0, n).clear();
    }

    /**
     * Runs a read of the events after {@code readsAfter} over the sorted events while holding the stream's monitor;
     * the list must not escape. A read that may reach a forgotten event fails: it would answer without events that
     * were stored, and a client that checks what is stored (the sink's read-back) would write them again.
     */
    synchronized <T> T read(EventPosition readsAfter, Function<List<Event>, T> reader) {
        if (readsAfter.compareTo(forgotten) < 0) {
            throw ApiException.invalidParameter("Events of log stream " + name + " up to " + forgotten.cursor()
                    + " are no longer kept: this endpoint forgets events a while after their ingestion (keepEventsFor)"
                    + "; read from a later startTime");
        }
        return reader.apply(events);
    }

    /** Every stored event in the service's order; fails when some were forgotten. */
    synchronized List<StoredEvent> storedEvents() {
        if (forgotten != EventPosition.HEAD) {
            throw new IllegalStateException("events of log stream " + name + " up to " + forgotten.cursor()
                    + " are no longer kept: the endpoint forgets events a while after their ingestion (keepEventsFor)");
        }
        List<StoredEvent> out = new ArrayList<>(events.size());
        for (Event e : events) {
            out.add(e.toStored());
        }
        return out;
    }

    synchronized LogStreamInfo info() {
        return new LogStreamInfo(
                group.name,
                name,
                creationTime,
                eventCount,
                storedBytes,
                eventCount == 0 ? null : firstTimestamp,
                eventCount == 0 ? null : lastTimestamp,
                lastIngestionTime < 0 ? null : lastIngestionTime);
    }

    /** Number of events whose key is <= (ts, seq); requires the monitor. */
    int countAtOrBefore(long ts, long seq) {
        return countAtOrBefore(events, ts, seq);
    }

    static int countAtOrBefore(List<Event> events, long ts, long seq) {
        int lo = 0;
        int hi = events.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (events.get(mid).compareKey(ts, seq) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Number of events whose timestamp is < ts. */
    static int countBefore(List<Event> events, long ts) {
        return ts == Long.MIN_VALUE ? 0 : countAtOrBefore(events, ts - 1, Long.MAX_VALUE);
    }
}
