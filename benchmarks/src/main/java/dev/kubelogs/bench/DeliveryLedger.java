package dev.kubelogs.bench;

import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.cwlocal.LogGroupInfo;
import dev.kubelogs.cwlocal.LogStreamInfo;
import dev.kubelogs.cwlocal.StoredEvent;
import dev.kubelogs.cwlocal.StoredEventListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * Matches what the endpoint stored against what the generator wrote, by content: every record carries
 * {@code kl=<node>.<source>.<seq>.<writeMillis>}; a record found 0 times is lost, found n &gt; 1 times is duplicated
 * (n − 1). Stack traces must arrive as one event with all their frames. Latency of each event is
 * {@code ingestionTime − writeMillis} ({@link DeliveryLatency}).
 *
 * <p>It takes the events as the endpoint stores them ({@link StoredEventListener}: a long run's events are never all
 * in memory) or reads them all back from an endpoint that kept them ({@link #readAll}); both go through the same
 * matching. What it keeps grows by one byte per generated record ({@link SeenRecords}) and a few kilobytes per second
 * of the run, not with the events' size. {@link #tally} ends it once the generator's counts are known; so an event
 * naming a record past those the generator wrote is unknown only then, and its latency, taken when it arrived, stays
 * in the percentiles (such a run is not clean whatever its latency).
 */
public final class DeliveryLedger implements StoredEventListener {
    private static final String DEAD_LETTER_SUFFIX = "kubelogs-dead-letter";

    private final SeenRecords seen;
    private final DeliveryLatency latency;
    long events;
    long unknown;
    long lost;
    long duplicated;
    long brokenTraces;
    long deadLetters;
    long tracesChecked;
    private long expectedRecords;
    final TreeMap<String, Long> eventsByGroup = new TreeMap<>();
    final TreeMap<String, String> sampleByGroup = new TreeMap<>();
    final List<String> samplesOfUnknown = new ArrayList<>();
    /** Lost records per source name, and the first few lost tokens. */
    final TreeMap<String, Long> lostBySource = new TreeMap<>();

    final List<String> samplesOfLost = new ArrayList<>();
    private final List<String> sourceNames;

    /**
     * A ledger for {@code nodes} nodes writing the named sources, taking sequence numbers below {@code bound[node][source]}
     * (anything from it on is an unknown event at once), with latency kept by {@code latency}.
     */
    DeliveryLedger(List<String> sourceNames, long[][] bound, DeliveryLatency latency) {
        this.sourceNames = List.copyOf(sourceNames);
        this.seen = new SeenRecords(bound);
        this.latency = latency;
    }

    /**
     * A ledger that takes a run's events as they arrive, before the generator's counts are known: each source of each
     * node may reach {@code maxRecordsPerSource} records.
     */
    public static DeliveryLedger live(
            LoadGenerator gen, long maxRecordsPerSource, long warmupMillis, long plannedMillis) {
        long[][] bound = new long[gen.nodeCount()][gen.sources().size()];
        for (long[] b : bound) {
            Arrays.fill(b, maxRecordsPerSource);
        }
        return new DeliveryLedger(
                sourceNames(gen), bound, new DeliveryLatency(gen::startMillis, warmupMillis, plannedMillis));
    }

    /** A ledger for a run that ended: its records are the generator's. */
    public static DeliveryLedger afterRun(LoadGenerator gen, long warmupMillis, long plannedMillis) {
        return new DeliveryLedger(
                sourceNames(gen),
                expectedRecords(gen),
                new DeliveryLatency(gen::startMillis, warmupMillis, plannedMillis));
    }

    private static List<String> sourceNames(LoadGenerator gen) {
        return gen.sources().stream().map(LoadGenerator.SourceSpec::name).toList();
    }

    /** The records the generator wrote, per node and source: the events expected at the endpoint. */
    public static long[][] expectedRecords(LoadGenerator gen) {
        long[][] expected = new long[gen.nodeCount()][gen.sources().size()];
        for (int n = 0; n < expected.length; n++) {
            for (int s = 0; s < expected[n].length; s++) {
                expected[n][s] = gen.records(n, s);
            }
        }
        return expected;
    }

    /** The sum of {@link #expectedRecords(LoadGenerator)}. */
    public static long totalExpectedRecords(LoadGenerator gen) {
        long n = 0;
        for (long[] e : expectedRecords(gen)) {
            for (long v : e) {
                n += v;
            }
        }
        return n;
    }

    /**
     * What {@link #tally} found: events read, lost and duplicated records, broken traces,
     * unknown and dead-lettered events.
     */
    public record Counts(
            long events,
            long lost,
            long duplicated,
            long brokenTraces,
            long tracesChecked,
            long unknown,
            long deadLetters) {
        public boolean clean() {
            return lost == 0 && duplicated == 0 && brokenTraces == 0 && unknown == 0 && deadLetters == 0;
        }
    }

    public synchronized Counts counts() {
        return new Counts(events, lost, duplicated, brokenTraces, tracesChecked, unknown, deadLetters);
    }

    DeliveryLatency latency() {
        return latency;
    }

    /**
     * The highest latency of the events the endpoint ingested in [fromMillis, toMillis],
     * or -1 when there were none.
     */
    public synchronized long maxLatencyIngestedBetween(long fromMillis, long toMillis) {
        return latency.maxIngestedBetween(fromMillis, toMillis);
    }

    /**
     * The highest latency, in seconds, of the events the endpoint ingested in each of {@code buckets} consecutive
     * windows of {@code bucketMillis} from {@code fromMillis}; NaN for a window without events.
     */
    public synchronized double[] maxLatencySecondsPerWindow(long fromMillis, long bucketMillis, int buckets) {
        return latency.maxSecondsPerWindow(fromMillis, bucketMillis, buckets);
    }

    /** The first few lost records, as {@code kl=<node>.<source>.<seq>}. */
    public synchronized List<String> lostSamples() {
        return List.copyOf(samplesOfLost);
    }

    /** The records {@link #tally} expected. */
    public synchronized long expectedRecords() {
        return expectedRecords;
    }

    /** Reads every stream of every group of an endpoint that kept its events. */
    public void readAll(LocalCloudWatchLogs cw) {
        for (LogGroupInfo g : cw.logGroups()) {
            for (LogStreamInfo s : cw.logStreams(g.name())) {
                stored(g.name(), s.name(), cw.events(g.name(), s.name()));
            }
        }
    }

    /** The events one put stored: called by the endpoint as it stores them, or by {@link #readAll}. */
    @Override
    public synchronized void stored(String logGroupName, String logStreamName, List<StoredEvent> stored) {
        long before = eventsByGroup.getOrDefault(logGroupName, 0L);
        eventsByGroup.put(logGroupName, before + stored.size());
        boolean deadLetter = logGroupName.endsWith(DEAD_LETTER_SUFFIX);
        for (int i = 0; i < stored.size(); i++) {
            String message = stored.get(i).message();
            long ordinal = before + i + 1;
            // the dead letter's first event; elsewhere one half-way in (the group's event at the last power of two),
            // past the run's start
            if (deadLetter ? ordinal == 1 : Long.bitCount(ordinal) == 1) {
                sampleByGroup.put(logGroupName, message.length() > 700 ? message.substring(0, 700) + "…" : message);
            }
            if (deadLetter) {
                // a generated record in the dead letter did not reach its group: not matched, so it counts as lost
                deadLetters++;
            } else {
                accept(message, stored.get(i).ingestionTime());
            }
        }
    }

    /**
     * Ends the ledger with the records the generator wrote: every one seen no time is lost, every one seen n &gt; 1
     * times is n − 1 duplicates, and a sighting past them is an unknown event.
     */
    public synchronized void tally(long[][] expected) {
        for (int n = 0; n < seen.nodes(); n++) {
            for (int s = 0; s < seen.sources(n); s++) {
                long records = n < expected.length && s < expected[n].length ? expected[n][s] : 0;
                expectedRecords += records;
                for (long q = 0; q < records; q++) {
                    long c = seen.count(n, s, q);
                    if (c == 0) {
                        lost++;
                        lostBySource.merge(sourceNames.get(s), 1L, Long::sum);
                        if (samplesOfLost.size() < 10) {
                            samplesOfLost.add("kl=" + n + "." + s + "." + q);
                        }
                    } else if (c > 1) {
                        duplicated += c - 1;
                    }
                }
                for (long q = records; q < seen.extent(n, s); q++) {
                    long c = seen.count(n, s, q);
                    if (c > 0) {
                        unknown += c;
                        unknownSample("kl=" + n + "." + s + "." + q + ": past the " + records + " records written");
                    }
                }
            }
        }
    }

    synchronized void accept(String message, long ingestionTime) {
        events++;
        int i = message.indexOf("kl=");
        if (i < 0) {
            unknown(message);
            return;
        }
        int p = i + 3;
        long[] f = new long[4];
        for (int k = 0; k < 4; k++) {
            long v = 0;
            int start = p;
            while (p < message.length() && Character.isDigit(message.charAt(p))) {
                v = v * 10 + (message.charAt(p) - '0');
                p++;
            }
            if (p == start || (k < 3 && (p >= message.length() || message.charAt(p) != '.'))) {
                unknown(message);
                return;
            }
            f[k] = v;
            p++;
        }
        if (f[0] > Integer.MAX_VALUE || f[1] > Integer.MAX_VALUE || !seen.see((int) f[0], (int) f[1], f[2])) {
            unknown(message);
            return;
        }
        if (message.startsWith(" frames=", p - 1)) {
            tracesChecked++;
            int q = p - 1 + " frames=".length();
            int frames = 0;
            while (q < message.length() && Character.isDigit(message.charAt(q))) {
                frames = frames * 10 + (message.charAt(q) - '0');
                q++;
            }
            if (count(message, "at com.example.bench.F") != frames) {
                brokenTraces++;
            }
        }
        latency.add(f[3], ingestionTime);
    }

    private void unknown(String message) {
        unknown++;
        unknownSample(message);
    }

    private void unknownSample(String message) {
        if (samplesOfUnknown.size() < 5) {
            samplesOfUnknown.add(message.length() > 300 ? message.substring(0, 300) + "…" : message);
        }
    }

    private static int count(String s, String needle) {
        int n = 0;
        int i = s.indexOf(needle);
        while (i >= 0) {
            n++;
            i = s.indexOf(needle, i + needle.length());
        }
        return n;
    }
}
