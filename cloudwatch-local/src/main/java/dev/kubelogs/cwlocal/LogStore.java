package dev.kubelogs.cwlocal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Groups, streams and events, with the PutLogEvents time rules (§1.1/§1.2 of the reference). Thread-safe:
 * creating and deleting groups/streams takes the structure write lock; everything else takes its read lock
 * plus, for one stream's events, that stream's monitor.
 */
final class LogStore implements AutoCloseable {
    static final long MAX_FUTURE_MS = 2L * 3600 * 1000;
    static final long MAX_PAST_MS = 14L * 24 * 3600 * 1000;
    static final long MAX_SPAN_MS = 24L * 3600 * 1000;
    static final long DAY_MS = 24L * 3600 * 1000;

    /** Outcome of a PutLogEvents whose request was valid; indexes are null when nothing was rejected so. */
    record PutResult(
            Integer tooNewLogEventStartIndex,
            Integer tooOldLogEventEndIndex,
            Integer expiredLogEventEndIndex,
            int stored) {}

    private final Clock clock;
    private final Persistence disk;
    private final ConcurrentSkipListMap<String, LogGroup> groups = new ConcurrentSkipListMap<>();
    private final ReentrantReadWriteLock structure = new ReentrantReadWriteLock();
    private final AtomicLong seq = new AtomicLong();
    private final StoredEventListener listener;
    /** How long a stored event stays readable after its ingestion; 0 = for ever. */
    private final long keepMillis;

    LogStore(Clock clock, Path dataDir, ObjectMapper mapper) throws IOException {
        this(clock, dataDir, mapper, null, 0);
    }

    /**
     * A store that hands what it stores to {@code listener} (if not null) and forgets events {@code keepMillis} after
     * their ingestion (if positive; in memory only: a data directory would bring them back).
     */
    LogStore(Clock clock, Path dataDir, ObjectMapper mapper, StoredEventListener listener, long keepMillis)
            throws IOException {
        if (keepMillis < 0 || (keepMillis > 0 && dataDir != null)) {
            throw new IllegalArgumentException(
                    "keepEventsFor needs an in-memory endpoint (a data directory keeps every event): " + keepMillis
                            + " ms with " + dataDir);
        }
        this.clock = clock;
        this.listener = listener;
        this.keepMillis = keepMillis;
        if (dataDir == null) {
            disk = null;
            return;
        }
        disk = new Persistence(dataDir, mapper);
        try {
            long[] maxSeq = new long[1];
            for (LogGroup g : disk.load(maxSeq)) {
                groups.put(g.name, g);
            }
            seq.set(maxSeq[0]);
        } catch (IOException | RuntimeException e) {
            disk.close();
            throw e;
        }
    }

    Clock clock() {
        return clock;
    }

    Path dataDir() {
        return disk == null ? null : disk.root();
    }

    // ---------------------------------------------------------------- structure

    void createLogGroup(String name, String logGroupClass) {
        write(() -> {
            if (groups.containsKey(name)) {
                throw ApiException.groupExists();
            }
            LogGroup g = new LogGroup(
                    name, clock.millis(), logGroupClass, null, disk == null ? null : Persistence.fileName(name));
            if (disk != null) {
                disk.createGroup(g);
            }
            groups.put(name, g);
            return null;
        });
    }

    void deleteLogGroup(String name) {
        write(() -> {
            LogGroup g = group(name);
            if (disk != null) {
                for (LogStream s : g.streams.values()) {
                    synchronized (s) {
                        disk.closeChannel(s);
                    }
                }
                disk.deleteGroup(g);
            }
            groups.remove(name);
            return null;
        });
    }

    void createLogStream(String groupName, String streamName) {
        write(() -> {
            LogGroup g = group(groupName);
            if (g.streams.containsKey(streamName)) {
                throw ApiException.streamExists();
            }
            LogStream s = new LogStream(
                    g, streamName, clock.millis(), disk == null ? null : Persistence.fileName(streamName));
            if (disk != null) {
                disk.createStream(s);
            }
            g.streams.put(streamName, s);
            return null;
        });
    }

    void deleteLogStream(String groupName, String streamName) {
        write(() -> {
            LogGroup g = group(groupName);
            LogStream s = stream(g, streamName);
            if (disk != null) {
                synchronized (s) {
                    disk.deleteStream(s);
                }
            }
            g.streams.remove(streamName);
            return null;
        });
    }

    void retention(String groupName, Integer days) {
        write(() -> {
            LogGroup g = group(groupName);
            g.retentionInDays(days);
            if (disk != null) {
                disk.writeGroupMeta(g);
            }
            return null;
        });
    }

    // ---------------------------------------------------------------- lookups (callers hold the read lock)

    LogGroup group(String name) {
        LogGroup g = groups.get(name);
        if (g == null) {
            throw ApiException.groupNotFound();
        }
        return g;
    }

    static LogStream stream(LogGroup g, String name) {
        LogStream s = g.streams.get(name);
        if (s == null) {
            throw ApiException.streamNotFound();
        }
        return s;
    }

    ConcurrentSkipListMap<String, LogGroup> groups() {
        return groups;
    }

    /** Runs a read-only action under the structure read lock. */
    <T> T read(Supplier<T> action) {
        Lock l = structure.readLock();
        l.lock();
        try {
            return action.get();
        } finally {
            l.unlock();
        }
    }

    private <T> T write(Supplier<T> action) {
        Lock l = structure.writeLock();
        l.lock();
        try {
            return action.get();
        } finally {
            l.unlock();
        }
    }

    // ---------------------------------------------------------------- PutLogEvents

    /**
     * Applies the time rules to a request whose shape, sizes and order were already validated, and stores the
     * accepted events. Timestamps must be non-decreasing, so too-old and expired events form a prefix and too-new
     * events a suffix.
     */
    PutResult put(String groupName, String streamName, long[] timestamps, String[] messages, int[] utf8Bytes) {
        return read(() -> {
            LogGroup g = group(groupName);
            LogStream s = stream(g, streamName);
            long now = clock.millis();
            int n = timestamps.length;

            int tooOldEnd = 0;
            while (tooOldEnd < n && timestamps[tooOldEnd] < now - MAX_PAST_MS) {
                tooOldEnd++;
            }
            int expiredEnd = tooOldEnd;
            Integer retention = g.retentionInDays();
            if (retention != null) {
                long cutoff = now - retention * DAY_MS;
                while (expiredEnd < n && timestamps[expiredEnd] < cutoff) {
                    expiredEnd++;
                }
            }
            int tooNewStart = n;
            while (tooNewStart > expiredEnd && timestamps[tooNewStart - 1] > now + MAX_FUTURE_MS) {
                tooNewStart--;
            }
            int accepted = tooNewStart - expiredEnd;
            if (accepted > 0 && timestamps[tooNewStart - 1] - timestamps[expiredEnd] > MAX_SPAN_MS) {
                throw ApiException.invalidParameter(
                        "The batch of log events in a single PutLogEvents request cannot span more than 24 hours.");
            }
            if (accepted > 0) {
                synchronized (s) {
                    long first = seq.getAndAdd(accepted) + 1;
                    List<Event> batch = new ArrayList<>(accepted);
                    for (int i = expiredEnd; i < tooNewStart; i++) {
                        batch.add(Event.of(
                                timestamps[i], now, first + (i - expiredEnd), messages[i], utf8Bytes[i], s.tails));
                    }
                    if (disk != null) {
                        try {
                            disk.append(s, batch);
                        } catch (IOException e) {
                            throw new UncheckedIOException("cannot append to log stream " + streamName, e);
                        }
                    }
                    s.insert(batch);
                    if (keepMillis > 0) {
                        s.forgetIngestedBefore(now - keepMillis);
                    }
                    if (listener != null) {
                        List<StoredEvent> stored = new ArrayList<>(accepted);
                        for (int i = expiredEnd; i < tooNewStart; i++) {
                            stored.add(new StoredEvent(timestamps[i], now, messages[i]));
                        }
                        listener.stored(groupName, streamName, stored);
                    }
                }
            }
            return new PutResult(
                    tooNewStart < n ? tooNewStart : null,
                    tooOldEnd > 0 ? tooOldEnd : null,
                    expiredEnd > tooOldEnd ? expiredEnd : null,
                    accepted);
        });
    }

    // ---------------------------------------------------------------- read API

    List<LogGroupInfo> groupInfos() {
        return read(() -> {
            List<LogGroupInfo> out = new ArrayList<>();
            for (LogGroup g : groups.values()) {
                out.add(g.info());
            }
            return out;
        });
    }

    List<LogStreamInfo> streamInfos(String groupName) {
        return read(() -> {
            Collection<LogStream> streams = group(groupName).streams.values();
            List<LogStreamInfo> out = new ArrayList<>(streams.size());
            for (LogStream s : streams) {
                out.add(s.info());
            }
            return out;
        });
    }

    List<StoredEvent> events(String groupName, String streamName) {
        return read(() -> stream(group(groupName), streamName).storedEvents());
    }

    @Override
    public void close() throws IOException {
        if (disk == null) {
            return;
        }
        write(() -> {
            for (LogGroup g : groups.values()) {
                for (LogStream s : g.streams.values()) {
                    synchronized (s) {
                        disk.closeChannel(s);
                    }
                }
            }
            return null;
        });
        disk.close();
    }
}
