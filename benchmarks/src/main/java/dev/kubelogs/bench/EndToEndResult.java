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
    /** Where the job ran ({@link JobTopology}, as the option spells it). */
    public String jobTopology = JobTopology.MINICLUSTER.option();
    /** A cluster run's settings, each with where it came from (shipped or an option). */
    public List<String> settingsUsed = new ArrayList<>();
    /** How segments reached the job ({@link BenchTransport}, as the option spells it). */
    public String transport = BenchTransport.SPOOL.option();
    /** The local Kinesis server's CPU in the measured window, in cores: not the job's, so not in the bill. */
    public double kinesisServerCores = Double.NaN;
    /** The collectors' Kinesis PutRecord calls per second in the measured window (NaN: not over Kinesis). */
    public double kinesisPutsPerSecond = Double.NaN;
    /** Their payload, bytes per second. */
    public double kinesisPutBytesPerSecond = Double.NaN;
    /** Whether every collector answered both readings of its put counters. */
    public boolean kinesisPutsComplete;

    /** The checkpoint interval the job ran with (a cluster run: and where it came from). */
    public String checkpointIntervalUsed;

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
     * first. On a MiniCluster threads that ended in the window are missing; on a cluster they are one group,
     * "(threads that ended)", billed only what they used in the window.
     */
    public Map<String, Double> jobThreadCores = new LinkedHashMap<>();

    /** Of jobCores in a cluster run: the TaskManager processes' (all threads) and the JobManager's; NaN otherwise. */
    public double taskManagerCores = Double.NaN;
    /**
     * The JobManager's CPU by thread group in the measured window (on a cluster; empty on a MiniCluster), groups of at
     * least {@link #CLUSTER_GROUP_MIN_CORES}.
     */
    public Map<String, Double> jobManagerThreadCores = new LinkedHashMap<>();

    /**
     * The smallest thread group listed of a cluster's processes: at 10k lines/s their whole bill is about a tenth of a
     * core, most of it in groups of a few thousandths.
     */
    static final double CLUSTER_GROUP_MIN_CORES = 0.001;

    public double jobManagerCores = Double.NaN;
    public double taskManagerPeakRssMb = Double.NaN;
    /** CPU-seconds of a cluster's job processes before generation began: JVM start, registration, deployment. */
    public double startupCpuSeconds = Double.NaN;
    /** The warm-up, reported apart: its length, cores and lines written per CPU-second of job and collectors. */
    public double warmupSeconds;

    public double warmupJobCores = Double.NaN;
    public double warmupCollectorCores = Double.NaN;
    public double warmupLinesPerCpuSecond = Double.NaN;

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
    /**
     * Of the events ingested in the window, the time from the completion (trigger + duration, as the REST API gives
     * them) of the newest checkpoint before each one's ingestion: the commit's share of the latency.
     */
    public double afterCheckpointP50 = Double.NaN;

    public double afterCheckpointP99 = Double.NaN;
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

    boolean onCluster() {
        return JobTopology.CLUSTER.option().equals(jobTopology);
    }

    public boolean clean() {
        return error == null && lost == 0 && duplicated == 0 && unknown == 0 && brokenTraces == 0 && deadLetters == 0;
    }

    /** The collectors' puts in the measured window of {@code seconds}. */
    void recordKinesisPuts(KinesisPuts puts, double seconds) {
        kinesisPutsPerSecond = puts.records() / seconds;
        kinesisPutBytesPerSecond = puts.bytes() / seconds;
        kinesisPutsComplete = puts.complete();
    }
}
