package dev.kubelogs.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * The latency of each matched event (its ingestion time − the write time in its token), kept as exact counts instead
 * of one entry per event, so a run of hundreds of millions of lines costs the same few megabytes per minute: the
 * percentiles after warm-up and over the last third of the measured time ({@link LatencyHistogram}), one histogram
 * per second of write time for the series, and the events ingested per millisecond ({@link IngestTimeline}) for the
 * delivered rate of any window and the highest latency of any ingestion interval.
 *
 * <p>The cuts are fixed before the first event: warm-up from the generator's start, and the last third from the
 * planned generation time (the generator stops on it to the tick).
 */
final class DeliveryLatency {
    private final LongSupplier genStartMillis;
    private final long warmupMillis;
    private final long lastThirdFromMillis;
    private final LatencyHistogram steady = new LatencyHistogram();
    private final LatencyHistogram lastThird = new LatencyHistogram();
    private final TreeMap<Long, LatencyHistogram> perSecond = new TreeMap<>();
    private final IngestTimeline ingested = new IngestTimeline();
    private long genStart = -1;

    /**
     * @param genStartMillis when the generator started, read at the first event (the generator sets it before it
     *     writes the first record)
     * @param warmupMillis the warm-up at the start of the generation time
     * @param plannedMillis the generation time, warm-up included
     */
    DeliveryLatency(LongSupplier genStartMillis, long warmupMillis, long plannedMillis) {
        this.genStartMillis = genStartMillis;
        this.warmupMillis = warmupMillis;
        this.lastThirdFromMillis = warmupMillis + (plannedMillis - warmupMillis) * 2 / 3;
    }

    /** One matched event, written at {@code writeMillis} and ingested at {@code ingestMillis}. */
    void add(long writeMillis, long ingestMillis) {
        if (genStart < 0) {
            genStart = genStartMillis.getAsLong();
            if (genStart <= 0) {
                throw new IllegalStateException("an event arrived before the generator started");
            }
        }
        long latency = ingestMillis - writeMillis;
        long sinceStart = writeMillis - genStart;
        if (sinceStart >= warmupMillis) {
            steady.add(latency);
            if (sinceStart >= lastThirdFromMillis) {
                lastThird.add(latency);
            }
        }
        perSecond
                .computeIfAbsent(sinceStart / 1000, k -> new LatencyHistogram())
                .add(latency);
        ingested.add(ingestMillis, latency);
    }

    /**
     * Percentiles over the events written after warm-up, the per-second series (warm-up included), and delivered
     * lines/s in the window [windowStartMillis, windowEndMillis) of ingestion time, scaled from events to lines by the
     * run's lines per record (a stack trace is one event of many lines).
     */
    void recordInto(EndToEndResult r, long windowStartMillis, long windowEndMillis) {
        r.p50 = steady.percentile(50);
        r.p95 = steady.percentile(95);
        r.p99 = steady.percentile(99);
        r.pMax = steady.max();
        r.p99LastThird = lastThird.percentile(99);
        for (Map.Entry<Long, LatencyHistogram> e : perSecond.entrySet()) {
            LatencyHistogram h = e.getValue();
            r.latencyOverTime.add(
                    new double[] {e.getKey(), h.percentile(50), h.percentile(95), h.percentile(99), h.count()});
        }
        if (!r.checkpoints.isEmpty()) {
            long[] completions = r.checkpoints.stream()
                    .mapToLong(c -> c.triggerMillis() + c.durationMillis())
                    .sorted()
                    .toArray();
            LatencyHistogram since = ingested.sinceNewest(completions, windowStartMillis, windowEndMillis);
            r.afterCheckpointP50 = since.percentile(50);
            r.afterCheckpointP99 = since.percentile(99);
        }
        double linesPerRecord = r.recordsExpected == 0 ? 1 : (double) r.linesWritten / r.recordsExpected;
        double window = (windowEndMillis - windowStartMillis) / 1000.0;
        r.deliveredLinesPerSec = window > 0
                ? ingested.countBetween(windowStartMillis, windowEndMillis) * linesPerRecord / window
                : Double.NaN;
    }

    /** The highest latency of the events ingested in [fromMillis, toMillis], or -1 when there were none. */
    long maxIngestedBetween(long fromMillis, long toMillis) {
        return ingested.maxLatencyBetween(fromMillis, toMillis);
    }

    /** The highest latency, in seconds, per window of ingestion time; NaN for a window without events. */
    double[] maxSecondsPerWindow(long fromMillis, long bucketMillis, int buckets) {
        return ingested.maxLatencySecondsPerWindow(fromMillis, bucketMillis, buckets);
    }
}
