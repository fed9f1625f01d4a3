package dev.kubelogs.bench;

import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.cwlocal.LogGroupInfo;
import dev.kubelogs.cwlocal.LogStreamInfo;
import dev.kubelogs.cwlocal.StoredEvent;
import dev.kubelogs.cwlocal.StoredEventListener;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics bench's delivery check, fed event by event as the endpoint stores them (or from a read-back of a store
 * that kept them): a 64-bit hash of each event's stream and message ({@link #fnv1a}), 8 bytes an event whatever its
 * size, and the timestamp of each process-gauge event (one per OK scrape of a target). {@link #tally} sorts the
 * hashes: an event whose hash is already there is a duplicate. An event is identified by its labels and timestamp,
 * both in its message, so the check is exact for every event of the run, not a sample of them.
 */
public final class MetricsLedger implements StoredEventListener {
    /** A field of the process gauges' group only: one event of each OK scrape of a target has it. */
    static final String PROCESS_GAUGE_FIELD = "\"go_goroutines\":";

    /** What the ledger keeps per stored event: its hash, twice while its array grows. */
    static final long BYTES_PER_EVENT = 16;

    static final long FNV_OFFSET = 0xcbf29ce484222325L;

    private static final String TIMESTAMP_FIELD = "\"Timestamp\":\"";

    private long[] hashes = new long[1 << 16];
    private int events;
    private long[] processGaugeHashes = new long[1 << 10];
    private long[] processGaugeTimestamps = new long[1 << 10];
    private int processGaugeEvents;
    private long messageChars;

    /** The counts of the run, read at its end. */
    public record Tally(
            long stored,
            long distinct,
            long duplicated,
            long processGaugeEvents,
            long processGaugeEventsFrom,
            double meanMessageChars) {}

    @Override
    public synchronized void stored(String logGroupName, String logStreamName, List<StoredEvent> stored) {
        long streamHash = fnv1a(fnv1a(FNV_OFFSET, logStreamName), "\n");
        for (StoredEvent e : stored) {
            String message = e.message();
            if (events == hashes.length) {
                hashes = Arrays.copyOf(hashes, hashes.length * 2);
            }
            long hash = fnv1a(streamHash, message);
            hashes[events++] = hash;
            messageChars += message.length();
            if (message.contains(PROCESS_GAUGE_FIELD)) {
                if (processGaugeEvents == processGaugeHashes.length) {
                    processGaugeHashes = Arrays.copyOf(processGaugeHashes, processGaugeEvents * 2);
                    processGaugeTimestamps = Arrays.copyOf(processGaugeTimestamps, processGaugeEvents * 2);
                }
                processGaugeHashes[processGaugeEvents] = hash;
                processGaugeTimestamps[processGaugeEvents++] = timestampOf(message);
            }
        }
    }

    /** Reads every stream of every group of an endpoint that kept its events. */
    public void readAll(LocalCloudWatchLogs cw) {
        for (LogGroupInfo g : cw.logGroups()) {
            for (LogStreamInfo s : cw.logStreams(g.name())) {
                stored(g.name(), s.name(), cw.events(g.name(), s.name()));
            }
        }
    }

    /**
     * The counts so far; a process-gauge event is an OK scrape once however often it was stored (its copies are
     * duplicated events), counted in the window when stamped at or after {@code windowStartMillis}.
     */
    public synchronized Tally tally(long windowStartMillis) {
        long[] sorted = Arrays.copyOf(hashes, events);
        Arrays.sort(sorted);
        long distinct = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                distinct++;
            }
        }
        Map<Long, Long> scrapes = new HashMap<>();
        for (int i = 0; i < processGaugeEvents; i++) {
            scrapes.put(processGaugeHashes[i], processGaugeTimestamps[i]);
        }
        long inWindow =
                scrapes.values().stream().filter(t -> t >= windowStartMillis).count();
        return new Tally(
                events,
                distinct,
                events - distinct,
                scrapes.size(),
                inWindow,
                events == 0 ? 0 : (double) messageChars / events);
    }

    /** The EMF event's {@code "Timestamp":"…"} (agent form), or -1. */
    static long timestampOf(String message) {
        int at = message.indexOf(TIMESTAMP_FIELD);
        if (at < 0) {
            return -1;
        }
        int from = at + TIMESTAMP_FIELD.length();
        int to = message.indexOf('"', from);
        return to < 0 ? -1 : Long.parseLong(message, from, to, 10);
    }

    /** FNV-1a over the UTF-16 units of {@code s}, continuing from {@code h}: no copy of the message. */
    static long fnv1a(long h, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            h ^= c & 0xff;
            h *= 0x100000001b3L;
            h ^= c >>> 8;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
