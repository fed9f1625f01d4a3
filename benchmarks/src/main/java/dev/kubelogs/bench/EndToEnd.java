package dev.kubelogs.bench;

import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.job.JobCommand;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.plugin.DefaultPluginManager;
import org.apache.flink.core.plugin.PluginConfig;
import org.apache.flink.core.plugin.PluginDescriptor;
import org.apache.flink.core.plugin.PluginManager;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;

/**
 * One end-to-end run: generated node logs → real collector processes → spool → the job on an embedded MiniCluster
 * (checkpointing on) → the local CloudWatch-Logs-compatible endpoint; then every stored event is matched back by
 * content. Also used without the job ({@code withJob=false}) to measure collectors alone at fixed rates.
 */
public final class EndToEnd {

    /** What to run. */
    public record Spec(
            String label,
            int nodes,
            double ratePerNode,
            Duration duration,
            Duration warmup,
            LineSizes sizes,
            double multilineShare,
            int minFrames,
            int maxFrames,
            Duration rotateEvery,
            Duration copytruncateEvery,
            LoadGenerator.HostMode hostMode,
            Duration checkpointInterval,
            Duration discoveryInterval,
            int parallelism,
            String stateBackend,
            CollectorProcess.JvmFlags collectorFlags,
            boolean withJob,
            Path workDir,
            long seed,
            Duration metadataWait,
            boolean kubelet,
            S3Run s3) {

        Spec withRate(double r, String newLabel, Path dir) {
            return withRun(newLabel, r, duration, warmup, sizes, dir);
        }

        /** This spec with another label, rate, timing, line sizes and work directory. */
        Spec withRun(
                String newLabel, double r, Duration newDuration, Duration newWarmup, LineSizes newSizes, Path dir) {
            return new Spec(
                    newLabel,
                    nodes,
                    r,
                    newDuration,
                    newWarmup,
                    newSizes,
                    multilineShare,
                    minFrames,
                    maxFrames,
                    rotateEvery,
                    copytruncateEvery,
                    hostMode,
                    checkpointInterval,
                    discoveryInterval,
                    parallelism,
                    stateBackend,
                    collectorFlags,
                    withJob,
                    dir,
                    seed,
                    metadataWait,
                    kubelet,
                    s3);
        }
    }

    /**
     * The spool on an S3-compatible endpoint instead of a local directory, as on EKS: collectors upload their segments
     * ({@code SPOOL_S3_URI}), the job reads, deletes and checkpoints through Flink's S3 file system.
     *
     * @param endpoint the endpoint's URL
     * @param spoolUri the collectors' {@code SPOOL_S3_URI} and the job's {@code --spool}
     * @param checkpointUri {@code execution.checkpointing.dir}
     * @param flinkConfig settings over the job's configuration (the deployment's checkpointing and state backend)
     * @param jobArgs the job's arguments besides {@code --spool}, {@code --cloudwatch-endpoint} and the bench's own
     * @param collectorEnv the collectors' environment over the bench's
     * @param idleNodes collectors with nothing to read, beside the generated nodes
     * @param fileSystemPlugin the jar of Flink's S3 file system, loaded as a plugin as on EKS
     */
    public record S3Run(
            String endpoint,
            String spoolUri,
            String checkpointUri,
            Map<String, String> flinkConfig,
            List<String> jobArgs,
            Map<String, String> collectorEnv,
            int idleNodes,
            Path fileSystemPlugin) {

        /** The file system settings (Flink's S3 plugin keys) that reach this endpoint with the bench's keys. */
        Configuration fileSystemConfig() {
            Configuration fs = new Configuration();
            fs.setString("s3.endpoint", endpoint);
            fs.setString("s3.path.style.access", "true");
            fs.setString("s3.access-key", CountingS3.ACCESS_KEY);
            fs.setString("s3.secret-key", CountingS3.SECRET_KEY);
            return fs;
        }
    }

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

    /** Everything measured. */
    public static final class Result {
        public Spec spec;
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
        public Map<String, Double> jobThreadCores = new java.util.LinkedHashMap<>();

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
            return error == null
                    && lost == 0
                    && duplicated == 0
                    && unknown == 0
                    && brokenTraces == 0
                    && deadLetters == 0;
        }
    }

    private EndToEnd() {}

    static String nodeName(int i) {
        return String.format(Locale.ROOT, "ip-10-0-%d-%d.us-west-2.compute.internal", 1 + i / 200, 10 + i % 200);
    }

    /**
     * Node names whose keys spread evenly over the keyed stage's subtasks (Flink's key-group assignment, max parallelism
     * 128), as they do on average in a cluster of many nodes. With 2 nodes and parallelism 2 the first two names would
     * both land on subtask 0, and one core would do all the keyed work (the keyed stage is single-threaded per node).
     */
    static List<String> balancedNodeNames(int nodes, int parallelism) {
        List<String> names = new ArrayList<>();
        int[] load = new int[Math.max(1, parallelism)];
        for (int i = 0; names.size() < nodes && i < 100_000; i++) {
            String name = nodeName(i);
            int subtask = org.apache.flink.runtime.state.KeyGroupRangeAssignment.assignKeyToParallelOperator(
                    "bench/" + name, 128, load.length);
            int min = java.util.Arrays.stream(load).min().orElse(0);
            if (load[subtask] == min) {
                load[subtask]++;
                names.add(name);
            }
        }
        return names;
    }

    public static Result run(Spec spec, Path repoRoot, PrintStream out) throws Exception {
        Result r = new Result();
        r.spec = spec;
        r.loadBefore = Proc.loadString();
        Path work = spec.workDir().toAbsolutePath().normalize();
        deleteRecursively(work);
        Path spool = Files.createDirectories(work.resolve("spool"));
        Path logs = Files.createDirectories(work.resolve("nodes"));
        Path collectorLogs = Files.createDirectories(work.resolve("collector-logs"));
        List<String> names = balancedNodeNames(spec.nodes(), spec.parallelism());
        LoadGenerator.Config gc = new LoadGenerator.Config(
                spec.nodes(),
                spec.ratePerNode(),
                spec.sizes(),
                spec.multilineShare(),
                spec.minFrames(),
                spec.maxFrames(),
                millis(spec.rotateEvery()),
                4, // kubelet's containerLogMaxFiles = 5: the live file and 4 rotated ones
                millis(spec.copytruncateEvery()),
                1500,
                spec.hostMode(),
                spec.seed());
        Path journalctl = fakeJournalctl(work);
        ThreadCpu threadCpu = new ThreadCpu();
        List<CollectorProcess> collectors = new ArrayList<>();
        List<FakeKubelet> kubelets = new ArrayList<>();
        JobClient job = null;
        CheckpointMonitor monitor = null;
        try (LocalCloudWatchLogs cw = LocalCloudWatchLogs.builder().port(0).start();
                LoadGenerator gen = new LoadGenerator(logs, names, gc)) {
            for (int i = 0; i < spec.nodes(); i++) {
                Map<String, String> env = new LinkedHashMap<>();
                env.put("CLUSTER_NAME", "bench");
                env.put("HOST_NAME", names.get(i));
                env.put("LOG_ROOT", gen.logRoot(i).toString());
                env.put("SPOOL_DIR", spool.toString());
                env.put("STATE_DIR", work.resolve("state").resolve(names.get(i)).toString());
                env.put("HOST_LOGS", spec.hostMode().name().toLowerCase(Locale.ROOT));
                env.put("JOURNAL_DIR", gen.journalDir(i).toString());
                env.put("JOURNALCTL", journalctl.toString());
                env.put(
                        "NODE_ATTRIBUTES",
                        "az=us-west-2a,ec2_instance_id=i-0"
                                + LoadGenerator.sha256Hex(names.get(i)).substring(0, 16));
                if (spec.kubelet()) {
                    FakeKubelet k = new FakeKubelet(
                            FakeKubelet.Material.generate(work.getParent().resolve("kubelet-tls")), gen.podsJson(i));
                    kubelets.add(k);
                    env.put("USE_KUBELET", "On");
                    env.put("KUBELET_HOST", "127.0.0.1");
                    env.put("KUBELET_PORT", Integer.toString(k.port()));
                    env.put("KUBELET_TOKEN_FILE", k.tokenFile().toString());
                    env.put("KUBELET_CA_FILE", k.caFile().toString());
                }
                if (spec.s3() != null) {
                    env.putAll(s3Env(spec.s3()));
                }
                collectors.add(CollectorProcess.start(
                        repoRoot, spec.collectorFlags(), env, collectorLogs.resolve(names.get(i) + ".log")));
            }
            for (int i = 0; spec.s3() != null && i < spec.s3().idleNodes(); i++) {
                collectors.add(idleCollector(spec, repoRoot, work, spool, collectorLogs, i));
            }
            for (CollectorProcess c : collectors) {
                c.awaitUp(Duration.ofSeconds(60));
            }
            int restPort = CollectorProcess.freePort();
            if (spec.withJob()) {
                job = startJob(spec, spool, cw, work, restPort);
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (job.getJobStatus().get() != JobStatus.RUNNING) {
                    if (System.nanoTime() > until) {
                        throw new IllegalStateException("job did not reach RUNNING");
                    }
                    Thread.sleep(50);
                }
                monitor = new CheckpointMonitor(restPort, job.getJobID().toHexString());
                say(
                        out,
                        "  job %s running (parallelism %d, checkpoints every %s, state backend %s)",
                        job.getJobID(),
                        spec.parallelism(),
                        spec.checkpointInterval(),
                        spec.stateBackend());
            }

            // ---- without a job, something must consume the spool: delete published segments like the job would
            Thread janitor = null;
            if (!spec.withJob()) {
                janitor = new Thread(() -> consumeSpool(spool), "bench-janitor");
                janitor.setDaemon(true);
                janitor.start();
            }

            // ---- generate, sampling every second
            Sampler sampler = new Sampler(gen, collectors, cw, threadCpu, spec.withJob());
            Thread genThread = new Thread(
                    () -> {
                        try {
                            gen.run(spec.duration().toMillis());
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    },
                    "bench-generator");
            long genStart = System.nanoTime();
            sampler.start();
            genThread.start();
            long warmupEnd = genStart + spec.warmup().toNanos();
            Sampler.Point windowStart = null;
            Map<String, Long> groupsAtStart = null;
            while (genThread.isAlive()) {
                genThread.join(200);
                if (windowStart == null && System.nanoTime() >= warmupEnd) {
                    windowStart = sampler.point();
                    groupsAtStart = jobCpuGroups(threadCpu);
                }
            }
            long genEnd = System.nanoTime();
            Sampler.Point windowEnd = sampler.point();
            r.windowStartMillis = windowStart == null ? 0 : windowStart.wallMillis();
            r.windowEndMillis = windowEnd.wallMillis();
            if (groupsAtStart != null) {
                r.jobThreadCores = coresByGroup(
                        groupsAtStart, jobCpuGroups(threadCpu), (windowEnd.nanos() - windowStart.nanos()) / 1e9);
                r.gcCores = r.jobThreadCores.getOrDefault("JVM: GC", 0.0);
            }
            if (windowStart == null) {
                windowStart = sampler.first();
            }
            r.genSeconds = (genEnd - genStart) / 1e9;
            r.linesWritten = gen.totalLines();
            r.bytesWritten = gen.totalBytes();
            r.traces = gen.traces();
            r.rotations = gen.rotations();
            r.copytruncates = gen.copytruncates();
            r.generatorMaxBacklog = gen.maxBacklogLines();
            say(
                    out,
                    "  generated %,d lines (%.1f MB) in %.1f s; waiting for the collectors to read everything…",
                    r.linesWritten,
                    r.bytesWritten / 1e6,
                    r.genSeconds);

            // ---- drain: collectors read all, then seal; the bounded job ends when everything is delivered
            long drainStart = System.nanoTime();
            long deadline = drainStart
                    + TimeUnit.SECONDS.toNanos(Math.max(60, spec.duration().toSeconds()));
            for (int i = 0; i < spec.nodes(); i++) {
                while (collectors.get(i).recordsRead() < gen.linesWritten(i)) {
                    if (System.nanoTime() > deadline) {
                        r.collectorsCaughtUp = false;
                        break;
                    }
                    Thread.sleep(100);
                }
            }
            List<CompletableFuture<Integer>> stops = new ArrayList<>();
            for (CollectorProcess c : collectors) {
                stops.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return c.stopAndSeal(Duration.ofSeconds(60));
                    } catch (InterruptedException e) {
                        return -1;
                    }
                }));
            }
            for (CompletableFuture<Integer> f : stops) {
                f.get();
            }
            if (job != null) {
                try {
                    job.getJobExecutionResult()
                            .get(Math.max(180, spec.duration().toSeconds() * 3), TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    r.error = "the job did not finish within the drain timeout";
                    job.cancel();
                }
            }
            r.drainSeconds = (System.nanoTime() - drainStart) / 1e9;
            sampler.stop();
            if (janitor != null) {
                janitor.interrupt();
            }
            if (monitor != null) {
                monitor.poll();
                r.checkpoints = monitor.completed();
                r.checkpointsFailed = monitor.failed();
                r.checkpointFailures = monitor.failureMessages();
            }
            r.loadAfter = Proc.loadString();

            // ---- window numbers
            double window = (windowEnd.nanos() - windowStart.nanos()) / 1e9;
            r.windowSeconds = window;
            r.offeredLinesPerSec = (windowEnd.written() - windowStart.written()) / window;
            r.collectedLinesPerSec = (windowEnd.collected() - windowStart.collected()) / window;
            r.jobCores = (windowEnd.jobCpu() - windowStart.jobCpu()) / 1e9 / window;
            r.collectorCores = (windowEnd.collectorCpu() - windowStart.collectorCpu()) / 1e9 / window;
            for (int i = 0; i < collectors.size(); i++) {
                r.collectorCoresEach.add(
                        (windowEnd.collectorCpuEach()[i] - windowStart.collectorCpuEach()[i]) / 1e9 / window);
            }
            r.endpointCores = (windowEnd.endpointCpu() - windowStart.endpointCpu()) / 1e9 / window;
            r.generatorCores = (windowEnd.generatorCpu() - windowStart.generatorCpu()) / 1e9 / window;
            r.ticks = sampler.ticks();
            r.collectorPeakRssMb = sampler.collectorPeakRssMb();
            r.collectorSteadyRssMb = sampler.collectorMeanRssMb(windowStart.nanos(), windowEnd.nanos());
            r.harnessPeakRssMb = sampler.harnessPeakRssMb();
            r.loadAvgDuring = sampler.meanLoad();

            // ---- verify by content
            if (spec.withJob()) {
                Ledger ledger = new Ledger(gen);
                r.recordsExpected = ledger.expectedRecords();
                ledger.readAll(cw);
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
                        ledger,
                        gen.startMillis(),
                        gen.startMillis() + spec.warmup().toMillis(),
                        windowStart.wallMillis(),
                        windowEnd.wallMillis());
                double bytesPerLine = r.linesWritten == 0 ? 0 : (double) r.bytesWritten / r.linesWritten;
                r.mbPerSec = r.deliveredLinesPerSec * bytesPerLine / 1e6;
                double cores = r.jobCores + r.collectorCores;
                r.linesPerSecPerCore = cores > 0 ? r.deliveredLinesPerSec / cores : Double.NaN;
                r.jobLinesPerSecPerCore = r.jobCores > 0 ? r.deliveredLinesPerSec / r.jobCores : Double.NaN;
            } else {
                r.mbPerSec = r.collectedLinesPerSec
                        * (r.linesWritten == 0 ? 0 : (double) r.bytesWritten / r.linesWritten)
                        / 1e6;
            }
            r.collectorLinesPerSecPerCore =
                    r.collectorCores > 0 ? r.collectedLinesPerSec / r.collectorCores : Double.NaN;
        } catch (Exception e) {
            r.error = e.toString();
            throw e;
        } finally {
            if (monitor != null) {
                monitor.close();
            }
            for (CollectorProcess c : collectors) {
                c.close();
            }
            for (FakeKubelet k : kubelets) {
                k.close();
            }
            if (job != null && r.error != null) {
                try {
                    job.cancel().get(30, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // already ended
                }
            }
        }
        return r;
    }

    /** Percentiles over the events written after warm-up, the per-second series, and delivered lines/s in the window. */
    private static void latency(
            Result r,
            Ledger ledger,
            long genStartMillis,
            long warmupEndMillis,
            long windowStartMillis,
            long windowEndMillis) {
        long[] write = toArray(ledger.writeMillis);
        long[] lat = toArray(ledger.latencyMillis);
        long[] ingest = toArray(ledger.ingestMillis);
        Stats.LongList steady = new Stats.LongList();
        Stats.LongList lastThird = new Stats.LongList();
        long lastThirdFrom =
                warmupEndMillis + (long) ((r.genSeconds * 1000 - (warmupEndMillis - genStartMillis)) * 2 / 3);
        Map<Long, Stats.LongList> perSecond = new java.util.TreeMap<>();
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

    private static JobClient startJob(Spec spec, Path spool, LocalCloudWatchLogs cw, Path work, int restPort)
            throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--spool",
                spec.s3() != null ? spec.s3().spoolUri() : spool.toUri().toString(),
                "--cloudwatch-endpoint",
                cw.endpoint().toString(),
                "--region",
                "us-west-2",
                "--until-sealed",
                "--parallelism",
                Integer.toString(spec.parallelism())));
        if (spec.s3() != null) {
            args.addAll(spec.s3().jobArgs());
        } else {
            args.addAll(List.of(
                    "--discovery-interval",
                    spec.discoveryInterval().toMillis() + "ms",
                    "--checkpoint-interval",
                    spec.checkpointInterval().toMillis() + "ms",
                    "--metadata-wait",
                    spec.metadataWait().toMillis() + "ms"));
        }
        JobCommand jc = new JobCommand();
        new CommandLine(jc).parseArgs(args.toArray(String[]::new));
        Configuration conf = jc.flinkConfiguration();
        conf.set(RestOptions.PORT, restPort);
        conf.setString(
                "execution.checkpointing.dir",
                work.resolve("checkpoints").toUri().toString());
        conf.setString("state.backend.type", spec.stateBackend());
        if (spec.stateBackend().equals("rocksdb")) {
            conf.setString("execution.checkpointing.incremental", "true");
            conf.setString(
                    "state.backend.rocksdb.localdir", work.resolve("rocksdb").toString());
        }
        if (spec.s3() != null) {
            Configuration fs = spec.s3().fileSystemConfig();
            org.apache.flink.core.fs.FileSystem.initialize(
                    fs, s3FileSystemPlugin(spec.s3().fileSystemPlugin()));
            conf.addAll(fs);
            spec.s3().flinkConfig().forEach(conf::setString);
            conf.setString("execution.checkpointing.dir", spec.s3().checkpointUri());
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(spec.parallelism(), conf);
        // on S3 the job sees the file system's settings, as a cluster's configuration reaches it
        (spec.s3() != null ? jc.newJob(conf) : jc.newJob()).build(env);
        return env.executeAsync("kubelogs-bench-" + spec.label());
    }

    /** Flink's plugin manager holding one plugin: the S3 file system jar, in its own class loader. */
    private static PluginManager s3FileSystemPlugin(Path jar) throws IOException {
        return new DefaultPluginManager(
                List.of(new PluginDescriptor(
                        "s3-fs-presto", new URL[] {jar.toUri().toURL()}, new String[0])),
                PluginConfig.fromConfiguration(new Configuration()).getAlwaysParentFirstPatterns());
    }

    /** The collectors' S3 settings: the bucket, the endpoint, the bench's keys (the SDK's chain reads them). */
    private static Map<String, String> s3Env(S3Run s3) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SPOOL_S3_URI", s3.spoolUri());
        env.put("SPOOL_S3_ENDPOINT", s3.endpoint());
        env.put("AWS_REGION", "us-west-2");
        env.put("AWS_ACCESS_KEY_ID", CountingS3.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", CountingS3.SECRET_KEY);
        env.putAll(s3.collectorEnv());
        return env;
    }

    /** A collector of a node that writes no logs: an empty log root, no journal, no pods. */
    private static CollectorProcess idleCollector(
            Spec spec, Path repoRoot, Path work, Path spool, Path collectorLogs, int i) throws IOException {
        String name = "idle-" + i;
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CLUSTER_NAME", "bench");
        env.put("HOST_NAME", name);
        env.put(
                "LOG_ROOT",
                Files.createDirectories(work.resolve("idle").resolve(name)).toString());
        env.put("SPOOL_DIR", spool.toString());
        env.put("STATE_DIR", work.resolve("state").resolve(name).toString());
        env.put("HOST_LOGS", "none");
        env.put(
                "JOURNAL_DIR",
                work.resolve("idle").resolve(name).resolve("no-journal").toString());
        env.put("USE_KUBELET", "Off");
        env.putAll(s3Env(spec.s3()));
        return CollectorProcess.start(repoRoot, spec.collectorFlags(), env, collectorLogs.resolve(name + ".log"));
    }

    private static void consumeSpool(Path spool) {
        while (!Thread.currentThread().isInterrupted()) {
            try (Stream<Path> files = Files.walk(spool)) {
                files.filter(p -> p.getFileName().toString().endsWith(".seg")
                                && !p.getFileName().toString().startsWith("."))
                        .forEach(p -> {
                            try {
                                Files.deleteIfExists(p);
                            } catch (IOException ignored) {
                                // next round
                            }
                        });
            } catch (IOException | java.io.UncheckedIOException ignored) {
                // a directory changed while walking
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** A journalctl stand-in: follows the node's journal.jsonl (journal-like JSON entries) from its head. */
    private static Path fakeJournalctl(Path work) throws IOException {
        Path script = work.resolve("journalctl");
        Files.writeString(
                script,
                "#!/bin/sh\n"
                        + "# benchmark stand-in for journalctl --output=json --follow: streams the generated entries\n"
                        + "f=; for a in \"$@\"; do case \"$a\" in\n"
                        + "  --directory=*) d=\"${a#--directory=}\";; --follow) f=1;; esac; done\n"
                        + "# without --follow (the tail position at a first start, the read to the end at seal) it\n"
                        + "# cannot honour a cursor, so it reports an empty journal instead of repeating entries\n"
                        + "[ -n \"$f\" ] || exit 0\n"
                        + "exec tail -n +1 -F \"$d/journal.jsonl\" 2>/dev/null\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    private static long millis(Duration d) {
        return d == null ? 0 : d.toMillis();
    }

    static void say(PrintStream out, String f, Object... args) {
        out.println(String.format(Locale.ROOT, f, args));
        out.flush();
    }

    public static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** CPU nanoseconds of the job's Java thread groups and of the JVM's native threads ("JVM: GC" …). */
    static Map<String, Long> jobCpuGroups(ThreadCpu threadCpu) {
        Map<String, Long> groups = threadCpu.jobThreadGroups();
        Proc.nativeThreadCpuNanos(Proc.selfPid()).forEach((k, v) -> groups.put("JVM: " + k, v));
        return groups;
    }

    /** Cores used per thread group between two readings, largest first, groups under 1 % of a core left out. */
    static Map<String, Double> coresByGroup(Map<String, Long> start, Map<String, Long> end, double seconds) {
        Map<String, Double> cores = new java.util.LinkedHashMap<>();
        end.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), (e.getValue() - start.getOrDefault(e.getKey(), 0L)) / 1e9 / seconds))
                .filter(e -> e.getValue() >= 0.01)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> cores.put(e.getKey(), e.getValue()));
        return cores;
    }

    // ------------------------------------------------------------------ sampling

    /** Samples progress, CPU and memory every second on its own thread. */
    static final class Sampler {
        record Point(
                long nanos,
                long wallMillis,
                long written,
                long collected,
                long delivered,
                long jobCpu,
                long collectorCpu,
                long endpointCpu,
                long generatorCpu,
                long[] collectorCpuEach) {}

        private final LoadGenerator gen;
        private final List<CollectorProcess> collectors;
        private final LocalCloudWatchLogs cw;
        private final ThreadCpu threadCpu;
        private final boolean withJob;
        private final List<Tick> ticks = new ArrayList<>();
        private final List<Point> points = new ArrayList<>();
        private final long[] collectorCpuLast;
        private final long[] collectorCpuBase;
        private final long[] collectorReadLast;
        private final List<double[]> rssByTime = new ArrayList<>();
        private double harnessPeakRss;
        private double peakHwm;
        private double loadSum;
        private int loadN;
        private volatile boolean stop;
        private Thread thread;
        private long t0;
        private final long selfPid = Proc.selfPid();

        Sampler(
                LoadGenerator gen,
                List<CollectorProcess> collectors,
                LocalCloudWatchLogs cw,
                ThreadCpu threadCpu,
                boolean withJob) {
            this.gen = gen;
            this.collectors = collectors;
            this.cw = cw;
            this.threadCpu = threadCpu;
            this.withJob = withJob;
            this.collectorCpuLast = new long[collectors.size()];
            this.collectorCpuBase = new long[collectors.size()];
            this.collectorReadLast = new long[collectors.size()];
        }

        void start() {
            t0 = System.nanoTime();
            for (int i = 0; i < collectors.size(); i++) {
                Proc.Sample s = collectors.get(i).sample();
                collectorCpuBase[i] = s == null ? 0 : s.cpuNanos();
                collectorCpuLast[i] = collectorCpuBase[i];
            }
            point();
            thread = new Thread(
                    () -> {
                        long next = System.nanoTime();
                        while (!stop) {
                            next += 1_000_000_000L;
                            long sleep = next - System.nanoTime();
                            if (sleep > 0) {
                                java.util.concurrent.locks.LockSupport.parkNanos(sleep);
                            }
                            tick();
                        }
                    },
                    "bench-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        synchronized Point point() {
            long now = System.nanoTime();
            Map<String, Long> cpu = threadCpu.sample();
            Proc.Sample self = Proc.read(selfPid);
            long endpoint = cpu.getOrDefault("endpoint", 0L);
            long generator = cpu.getOrDefault("generator", 0L);
            long harness = cpu.getOrDefault("harness", 0L);
            long process = self == null ? 0 : self.cpuNanos();
            long job = withJob ? Math.max(0, process - endpoint - generator - harness) : 0;
            long collected = 0;
            long collectorCpu = 0;
            long[] each = new long[collectors.size()];
            for (int i = 0; i < collectors.size(); i++) {
                long read = collectors.get(i).recordsRead();
                if (read >= 0) {
                    collectorReadLast[i] = read; // a stopped collector keeps its last count
                }
                collected += collectorReadLast[i];
                Proc.Sample s = collectors.get(i).sample();
                if (s != null) {
                    collectorCpuLast[i] = s.cpuNanos();
                }
                each[i] = collectorCpuLast[i] - collectorCpuBase[i];
                collectorCpu += each[i];
            }
            Point p = new Point(
                    now,
                    System.currentTimeMillis(),
                    gen.totalLines(),
                    collected,
                    cw.eventCount(),
                    job,
                    collectorCpu,
                    endpoint,
                    generator,
                    each);
            points.add(p);
            if (self != null) {
                harnessPeakRss = Math.max(harnessPeakRss, self.hwmMb());
            }
            return p;
        }

        synchronized Point first() {
            return points.get(0);
        }

        private synchronized void tick() {
            Point prev = points.get(points.size() - 1);
            Point p = point();
            double dt = (p.nanos() - prev.nanos()) / 1e9;
            List<Double> rss = new ArrayList<>();
            double[] row = new double[collectors.size() + 1];
            row[0] = (p.nanos() - t0) / 1e9;
            for (int i = 0; i < collectors.size(); i++) {
                Proc.Sample s = collectors.get(i).sample();
                double mb = s == null ? Double.NaN : s.rssMb();
                if (s != null) {
                    peakHwm = Math.max(peakHwm, s.hwmMb());
                }
                rss.add(mb);
                row[i + 1] = mb;
            }
            rssByTime.add(row);
            Proc.Sample self = Proc.read(selfPid);
            double load = Proc.loadAverage()[0];
            loadSum += load;
            loadN++;
            ticks.add(new Tick(
                    (p.nanos() - t0) / 1e9,
                    p.written(),
                    p.collected(),
                    p.delivered(),
                    (p.jobCpu() - prev.jobCpu()) / 1e9 / dt,
                    (p.collectorCpu() - prev.collectorCpu()) / 1e9 / dt,
                    (p.endpointCpu() - prev.endpointCpu()) / 1e9 / dt,
                    (p.generatorCpu() - prev.generatorCpu()) / 1e9 / dt,
                    self == null ? Double.NaN : self.rssMb(),
                    rss,
                    load));
        }

        void stop() throws InterruptedException {
            stop = true;
            if (thread != null) {
                thread.join(3000);
            }
        }

        synchronized List<Tick> ticks() {
            return new ArrayList<>(ticks);
        }

        synchronized double collectorPeakRssMb() {
            double peak = peakHwm;
            for (double[] row : rssByTime) {
                for (int i = 1; i < row.length; i++) {
                    if (Double.isFinite(row[i])) {
                        peak = Math.max(peak, row[i]);
                    }
                }
            }
            return peak;
        }

        synchronized double collectorMeanRssMb(long fromNanos, long toNanos) {
            double sum = 0;
            int n = 0;
            for (double[] row : rssByTime) {
                double t = t0 + row[0] * 1e9;
                if (t < fromNanos || t > toNanos) {
                    continue;
                }
                for (int i = 1; i < row.length; i++) {
                    if (Double.isFinite(row[i])) {
                        sum += row[i];
                        n++;
                    }
                }
            }
            return n == 0 ? Double.NaN : sum / n;
        }

        synchronized double harnessPeakRssMb() {
            return harnessPeakRss;
        }

        synchronized double meanLoad() {
            return loadN == 0 ? Double.NaN : loadSum / loadN;
        }
    }
}
