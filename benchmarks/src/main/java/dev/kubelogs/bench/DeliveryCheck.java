package dev.kubelogs.bench;

import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks what a run delivered against what it generated, by content ({@link DeliveryLedger}): lost, duplicated and unknown
 * events, broken stack traces, dead letters; then the latency percentiles and the delivered rate of the window.
 */
final class DeliveryCheck {
    private DeliveryCheck() {}

    /** Reads every event the endpoint stored and records the ledger's findings and latency into the result. */
    static void verify(
            EndToEndResult r, LoadGenerator gen, LocalCloudWatchLogs cw, long warmupMillis, SampleWindow window) {
        DeliveryLedger ledger = new DeliveryLedger(gen);
        r.recordsExpected = ledger.expectedRecords();
        ledger.readAll(cw);
        record(r, ledger, gen.startMillis(), warmupMillis, window);
    }

    /** The ledger's findings, latency and the rates derived from the delivered lines. */
    static void record(
            EndToEndResult r, DeliveryLedger ledger, long genStartMillis, long warmupMillis, SampleWindow window) {
        r.events = ledger.events;
        r.lost = ledger.lost;
        r.duplicated = ledger.duplicated;
        r.unknown = ledger.unknown;
        r.brokenTraces = ledger.brokenTraces;
        r.deadLetters = ledger.deadLetters;
        r.tracesChecked = ledger.tracesChecked;
        r.eventsByGroup = ledger.eventsByGroup;
        r.sampleEvents = ledger.sampleByGroup;
        r.unknownSamples = ledger.samplesOfUnknown;
        r.lostBySource = ledger.lostBySource;
        r.lostSamples = ledger.samplesOfLost;
        latency(
                r,
                toArray(ledger.writeMillis),
                toArray(ledger.latencyMillis),
                toArray(ledger.ingestMillis),
                genStartMillis,
                genStartMillis + warmupMillis,
                window.start().wallMillis(),
                window.end().wallMillis());
        double bytesPerLine = r.linesWritten == 0 ? 0 : (double) r.bytesWritten / r.linesWritten;
        r.mbPerSec = r.deliveredLinesPerSec * bytesPerLine / 1e6;
        double cores = r.jobCores + r.collectorCores;
        r.linesPerSecPerCore = cores > 0 ? r.deliveredLinesPerSec / cores : Double.NaN;
        r.jobLinesPerSecPerCore = r.jobCores > 0 ? r.deliveredLinesPerSec / r.jobCores : Double.NaN;
    }

    /**
     * Percentiles over the events written after warm-up, the per-second series, and delivered lines/s in the window,
     * from each matched event's write time, latency and ingestion time.
     */
    static void latency(
            EndToEndResult r,
            long[] write,
            long[] lat,
            long[] ingest,
            long genStartMillis,
            long warmupEndMillis,
            long windowStartMillis,
            long windowEndMillis) {
        Stats.LongList steady = new Stats.LongList();
        Stats.LongList lastThird = new Stats.LongList();
        long lastThirdFrom =
                warmupEndMillis + (long) ((r.genSeconds * 1000 - (warmupEndMillis - genStartMillis)) * 2 / 3);
        Map<Long, Stats.LongList> perSecond = new TreeMap<>();
        long deliveredInWindow = 0;
        for (int i = 0; i < write.length; i++) {
            if (write[i] >= warmupEndMillis) {
                steady.add(lat[i]);
                if (write[i] >= lastThirdFrom) {
                    lastThird.add(lat[i]);
                }
            }
            perSecond
                    .computeIfAbsent((write[i] - genStartMillis) / 1000, k -> new Stats.LongList())
                    .add(lat[i]);
            if (ingest[i] >= windowStartMillis && ingest[i] < windowEndMillis) {
                deliveredInWindow++;
            }
        }
        long[] s = steady.sorted();
        r.p50 = Stats.percentile(s, 50);
        r.p95 = Stats.percentile(s, 95);
        r.p99 = Stats.percentile(s, 99);
        r.pMax = Stats.max(s);
        r.p99LastThird = Stats.percentile(lastThird.sorted(), 99);
        for (Map.Entry<Long, Stats.LongList> e : perSecond.entrySet()) {
            long[] v = e.getValue().sorted();
            r.latencyOverTime.add(new double[] {
                e.getKey(), Stats.percentile(v, 50), Stats.percentile(v, 95), Stats.percentile(v, 99), v.length
            });
        }
        // events → lines: a stack trace is one event of many lines; scale by the run's lines per record
        double linesPerRecord = r.recordsExpected == 0 ? 1 : (double) r.linesWritten / r.recordsExpected;
        double window = (windowEndMillis - windowStartMillis) / 1000.0;
        r.deliveredLinesPerSec = window > 0 ? deliveredInWindow * linesPerRecord / window : Double.NaN;
    }

    private static long[] toArray(Stats.LongList l) {
        long[] s = new long[l.size()];
        System.arraycopy(l.raw(), 0, s, 0, s.length);
        return s;
    }
}
