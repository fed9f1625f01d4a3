package dev.kubelogs.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything one end-to-end run measured; written to {@code results.json} field by field. */
public final class EndToEndResult {
    /** One second of the run. */
    public record Tick(
            double t,
            long written,
            long collected,
            long delivered,
            double jobCores,
            double collectorCores,
            double endpointCores,
            double generatorCores,
            double harnessRssMb,
            List<Double> collectorRssMb,
            double load1) {}

    public EndToEnd.Spec spec;
    public String error;
    public double genSeconds;
    public long linesWritten;
    public long bytesWritten;
    public long recordsExpected;
    public long traces;
    public long rotations;
    public long copytruncates;
    public long generatorMaxBacklog;
    public boolean collectorsCaughtUp = true;
    public double drainSeconds;
    public double windowSeconds;
    public double offeredLinesPerSec;
    public double collectedLinesPerSec;
    public double deliveredLinesPerSec;
    public double mbPerSec;
    public double jobCores;
    /** Of jobCores: the JVM's GC threads, which also collect the endpoint's in-memory store and the ledger. */
    public double gcCores;
    /**
     * Of jobCores: Java threads by name group and the JVM's native threads ("JVM: GC/JIT/RocksDB/VM"), largest
     * first; threads that ended in the window are missing.
     */
    public Map<String, Double> jobThreadCores = new LinkedHashMap<>();

    public double collectorCores;
    /** Of collectorCores: each collector's, in the order they were started (generated nodes, then idle ones). */
    public List<Double> collectorCoresEach = new ArrayList<>();

    public double endpointCores;
    public double generatorCores;
    public double linesPerSecPerCore;
    public double jobLinesPerSecPerCore;
    public double collectorLinesPerSecPerCore;
    public double collectorPeakRssMb;
    public double collectorSteadyRssMb;
    public double harnessPeakRssMb;
    public long events;
    public long lost;
    public long duplicated;
    public long unknown;
    public long brokenTraces;
    public long deadLetters;
    public long tracesChecked;
    public double p50 = Double.NaN;
    public double p95 = Double.NaN;
    public double p99 = Double.NaN;
    public double pMax = Double.NaN;
    public double p99LastThird = Double.NaN;
    public Map<String, Long> eventsByGroup = new LinkedHashMap<>();
    public Map<String, String> sampleEvents = new LinkedHashMap<>();
    public List<String> unknownSamples = new ArrayList<>();
    public Map<String, Long> lostBySource = new LinkedHashMap<>();
    public List<String> lostSamples = new ArrayList<>();
    public List<Tick> ticks = new ArrayList<>();
    /** Per second of write time: {t, p50, p95, p99, count}. */
    public List<double[]> latencyOverTime = new ArrayList<>();

    public List<CheckpointMonitor.Checkpoint> checkpoints = new ArrayList<>();
    public long checkpointsFailed;
    public List<String> checkpointFailures = new ArrayList<>();
    public String loadBefore;
    public String loadAfter;
    public double loadAvgDuring;
    /** Wall-clock bounds of the measured window (after warm-up, until the generator stopped). */
    public long windowStartMillis;

    public long windowEndMillis;

    public boolean clean() {
        return error == null && lost == 0 && duplicated == 0 && unknown == 0 && brokenTraces == 0 && deadLetters == 0;
    }
}
