package dev.kubelogs.bench;

import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.cwlocal.LogGroupInfo;
import dev.kubelogs.cwlocal.LogStreamInfo;
import dev.kubelogs.cwlocal.StoredEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Matches what the endpoint stored against what the generator wrote, by content: every record carries
 * {@code kl=<node>.<source>.<seq>.<writeMillis>}; a record found 0 times is lost, found n &gt; 1 times is duplicated
 * (n − 1). Stack traces must arrive as one event with all their frames. Latency of each event is
 * {@code ingestionTime − writeMillis}.
 */
public final class DeliveryLedger {
    private final byte[][][] seen;
    private final long[][] expected;
    long events;
    long unknown;
    long lost;
    long duplicated;
    long brokenTraces;
    long deadLetters;
    long tracesChecked;
    /** writeMillis and latency of every matched event, in pairs. */
    final Stats.LongList writeMillis = new Stats.LongList();

    final Stats.LongList latencyMillis = new Stats.LongList();
    final Stats.LongList ingestMillis = new Stats.LongList();
    final TreeMap<String, Long> eventsByGroup = new TreeMap<>();
    final TreeMap<String, String> sampleByGroup = new TreeMap<>();
    final List<String> samplesOfUnknown = new ArrayList<>();
    /** Lost records per source name, and the first few lost tokens. */
    final TreeMap<String, Long> lostBySource = new TreeMap<>();

    final List<String> samplesOfLost = new ArrayList<>();
    private final List<String> sourceNames = new ArrayList<>();

    public DeliveryLedger(LoadGenerator gen) {
        this(gen.sources().stream().map(LoadGenerator.SourceSpec::name).toList(), expectedRecords(gen));
    }

    /** A ledger of {@code expected[node][source]} records, the sources named in order. */
    DeliveryLedger(List<String> sourceNames, long[][] expected) {
        this.expected = expected;
        this.sourceNames.addAll(sourceNames);
        seen = new byte[expected.length][][];
        for (int n = 0; n < expected.length; n++) {
            seen[n] = new byte[expected[n].length][];
            for (int s = 0; s < expected[n].length; s++) {
                seen[n][s] = new byte[Math.toIntExact(expected[n][s])];
            }
        }
    }

    private static long[][] expectedRecords(LoadGenerator gen) {
        long[][] expected = new long[gen.nodeCount()][gen.sources().size()];
        for (int n = 0; n < expected.length; n++) {
            for (int s = 0; s < expected[n].length; s++) {
                expected[n][s] = gen.records(n, s);
            }
        }
        return expected;
    }

    /**
     * What {@link #readAll} found: events read, lost and duplicated records, broken traces,
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

    public Counts counts() {
        return new Counts(events, lost, duplicated, brokenTraces, tracesChecked, unknown, deadLetters);
    }

    /**
     * The highest latency of the events the endpoint ingested in [fromMillis, toMillis],
     * or -1 when there were none.
     */
    public long maxLatencyIngestedBetween(long fromMillis, long toMillis) {
        long[] ingest = ingestMillis.raw();
        long[] latency = latencyMillis.raw();
        long max = -1;
        for (int i = 0; i < ingestMillis.size(); i++) {
            if (ingest[i] >= fromMillis && ingest[i] <= toMillis) {
                max = Math.max(max, latency[i]);
            }
        }
        return max;
    }

    /**
     * The highest latency, in seconds, of the events the endpoint ingested in each of {@code buckets} consecutive
     * windows of {@code bucketMillis} from {@code fromMillis}; NaN for a window without events.
     */
    public double[] maxLatencySecondsPerWindow(long fromMillis, long bucketMillis, int buckets) {
        double[] max = new double[buckets];
        java.util.Arrays.fill(max, Double.NaN);
        long[] ingest = ingestMillis.raw();
        long[] latency = latencyMillis.raw();
        for (int i = 0; i < ingestMillis.size(); i++) {
            long b = (ingest[i] - fromMillis) / bucketMillis;
            if (ingest[i] >= fromMillis && b < buckets) {
                double seconds = latency[i] / 1000.0;
                max[(int) b] = Double.isNaN(max[(int) b]) ? seconds : Math.max(max[(int) b], seconds);
            }
        }
        return max;
    }

    /** The first few lost records, as {@code kl=<node>.<source>.<seq>}. */
    public List<String> lostSamples() {
        return List.copyOf(samplesOfLost);
    }

    public long expectedRecords() {
        long n = 0;
        for (long[] e : expected) {
            for (long v : e) {
                n += v;
            }
        }
        return n;
    }

    /** Reads every stream of every group of the endpoint. */
    public void readAll(LocalCloudWatchLogs cw) {
        for (LogGroupInfo g : cw.logGroups()) {
            boolean deadLetter = g.name().endsWith("kubelogs-dead-letter");
            for (LogStreamInfo s : cw.logStreams(g.name())) {
                List<StoredEvent> list = cw.events(g.name(), s.name());
                eventsByGroup.merge(g.name(), (long) list.size(), Long::sum);
                if (deadLetter) {
                    // a generated record in the dead letter did not reach its group: not matched, so it counts as lost
                    deadLetters += list.size();
                    if (!list.isEmpty() && !sampleByGroup.containsKey(g.name())) {
                        String m = list.get(0).message();
                        sampleByGroup.put(g.name(), m.length() > 700 ? m.substring(0, 700) + "…" : m);
                    }
                    continue;
                }
                if (!list.isEmpty() && !sampleByGroup.containsKey(g.name())) {
                    String m = list.get(list.size() / 2).message();
                    sampleByGroup.put(g.name(), m.length() > 700 ? m.substring(0, 700) + "…" : m);
                }
                for (StoredEvent e : list) {
                    accept(e.message(), e.ingestionTime());
                }
            }
        }
        tally();
    }

    /** Counts every expected record seen no time as lost and every one seen n &gt; 1 times as n − 1 duplicates. */
    void tally() {
        for (int n = 0; n < seen.length; n++) {
            for (int s = 0; s < seen[n].length; s++) {
                for (int q = 0; q < seen[n][s].length; q++) {
                    byte b = seen[n][s][q];
                    if (b == 0) {
                        lost++;
                        lostBySource.merge(sourceNames.get(s), 1L, Long::sum);
                        if (samplesOfLost.size() < 10) {
                            samplesOfLost.add("kl=" + n + "." + s + "." + q);
                        }
                    } else if (b > 1) {
                        duplicated += b - 1;
                    }
                }
            }
        }
    }

    void accept(String message, long ingestionTime) {
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
        int node = (int) f[0];
        int source = (int) f[1];
        long seq = f[2];
        if (node >= seen.length || source >= seen[node].length || seq >= seen[node][source].length) {
            unknown(message);
            return;
        }
        byte[] b = seen[node][source];
        if (b[(int) seq] < Byte.MAX_VALUE) {
            b[(int) seq]++;
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
        writeMillis.add(f[3]);
        ingestMillis.add(ingestionTime);
        latencyMillis.add(ingestionTime - f[3]);
    }

    private void unknown(String message) {
        unknown++;
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
