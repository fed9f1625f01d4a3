package dev.kubelogs.bench;

import dev.kubelogs.spool.SpoolPaths;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The metrics bench's job in production's process topology: the shaded jar on a {@link ClusterBenchJob} at the
 * FlinkDeployment's settings ({@link ClusterRunSettings}), switched on as the deployment switches it on
 * ({@code --prometheus-config}), bounded by {@code --metrics-scrapes-per-target}. The exporters and the endpoint
 * (both in this JVM) are elsewhere; the bill is the TaskManagers' and the JobManager's whole CPU from /proc.
 *
 * <p>The logs branch runs too, as in the deployment, on a spool whose one node is sealed and empty, so it ends at once
 * and the job ends when the scrapes do. One job run is split in three: start-up (the processes' CPU from their start
 * until a target served its first scrape), warm-up (the first {@code warmupScrapes} scrapes of every target) and the
 * steady window (the rest), each reported apart.
 */
final class MetricsClusterRun {
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(60);
    private static final Duration METADATA_WAIT = Duration.ofSeconds(10);

    /** A reading of the bill: the cluster's CPU and the scrapes the targets served so far. */
    record Bill(long nanoTime, long wallMillis, ClusterCpu.Reading cpu, long served) {}

    /** What the cluster run measured on top of {@link MetricsBench.Result}. */
    static final class Windows {
        double startupCpuSeconds;
        long warmupSamples;
        double warmupCpuSeconds;
        double steadySeconds;
        double taskManagerCpuSeconds;
        double jobManagerCpuSeconds;
        double taskManagerPeakRssMb;
        List<String> settings;
    }

    private MetricsClusterRun() {}

    /**
     * Runs the job on a cluster under {@code spec.work()} for {@code warmupScrapes} + {@code spec.scrapes()} scrapes of
     * every target and fills {@code r} with the steady window's figures (samples, bill, CPU by thread group).
     */
    static Windows run(
            MetricsBench.Spec spec,
            int warmupScrapes,
            ClusterRunSettings cluster,
            Path repoRoot,
            Path config,
            MetricsTargets targets,
            URI endpoint,
            MetricsBench.Result r,
            PrintStream out)
            throws Exception {
        Windows w = new Windows();
        w.settings = new ArrayList<>(cluster.describe());
        List<String> args = new ArrayList<>(
                cluster.jobArgs(emptySealedSpool(spec.work()).toString(), endpoint.toString(), METADATA_WAIT, null));
        args.addAll(List.of(
                "--prometheus-config",
                config.toString(),
                "--metrics-scrapes-per-target",
                Integer.toString(warmupScrapes + spec.scrapes())));
        try (ClusterBenchJob job = ClusterBenchJob.start(repoRoot, spec.work().resolve("cluster"), cluster, args);
                CheckpointMonitor monitor = new CheckpointMonitor(
                        job.restPort(),
                        job.jobId(),
                        CheckpointMonitor.pollEveryFor(cluster.clusterSettings().checkpointInterval()))) {
            EndToEnd.say(
                    out,
                    "  job %s on a Flink cluster of its own processes (logs in %s): %s",
                    job.jobId(),
                    job.logDir(),
                    String.join("; ", w.settings));
            ClusterCpu cpu = new ClusterCpu(job.taskManagerPids(), job.jobManagerPid());
            CompletableFuture<Void> done = new CompletableFuture<>();
            AtomicReference<Bill> firstScrape = new AtomicReference<>();
            AtomicReference<Bill> steady = new AtomicReference<>();
            // per thread group the highest reading: a task thread's CPU is gone from /proc once the job ended it
            Map<String, Long> groupsWhileRunning = new java.util.concurrent.ConcurrentHashMap<>();
            long steadyAt = (long) spec.targets() * warmupScrapes;
            Thread sampler = BillSampler.start(
                    "bench-metrics-sampler",
                    () -> {
                        Bill b = bill(cpu, targets);
                        if (firstScrape.get() == null && b.served() > 0) {
                            firstScrape.set(b);
                        }
                        b.cpu().taskManagerGroups().forEach((k, v) -> groupsWhileRunning.merge(k, v, Math::max));
                        return b;
                    },
                    done,
                    b -> b.served() >= steadyAt,
                    steady);
            try {
                job.awaitFinished(JOB_TIMEOUT);
            } finally {
                done.complete(null);
                sampler.join();
            }
            Bill end = bill(cpu, targets);
            w.taskManagerPeakRssMb = cpu.taskManagerPeakRssMb();
            monitor.poll();
            r.checkpoints = monitor.completed().size();
            r.deltaStateBytes = MetricsBench.deltaStateBytes(monitor.completed());
            record(firstScrape.get(), steady.get(), groupsWhileRunning, end, r, w);
        }
        return w;
    }

    private static Bill bill(ClusterCpu cpu, MetricsTargets targets) {
        return new Bill(System.nanoTime(), System.currentTimeMillis(), cpu.read(), targets.servedTotal());
    }

    /**
     * The steady window's figures into {@code r} and the start-up and warm-up ones into {@code w}. A window whose
     * opening reading was never taken (the job ended first) starts where the one before it does. The CPU by thread
     * group is read up to {@code groupsWhileRunning}, each group's highest reading while the job ran: once it ended,
     * its task threads are gone and /proc counts them only in the process's total. Samples are those served until
     * the window's OK scrapes are known ({@link #countOkScrapes}). The JobManager's groups are those of the window, thread
     * by thread: it runs on after the job ended.
     */
    static void record(
            Bill first, Bill steady, Map<String, Long> groupsWhileRunning, Bill end, MetricsBench.Result r, Windows w) {
        Bill start = first != null ? first : end;
        Bill s = steady != null ? steady : start;
        w.startupCpuSeconds = start.cpu().totalNanos() / 1e9;
        w.warmupSamples = (s.served() - start.served()) * ExporterText.SERIES;
        w.warmupCpuSeconds = (s.cpu().totalNanos() - start.cpu().totalNanos()) / 1e9;
        r.samples = (end.served() - s.served()) * ExporterText.SERIES; // until the OK scrapes are counted
        r.seconds = (end.nanoTime() - s.nanoTime()) / 1e9;
        r.jobCpuSeconds = (end.cpu().totalNanos() - s.cpu().totalNanos()) / 1e9;
        r.samplesPerCpuSecond = r.samples / r.jobCpuSeconds;
        w.taskManagerCpuSeconds = (end.cpu().taskManagerNanos() - s.cpu().taskManagerNanos()) / 1e9;
        w.jobManagerCpuSeconds = (end.cpu().jobManagerNanos() - s.cpu().jobManagerNanos()) / 1e9;
        Map<String, Long> g0 = s.cpu().taskManagerGroups();
        Map<String, Long> g1 = new java.util.TreeMap<>(groupsWhileRunning);
        end.cpu().taskManagerGroups().forEach((k, v) -> g1.merge(k, v, Math::max));
        g1.remove(CpuGroups.ENDED);
        r.jitCpuSeconds = delta(g0, g1, "JVM: JIT");
        r.gcCpuSeconds = delta(g0, g1, "JVM: GC");
        r.jobCpuSecondsByGroup = CpuGroups.cpuSecondsByGroup(g0, g1, w.taskManagerCpuSeconds);
        // the JobManager outlives the job: its threads are all still there at the end
        r.jobManagerCpuSecondsByGroup =
                CpuGroups.cpuSecondsByGroup(Map.of(), end.cpu().jobManagerGroupsSince(s.cpu()), w.jobManagerCpuSeconds);
        r.steadyWindowStartMillis = s.wallMillis();
        r.steadySamples = r.samples;
        r.steadyJobCpuSeconds = r.jobCpuSeconds;
        r.steadySamplesPerCpuSecond = r.samplesPerCpuSecond;
        w.steadySeconds = r.seconds;
    }

    /**
     * Samples from the scrapes that left their events (each OK scrape stores one process-gauge event stamped with its
     * time): the warm-up's before the steady window opened, the window's after; the rates follow.
     */
    static void countOkScrapes(MetricsBench.Result r, Windows w) {
        long inWindow = r.processGaugeEventsInWindow;
        r.samples = inWindow * ExporterText.SERIES;
        r.samplesPerCpuSecond = r.samples / r.jobCpuSeconds;
        r.steadySamples = r.samples;
        r.steadySamplesPerCpuSecond = r.samplesPerCpuSecond;
        w.warmupSamples = (r.processGaugeEvents - inWindow) * ExporterText.SERIES;
    }

    private static double delta(Map<String, Long> start, Map<String, Long> end, String group) {
        return (end.getOrDefault(group, 0L) - start.getOrDefault(group, 0L)) / 1e9;
    }

    /** A spool with one node, sealed with no segments: the logs branch ends once it listed it. */
    static Path emptySealedSpool(Path work) throws java.io.IOException {
        Path spool = work.resolve("spool");
        Path node = Files.createDirectories(spool.resolve("bench").resolve("metrics-bench"));
        Files.writeString(node.resolve(SpoolPaths.SEALED), "");
        return spool;
    }

    static void print(MetricsBench.Spec spec, int warmupScrapes, MetricsBench.Result r, Windows w, PrintStream out) {
        out.printf(
                Locale.ROOT,
                "  %d targets × %,d series, %d + %d scrapes every %s: start-up %.1f CPU-s; warm-up (first %d scrapes "
                        + "of each target) %,d samples of OK scrapes, %.1f CPU-s = %,.0f samples per cpu-second%n",
                spec.targets(),
                ExporterText.SERIES,
                warmupScrapes,
                spec.scrapes(),
                spec.interval(),
                w.startupCpuSeconds,
                warmupScrapes,
                w.warmupSamples,
                w.warmupCpuSeconds,
                w.warmupSamples / w.warmupCpuSeconds);
        out.printf(
                Locale.ROOT,
                "  steady window: %,d samples of OK scrapes in %.1f s, whole bill %.1f CPU-s (TaskManagers %.1f incl. JIT %.1f, GC "
                        + "%.1f; JobManager %.1f) = %,.0f samples per cpu-second; TaskManager peak RSS %.0f MB "
                        + "(load %s → %s)%n",
                r.samples,
                r.seconds,
                r.jobCpuSeconds,
                w.taskManagerCpuSeconds,
                r.jitCpuSeconds,
                r.gcCpuSeconds,
                w.jobManagerCpuSeconds,
                r.samplesPerCpuSecond,
                w.taskManagerPeakRssMb,
                r.loadBefore,
                r.loadAfter);
    }
}
