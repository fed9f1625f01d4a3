package dev.kubelogs.bench;

import dev.kubelogs.collector.local.LoopbackPorts;
import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.job.metrics.MetricsPipelines;
import dev.kubelogs.job.metrics.MetricsSetup;
import dev.kubelogs.job.metrics.source.ScrapeSourceConfigOptions;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The metrics pipeline end to end (issue 14): {@code targets} local exporters ({@link MetricsTargets}, 1,000 series
 * each) scraped {@code scrapes} times each by the job's metrics branch as {@code JobCommand} builds it
 * ({@link MetricsPipelines#create}: scrape ▶ parse ▶ relabel ▶ group ▶ delta ▶ EMF ▶ exactly-once sink) on a
 * MiniCluster with checkpoints, against the local endpoint in its own process ({@link EndpointProcess}).
 *
 * <p><b>Samples</b> are the scrapes the job counted OK ({@code metrics_scrape.scrapes_ok}, read through
 * {@link CounterCapture}) times {@link ExporterText#SERIES}; failed scrapes are reported. <b>The bill</b> is this JVM's
 * process CPU minus the Java threads of the targets, their HTTP dispatchers and the harness ({@link ThreadCpu}), from
 * job submission to job end; the steady-state bill runs from the scrape that makes {@code STEADY_FROM} of all to the
 * end (samples: those served in that window). <b>Events</b> go through a {@link MetricsLedger}: on a cluster as the
 * endpoint (in this JVM) stores them, on a MiniCluster from the store of the endpoint's own process, read back after
 * it stopped; expected = {@link ExporterText#eventsFor} over the OK scrapes (every target primes once); an event is
 * identified by its stream and message (labels and timestamp), so a repeated message is a duplicate. <b>State</b>: the delta vertex's share of the largest
 * completed checkpoint (REST), divided by the series it keeps a value for and by all series.
 */
public final class MetricsBench {
    static final double STEADY_FROM = 0.3;

    private static final Duration ENDPOINT_TIMEOUT = Duration.ofSeconds(60);

    private MetricsBench() {}

    public record Spec(
            int targets,
            int scrapes,
            Duration interval,
            int parallelism,
            Duration checkpointInterval,
            String stateBackend,
            Path work) {
        public Spec withScrapes(int n) {
            return new Spec(targets, n, interval, parallelism, checkpointInterval, stateBackend, work);
        }
    }

    public static final class Result {
        public long scrapes;
        public long scrapesFailed;
        public long scrapesServed;
        public long deltaGroupsOut;
        public long emfEvents;
        public long samples;
        public double seconds;
        public double jobCpuSeconds;
        public double samplesPerCpuSecond;
        public long steadySamples;
        public double steadyJobCpuSeconds;
        public double steadySamplesPerCpuSecond = Double.NaN;
        public double jitCpuSeconds;
        public double gcCpuSeconds;
        public double excludedCpuSeconds;
        public long expectedEvents;
        public long stored;
        public long distinct;
        public long lost;
        public long duplicated;
        public int checkpoints;
        public long deltaStateBytes;
        public long seriesWithState;
        public long seriesTotal;
        public Map<String, Double> jobCpuSecondsByGroup;
        /** On a cluster the JobManager's CPU-s by thread group in the measured window; empty otherwise. */
        public Map<String, Double> jobManagerCpuSecondsByGroup = Map.of();

        public String loadBefore;
        public String loadAfter;
        /** Stored events of the one group every OK scrape of a target makes (its process gauges). */
        public long processGaugeEvents;
        /** Those stamped at or after {@link #steadyWindowStartMillis}. */
        public long processGaugeEventsInWindow;
        /** When a cluster run's steady window opened (wall clock, ms); 0 otherwise. */
        public long steadyWindowStartMillis;
        /** Mean length of a stored event's message, in chars. */
        public double meanMessageChars;
    }

    private record Bill(
            long nanoTime, long jobCpuNanos, long excludedNanos, long jitNanos, long gcNanos, long served) {}

    /** Runs {@code spec} once to warm this JVM's JIT up (a long-running job is warm) and prints one line. */
    public static void warmUp(Spec spec, PrintStream out) throws Exception {
        Result r = measure(spec);
        out.printf(
                Locale.ROOT,
                "  warm-up (not a result): %,d samples, %.1f job CPU-s (JIT %.1f) = %,.0f samples per "
                        + "cpu-second; lost %d, duplicated %d%n",
                r.samples,
                r.jobCpuSeconds,
                r.jitCpuSeconds,
                r.samplesPerCpuSecond,
                r.lost,
                r.duplicated);
    }

    public static Result run(Spec spec, PrintStream out) throws Exception {
        Result r = measure(spec);
        print(spec, r, out);
        return r;
    }

    /**
     * Runs {@code spec} once in production's process topology ({@link MetricsClusterRun}): {@code warmupScrapes} of
     * every target, then {@code spec.scrapes()} measured, in one job; prints the windows.
     */
    static Result runOnCluster(Spec spec, int warmupScrapes, ClusterRunSettings cluster, Path repoRoot, PrintStream out)
            throws Exception {
        AtomicReference<MetricsClusterRun.Windows> windows = new AtomicReference<>();
        Result r = measureStreaming(
                spec,
                (config, targets, endpoint, result) -> windows.set(MetricsClusterRun.run(
                        spec, warmupScrapes, cluster, repoRoot, config, targets, endpoint, result, out)),
                out);
        // the job's own counters live in the cluster's processes: an OK scrape is one that left its events
        MetricsClusterRun.countOkScrapes(r, windows.get());
        r.scrapes = r.processGaugeEvents;
        r.scrapesFailed = r.scrapesServed - r.scrapes;
        r.expectedEvents = expectedEvents(r.scrapes, spec.targets());
        r.lost = r.expectedEvents - r.distinct;
        MetricsClusterRun.print(spec, warmupScrapes, r, windows.get(), out);
        printEventsAndState(spec, r, out);
        return r;
    }

    /** The job's part of a run: starts it against the targets and the endpoint, fills the result, returns at its end. */
    private interface JobRun {
        void run(Path config, MetricsTargets targets, URI endpoint, Result r) throws Exception;
    }

    private static Result measure(Spec spec) throws Exception {
        return measure(spec, (config, targets, endpoint, r) -> runJob(spec, config, targets, endpoint, r));
    }

    private static long expectedEvents(long scrapes, int targets) {
        return scrapes * ExporterText.GAUGE_GROUPS + (scrapes - targets) * ExporterText.PRIMING_GROUPS;
    }

    /**
     * A run against an endpoint in its own process that persists every event, read back into the ledger once it
     * stopped: its store's GC and JIT stay out of this JVM, whose CPU a MiniCluster run bills.
     */
    private static Result measure(Spec spec, JobRun jobRun) throws Exception {
        Result r = start(spec);
        Path data = spec.work().resolve("cloudwatch");
        MetricsLedger ledger = new MetricsLedger();
        try (MetricsTargets targets = new MetricsTargets(spec.targets());
                EndpointProcess endpoint =
                        EndpointProcess.start(data, spec.work().resolve("endpoint.log"), ENDPOINT_TIMEOUT)) {
            Path config = writeConfig(spec, targets.addresses());
            jobRun.run(config, targets, endpoint.endpoint(), r);
            r.scrapesServed = targets.servedTotal();
            endpoint.stop(ENDPOINT_TIMEOUT);
        }
        try (LocalCloudWatchLogs cw =
                LocalCloudWatchLogs.builder().dataDir(data).port(0).start()) {
            ledger.readAll(cw);
        }
        return finish(spec, ledger, r);
    }

    /**
     * A run against an endpoint in this JVM that hands each event to the ledger as it stores it and forgets it
     * {@link EndToEnd#ENDPOINT_KEEPS_EVENTS} later, so a run of any length fits the heap ({@link #checkHeap}): for a
     * cluster run, whose bill is the cluster's processes.
     */
    private static Result measureStreaming(Spec spec, JobRun jobRun, PrintStream out) throws Exception {
        Result r = start(spec);
        MetricsLedger ledger = new MetricsLedger();
        try (MetricsTargets targets = new MetricsTargets(spec.targets());
                LocalCloudWatchLogs cw = LocalCloudWatchLogs.builder()
                        .port(0)
                        .eventListener(ledger)
                        .keepEventsFor(EndToEnd.ENDPOINT_KEEPS_EVENTS)
                        .start()) {
            EndToEnd.say(
                    out,
                    "  endpoint %s in this JVM: each stored event is checked as it is stored, and kept %d s for the "
                            + "sink's read-backs",
                    cw.endpoint(),
                    EndToEnd.ENDPOINT_KEEPS_EVENTS.toSeconds());
            Path config = writeConfig(spec, targets.addresses());
            jobRun.run(config, targets, cw.endpoint(), r);
            r.scrapesServed = targets.servedTotal();
        }
        return finish(spec, ledger, r);
    }

    private static Result start(Spec spec) throws java.io.IOException {
        Result r = new Result();
        r.loadBefore = Proc.loadString();
        Dirs.deleteRecursively(spec.work());
        Files.createDirectories(spec.work());
        return r;
    }

    private static Result finish(Spec spec, MetricsLedger ledger, Result r) throws java.io.IOException {
        r.loadAfter = Proc.loadString();
        MetricsLedger.Tally t = ledger.tally(r.steadyWindowStartMillis);
        r.stored = t.stored();
        r.distinct = t.distinct();
        r.duplicated = t.duplicated();
        r.processGaugeEvents = t.processGaugeEvents();
        r.processGaugeEventsInWindow = t.processGaugeEventsFrom();
        r.meanMessageChars = t.meanMessageChars();
        r.expectedEvents = expectedEvents(r.scrapes, spec.targets());
        r.lost = r.expectedEvents - r.distinct;
        r.seriesTotal = (long) spec.targets() * ExporterText.SERIES;
        r.seriesWithState = (long) spec.targets() * ExporterText.COUNTER_LIKE_SERIES;
        Dirs.deleteRecursively(spec.work());
        // the next run's bill should not pay for collecting this run's verification
        System.gc();
        return r;
    }

    private static void runJob(Spec spec, Path config, MetricsTargets targets, URI endpoint, Result r)
            throws Exception {
        int rest = LoopbackPorts.pick();
        Configuration conf = new Configuration();
        CounterCapture.install(conf);
        CounterCapture.clear();
        StreamExecutionEnvironment env = BenchEnvironment.environment(
                spec.parallelism(), spec.checkpointInterval(), spec.stateBackend(), spec.work(), rest, conf);
        Configuration settings = new Configuration();
        settings.set(ScrapeSourceConfigOptions.SCRAPES_PER_TARGET, spec.scrapes());
        MetricsSetup setup = MetricsSetup.load(config.toString(), "bench", System::getenv);
        MetricsPipelines.create(settings, setup, BenchEnvironment.sink(endpoint))
                .build(env);

        ThreadCpu threadCpu = new ThreadCpu();
        Map<String, Long> groups0 = CpuGroups.jobCpuGroups(threadCpu);
        Bill start = bill(threadCpu, targets);
        long steadyAt = (long) (STEADY_FROM * spec.targets() * spec.scrapes());
        AtomicReference<Bill> steady = new AtomicReference<>();
        JobClient job = env.executeAsync("kubelogs-metrics-bench");
        try (CheckpointMonitor monitor =
                new CheckpointMonitor(rest, job.getJobID().toHexString())) {
            CompletableFuture<?> done = job.getJobExecutionResult();
            Thread sampler = BillSampler.start(
                    "bench-metrics-sampler", () -> bill(threadCpu, targets), done, b -> b.served() >= steadyAt, steady);
            done.get(30, TimeUnit.MINUTES);
            sampler.join();
            monitor.poll();
            List<CheckpointMonitor.Checkpoint> cps = monitor.completed();
            r.checkpoints = cps.size();
            r.deltaStateBytes = deltaStateBytes(cps);
        }
        Map<String, Long> groups1 = CpuGroups.jobCpuGroups(threadCpu);
        Bill end = bill(threadCpu, targets);
        r.scrapes = CounterCapture.total("metrics_scrape.scrapes_ok");
        r.scrapesFailed = end.served() - r.scrapes;
        r.deltaGroupsOut = CounterCapture.total("kubelogs.groupsOut");
        r.emfEvents = CounterCapture.total("kubelogs.emfEvents");
        r.samples = r.scrapes * ExporterText.SERIES;
        r.seconds = (end.nanoTime() - start.nanoTime()) / 1e9;
        r.jobCpuSeconds = (end.jobCpuNanos() - start.jobCpuNanos()) / 1e9;
        r.samplesPerCpuSecond = r.samples / r.jobCpuSeconds;
        r.jitCpuSeconds = (end.jitNanos() - start.jitNanos()) / 1e9;
        r.gcCpuSeconds = (end.gcNanos() - start.gcNanos()) / 1e9;
        r.excludedCpuSeconds = (end.excludedNanos() - start.excludedNanos()) / 1e9;
        r.jobCpuSecondsByGroup = CpuGroups.cpuSecondsByGroup(groups0, groups1, r.jobCpuSeconds);
        Bill s = steady.get();
        if (s != null) {
            r.steadySamples = (end.served() - s.served()) * ExporterText.SERIES;
            r.steadyJobCpuSeconds = (end.jobCpuNanos() - s.jobCpuNanos()) / 1e9;
            r.steadySamplesPerCpuSecond = r.steadySamples / r.steadyJobCpuSeconds;
        }
    }

    /** The largest delta-vertex state of the completed checkpoints (the vertex is named after its operators). */
    static long deltaStateBytes(List<CheckpointMonitor.Checkpoint> checkpoints) {
        long max = 0;
        for (CheckpointMonitor.Checkpoint c : checkpoints) {
            for (Map.Entry<String, Long> v : c.stateSizeByVertex().entrySet()) {
                if (v.getKey().contains("metrics-delta")) {
                    max = Math.max(max, v.getValue());
                }
            }
        }
        return max;
    }

    private static Bill bill(ThreadCpu threadCpu, MetricsTargets targets) {
        long excluded = 0;
        for (Map.Entry<String, Long> e : threadCpu.sample().entrySet()) {
            if (!"job".equals(e.getKey())) {
                excluded += e.getValue();
            }
        }
        long process = Proc.read(Proc.selfPid()).cpuNanos();
        Map<String, Long> jvm = Proc.nativeThreadCpuNanos(Proc.selfPid());
        return new Bill(
                System.nanoTime(),
                process - excluded,
                excluded,
                jvm.getOrDefault("JIT", 0L),
                jvm.getOrDefault("GC", 0L),
                targets.servedTotal());
    }

    /** The agent's two files: no metric declarations (every group becomes one event), one static target each. */
    static Path writeConfig(Spec spec, List<String> addresses) throws java.io.IOException {
        Path dir = spec.work().resolve("config");
        Files.createDirectories(dir);
        Files.writeString(
                dir.resolve(MetricsSetup.AGENT_FILE),
                "{\"logs\":{\"metrics_collected\":{\"prometheus\":{"
                        + "\"cluster_name\":\"bench\",\"prometheus_config_path\":\"prometheus.yaml\"}}}}\n");
        String seconds = spec.interval().toMillis() + "ms";
        StringBuilder y = new StringBuilder("global:\n  scrape_interval: " + seconds + "\n  scrape_timeout: " + seconds
                + "\nscrape_configs:\n- job_name: bench\n  static_configs:\n");
        for (int i = 0; i < addresses.size(); i++) {
            y.append(String.format(
                    Locale.ROOT,
                    "  - targets: ['%s']%n    labels: {Namespace: shop-%d, pod_name: "
                            + "orders-7d9c6b7f9d-%05d, container_name: orders, Service: orders-%d}%n",
                    addresses.get(i),
                    i % 10,
                    i,
                    i % 10));
        }
        Files.writeString(dir.resolve(MetricsSetup.PROMETHEUS_FILE), y.toString());
        return dir.resolve(MetricsSetup.AGENT_FILE);
    }

    private static void print(Spec spec, Result r, PrintStream out) {
        out.printf(
                Locale.ROOT,
                "  %d targets × %,d series × %d scrapes every %s, parallelism %d, %s, checkpoints every "
                        + "%s: %,d samples (%,d scrapes) in %.1f s with %.1f job CPU-s = %,.0f samples per cpu-second; "
                        + "steady state (from %.0f%% of the scrapes): %,.0f (%,d samples, %.1f CPU-s); JIT %.1f, GC %.1f "
                        + "CPU-s in the bill; not billed: targets + harness %.1f CPU-s (load %s → %s)%n",
                spec.targets(),
                ExporterText.SERIES,
                spec.scrapes(),
                spec.interval(),
                spec.parallelism(),
                spec.stateBackend(),
                spec.checkpointInterval(),
                r.samples,
                r.scrapes,
                r.seconds,
                r.jobCpuSeconds,
                r.samplesPerCpuSecond,
                STEADY_FROM * 100,
                r.steadySamplesPerCpuSecond,
                r.steadySamples,
                r.steadyJobCpuSeconds,
                r.jitCpuSeconds,
                r.gcCpuSeconds,
                r.excludedCpuSeconds,
                r.loadBefore,
                r.loadAfter);
        printEventsAndState(spec, r, out);
    }

    private static void printEventsAndState(Spec spec, Result r, PrintStream out) {
        String counted = r.deltaGroupsOut == 0 && r.emfEvents == 0
                ? "OK = with their events stored"
                : String.format(
                        Locale.ROOT, "delta groups out %,d, EMF stage events %,d", r.deltaGroupsOut, r.emfEvents);
        out.printf(
                Locale.ROOT,
                "  scrapes: %,d OK, %,d served but not OK (timeouts under load); EMF events: expected %,d (%s), "
                        + "stored %,d (%.0f chars each on average), distinct %,d: lost %d, duplicated %d; "
                        + "%d checkpoints%n",
                r.scrapes,
                r.scrapesFailed,
                r.expectedEvents,
                counted,
                r.stored,
                r.meanMessageChars,
                r.distinct,
                r.lost,
                r.duplicated,
                r.checkpoints);
        out.printf(
                Locale.ROOT,
                "  delta state (largest checkpoint, %s): %,d bytes = %.1f bytes per series with a "
                        + "previous value (%,d) = %.1f bytes per series scraped (%,d)%n",
                spec.stateBackend(),
                r.deltaStateBytes,
                (double) r.deltaStateBytes / r.seriesWithState,
                r.seriesWithState,
                (double) r.deltaStateBytes / r.seriesTotal,
                r.seriesTotal);
        out.println("  the job's CPU by thread group (the measured window; on a cluster the TaskManagers'): CPU-s");
        r.jobCpuSecondsByGroup.forEach((group, cpu) -> out.printf(Locale.ROOT, "    %7.2f  %s%n", cpu, group));
        if (!r.jobManagerCpuSecondsByGroup.isEmpty()) {
            out.println("  the JobManager's CPU by thread group (the measured window): CPU-s");
            r.jobManagerCpuSecondsByGroup.forEach(
                    (group, cpu) -> out.printf(Locale.ROOT, "    %7.2f  %s%n", cpu, group));
        }
        out.flush();
    }
}
