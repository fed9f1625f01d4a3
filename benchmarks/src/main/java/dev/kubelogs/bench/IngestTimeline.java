package dev.kubelogs.bench;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per millisecond of ingestion time: how many matched events the endpoint ingested and their highest latency, in pages
 * of one second allocated when first used. Exact answers to "how many were ingested in [from, to)" and "what was the
 * highest latency in [from, to]" at a cost that grows with the run's seconds, not with its events.
 */
final class IngestTimeline {
    private static final class Second {
        final int[] count = new int[1000];
        final long[] maxLatency = new long[1000];
    }

    private final TreeMap<Long, Second> seconds = new TreeMap<>();
    private long lastKey = Long.MIN_VALUE;
    private Second last;

    void add(long ingestMillis, long latencyMillis) {
        long key = Math.floorDiv(ingestMillis, 1000);
        if (key != lastKey) {
            last = seconds.computeIfAbsent(key, k -> {
                Second s = new Second();
                Arrays.fill(s.maxLatency, Long.MIN_VALUE);
                return s;
            });
            lastKey = key;
        }
        int ms = (int) Math.floorMod(ingestMillis, 1000);
        last.count[ms]++;
        last.maxLatency[ms] = Math.max(last.maxLatency[ms], latencyMillis);
    }

    /** Events ingested in [fromMillis, toMillis). */
    long countBetween(long fromMillis, long toMillis) {
        long n = 0;
        for (Map.Entry<Long, Second> e : window(fromMillis, toMillis - 1).entrySet()) {
            long base = e.getKey() * 1000;
            int[] count = e.getValue().count;
            for (int i = 0; i < 1000; i++) {
                if (base + i >= fromMillis && base + i < toMillis) {
                    n += count[i];
                }
            }
        }
        return n;
    }

    /** The highest latency of the events ingested in [fromMillis, toMillis], or -1 when there were none. */
    long maxLatencyBetween(long fromMillis, long toMillis) {
        long max = -1;
        for (Map.Entry<Long, Second> e : window(fromMillis, toMillis).entrySet()) {
            long base = e.getKey() * 1000;
            Second s = e.getValue();
            for (int i = 0; i < 1000; i++) {
                if (s.count[i] > 0 && base + i >= fromMillis && base + i <= toMillis) {
                    max = Math.max(max, s.maxLatency[i]);
                }
            }
        }
        return max;
    }

    /**
     * The highest latency, in seconds, of the events ingested in each of {@code buckets} consecutive windows of
     * {@code bucketMillis} from {@code fromMillis}; NaN for a window without events.
     */
    double[] maxLatencySecondsPerWindow(long fromMillis, long bucketMillis, int buckets) {
        double[] max = new double[buckets];
        Arrays.fill(max, Double.NaN);
        for (Map.Entry<Long, Second> e :
                seconds.tailMap(Math.floorDiv(fromMillis, 1000), true).entrySet()) {
            long base = e.getKey() * 1000;
            Second s = e.getValue();
            for (int i = 0; i < 1000; i++) {
                long ingest = base + i;
                if (s.count[i] == 0 || ingest < fromMillis) {
                    continue;
                }
                long b = (ingest - fromMillis) / bucketMillis;
                if (b < buckets) {
                    double seconds = s.maxLatency[i] / 1000.0;
                    max[(int) b] = Double.isNaN(max[(int) b]) ? seconds : Math.max(max[(int) b], seconds);
                }
            }
        }
        return max;
    }

    /**
     * For the events ingested in [fromMillis, toMillis): the time from the newest of {@code completionsMillis}
     * (ascending) at or before each event's ingestion to that ingestion; events before the first completion are left
     * out.
     */
    LatencyHistogram sinceNewest(long[] completionsMillis, long fromMillis, long toMillis) {
        LatencyHistogram since = new LatencyHistogram();
        for (Map.Entry<Long, Second> e : window(fromMillis, toMillis - 1).entrySet()) {
            long base = e.getKey() * 1000;
            int[] count = e.getValue().count;
            for (int i = 0; i < 1000; i++) {
                long ingest = base + i;
                if (count[i] == 0 || ingest < fromMillis || ingest >= toMillis) {
                    continue;
                }
                int at = Arrays.binarySearch(completionsMillis, ingest);
                int newest = at >= 0 ? at : -at - 2;
                if (newest >= 0) {
                    for (int k = 0; k < count[i]; k++) {
                        since.add(ingest - completionsMillis[newest]);
                    }
                }
            }
        }
        return since;
    }

    private Map<Long, Second> window(long fromMillis, long toMillisInclusive) {
        if (toMillisInclusive < fromMillis) {
            return Map.of();
        }
        return seconds.subMap(Math.floorDiv(fromMillis, 1000), true, Math.floorDiv(toMillisInclusive, 1000), true);
    }
}
