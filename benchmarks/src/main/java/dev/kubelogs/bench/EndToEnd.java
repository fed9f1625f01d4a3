package dev.kubelogs.bench;

import dev.kubelogs.collector.local.LocalKinesisProcess;
import dev.kubelogs.collector.local.LoopbackPorts;
import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;

/**
 * One end-to-end run: generated node logs → real collector processes → spool → the job (checkpointing on) → the local
 * CloudWatch-Logs-compatible endpoint, each stored event matched by content as the endpoint stores it. The job runs on an embedded
 * MiniCluster, or in production's process topology on a cluster of its own processes at the deployment's settings
 * ({@link ClusterRunSettings}). Also used without the job ({@code withJob=false}) to measure collectors alone at fixed
 * rates.
 *
 * <p>This class runs the sequence; its parts: {@link CollectorFleet} (the collector processes), {@link BenchJob} and
 * {@link ClusterBenchJob} (the job), {@link Sampler}, {@link CpuGroups} and {@link ClusterCpu} (CPU and memory),
 * {@link SampleWindow} (the measured window), {@link DeliveryCheck} (matching by content, latency) and
 * {@link EndToEndResult} (what was measured).
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

        /** One collector alone (one node, no job) at rate {@code r}, with this spec's line mix and rotation. */
        Spec collectorAlone(String newLabel, double r, Duration newDuration, Duration newWarmup, Path dir) {
            return with(newLabel, 1, r, newDuration, newWarmup, sizes, false, dir, null);
        }

        /** This spec with {@code newNodes} generated nodes. */
        Spec withNodes(int newNodes) {
            return with(label, newNodes, ratePerNode, duration, warmup, sizes, withJob, workDir, s3);
        }

        /** This spec with another label, rate, timing, line sizes and work directory. */
        Spec withRun(
                String newLabel, double r, Duration newDuration, Duration newWarmup, LineSizes newSizes, Path dir) {
            return with(newLabel, nodes, r, newDuration, newWarmup, newSizes, withJob, dir, s3);
        }

        private Spec with(
                String newLabel,
                int newNodes,
                double r,
                Duration newDuration,
                Duration newWarmup,
                LineSizes newSizes,
                boolean newWithJob,
                Path dir,
                S3Run newS3) {
            return new Spec(
                    newLabel,
                    newNodes,
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
                    newWithJob,
                    dir,
                    seed,
                    metadataWait,
                    kubelet,
                    newS3);
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

    /**
     * How long the endpoint keeps each stored event for reads (it hands every event to the run's {@link DeliveryLedger}
     * as it stores it). The sink reads a batch back 2 s after an ambiguous put (a timeout, a 5xx) and again after each
     * failed retry; two minutes covers those of a batch's first retries, at 50,000 lines/s ~2.4 GB of the harness's
     * heap ({@link RunOptions#checkEndpointHeap}). A read-back past it fails the job with the endpoint's error, never
     * a duplicate.
     */
    static final Duration ENDPOINT_KEEPS_EVENTS = Duration.ofMinutes(2);

    private EndToEnd() {}

    /**
     * The most records one source of one node can write in this run (the generator keeps to its rate; twice that,
     * and room for a slow start): a token's sequence number from it on is an unknown event, not memory for the ledger.
     */
    static long maxRecordsPerSource(Spec spec) {
        return (long) Math.ceil(spec.ratePerNode() * spec.duration().toMillis() / 1000.0 * 2) + 100_000;
    }

    public static EndToEndResult run(Spec spec, Path repoRoot, PrintStream out) throws Exception {
        return run(spec, null, repoRoot, out);
    }

    /** A run whose job runs on a cluster of its own processes with {@code cluster}'s settings; a MiniCluster if null. */
    static EndToEndResult run(Spec spec, ClusterRunSettings cluster, Path repoRoot, PrintStream out) throws Exception {
        EndToEndResult r = new EndToEndResult();
        r.spec = spec;
        r.jobTopology = (cluster == null ? JobTopology.MINICLUSTER : JobTopology.CLUSTER).option();
        r.checkpointIntervalUsed =
                cluster == null ? ReportText.fmt(spec.checkpointInterval()) : cluster.checkpointIntervalText();
        r.loadBefore = Proc.loadString();
        Path work = spec.workDir().toAbsolutePath().normalize();
        Dirs.deleteRecursively(work);
        Path spool = Files.createDirectories(work.resolve("spool"));
        Path logs = Files.createDirectories(work.resolve("nodes"));
        List<String> names =
                NodeNames.balanced(spec.nodes(), cluster == null ? spec.parallelism() : cluster.jobParallelism());
        ThreadCpu threadCpu = new ThreadCpu();
        CollectorFleet collectors = new CollectorFleet();
        JobClient job = null;
        ClusterBenchJob clusterJob = null;
        CheckpointMonitor monitor = null;
        LocalKinesisProcess kinesis = null;
        DeliveryLedger ledger;
        try (LoadGenerator gen = new LoadGenerator(logs, names, generatorConfig(spec));
                LocalCloudWatchLogs cw = LocalCloudWatchLogs.builder()
                        .port(0)
                        .eventListener(
                                ledger = DeliveryLedger.live(
                                        gen,
                                        maxRecordsPerSource(spec),
                                        spec.warmup().toMillis(),
                                        spec.duration().toMillis()))
                        .keepEventsFor(ENDPOINT_KEEPS_EVENTS)
                        .start()) {
            say(
                    out,
                    "  endpoint %s: each stored event is matched as it is stored, and kept %d s for the sink's read-backs",
                    cw.endpoint(),
                    ENDPOINT_KEEPS_EVENTS.toSeconds());
            KinesisStream stream = null;
            if (cluster != null && cluster.transport() == BenchTransport.KINESIS) {
                kinesis = LocalKinesisProcess.start(Files.createDirectories(work.resolve("kinesis")));
                stream = KinesisStream.create(kinesis, spec.nodes());
                r.transport = BenchTransport.KINESIS.option();
            }
            collectors.start(
                    spec, repoRoot, work, spool, gen, names, cluster == null ? Map.of() : cluster.collectorEnv(stream));
            int restPort = LoopbackPorts.pick();
            if (cluster != null) {
                r.settingsUsed = new ArrayList<>(cluster.describe());
                if (stream != null) {
                    r.settingsUsed.add(stream.describe());
                }
                clusterJob = ClusterBenchJob.start(
                        repoRoot,
                        work.resolve("cluster"),
                        cluster,
                        cluster.jobArgs(spool.toString(), cw.endpoint().toString(), spec.metadataWait(), stream));
                monitor = new CheckpointMonitor(
                        clusterJob.restPort(),
                        clusterJob.jobId(),
                        CheckpointMonitor.pollEveryFor(cluster.clusterSettings().checkpointInterval()));
                say(
                        out,
                        "  job %s running on a Flink cluster of its own processes (logs in %s): %s",
                        clusterJob.jobId(),
                        clusterJob.logDir(),
                        String.join("; ", r.settingsUsed));
            } else if (spec.withJob()) {
                String spoolUri =
                        spec.s3() != null ? spec.s3().spoolUri() : spool.toUri().toString();
                job = BenchJob.start(spec, spoolUri, cw.endpoint().toString(), work, restPort);
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
            SpoolJanitor janitor = null;
            if (!spec.withJob()) {
                janitor = new SpoolJanitor(spool);
                janitor.start();
            }

            ClusterCpu clusterCpu = clusterJob == null
                    ? null
                    : new ClusterCpu(clusterJob.taskManagerPids(), clusterJob.jobManagerPid());
            Sampler sampler = new Sampler(
                    gen,
                    collectors.processes(),
                    cw,
                    threadCpu,
                    spec.withJob(),
                    clusterCpu == null ? List.of() : clusterCpu.allPids());
            SampleWindow window =
                    generate(spec, gen, sampler, threadCpu, clusterCpu, kinesis, collectors.processes(), r);
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
            r.collectorsCaughtUp = collectors.drain(gen, spec.nodes(), deadline);
            long jobTimeoutSeconds = Math.max(180, spec.duration().toSeconds() * 3);
            if (job != null) {
                try {
                    job.getJobExecutionResult().get(jobTimeoutSeconds, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    r.error = "the job did not finish within the drain timeout";
                    job.cancel();
                }
            }
            if (clusterJob != null && stream != null) {
                if (!awaitDelivered(cw, DeliveryLedger.totalExpectedRecords(gen), jobTimeoutSeconds)) {
                    say(
                            out,
                            "  not everything arrived (nothing new for a minute, or %d s passed); cancelling the job",
                            jobTimeoutSeconds);
                }
                clusterJob.cancel();
                r.taskManagerPeakRssMb = clusterCpu.taskManagerPeakRssMb();
            } else if (clusterJob != null) {
                clusterJob.awaitFinished(Duration.ofSeconds(jobTimeoutSeconds));
                r.taskManagerPeakRssMb = clusterCpu.taskManagerPeakRssMb();
            }
            r.drainSeconds = (System.nanoTime() - drainStart) / 1e9;
            sampler.stop();
            if (janitor != null) {
                janitor.stop();
            }
            if (monitor != null) {
                monitor.poll();
                r.checkpoints = monitor.completed();
                r.checkpointsFailed = monitor.failed();
                r.checkpointFailures = monitor.failureMessages();
            }
            r.loadAfter = Proc.loadString();

            // ---- window numbers
            window.recordInto(r);
            r.ticks = sampler.ticks();
            r.collectorPeakRssMb = sampler.collectorPeakRssMb();
            r.collectorSteadyRssMb = sampler.collectorMeanRssMb(
                    window.start().nanos(), window.end().nanos());
            r.harnessPeakRssMb = sampler.harnessPeakRssMb();
            r.loadAvgDuring = sampler.meanLoad();

            // ---- verify by content: the ledger took every event as the endpoint stored it; closed, it takes no more
            cw.close();
            if (spec.withJob()) {
                DeliveryCheck.verify(r, gen, ledger, window);
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
            collectors.close();
            if (job != null && r.error != null) {
                try {
                    job.cancel().get(30, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // already ended
                }
            }
            if (clusterJob != null) {
                clusterJob.close();
            }
            if (kinesis != null) {
                kinesis.close();
            }
        }
        return r;
    }

    /**
     * A job over Kinesis has no end: waits until the endpoint stored as many events as the generator wrote records
     * (the ledger then tells lost from duplicated), or until nothing new arrived for a minute, or the timeout.
     */
    private static boolean awaitDelivered(LocalCloudWatchLogs cw, long expected, long timeoutSeconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        long last = -1;
        long lastChange = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long n = cw.eventCount();
            if (n >= expected) {
                return true;
            }
            if (n != last) {
                last = n;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > TimeUnit.MINUTES.toNanos(1)) {
                return false;
            }
            Thread.sleep(250);
        }
        return false;
    }

    /**
     * Runs the generator for the spec's duration while the sampler reads every second; returns the measured window
     * (from the end of warm-up, or from the first point when the run was shorter than its warm-up, until the generator
     * stopped) and records the generator's totals and the job's CPU by thread group in that window.
     */
    private static SampleWindow generate(
            Spec spec,
            LoadGenerator gen,
            Sampler sampler,
            ThreadCpu threadCpu,
            ClusterCpu clusterCpu,
            LocalKinesisProcess kinesis,
            List<CollectorProcess> collectors,
            EndToEndResult r)
            throws InterruptedException {
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
        if (clusterCpu != null) {
            r.startupCpuSeconds = clusterCpu.read().totalNanos() / 1e9;
        }
        sampler.start();
        genThread.start();
        long warmupEnd = genStart + spec.warmup().toNanos();
        Sampler.Point windowStart = null;
        Map<String, Long> groupsAtStart = null;
        ClusterCpu.Reading clusterAtStart = null;
        Proc.Sample kinesisAtStart = null;
        KinesisPuts putsAtStart = null;
        while (genThread.isAlive()) {
            genThread.join(200);
            if (windowStart == null && System.nanoTime() >= warmupEnd) {
                windowStart = sampler.point();
                kinesisAtStart = kinesis == null ? null : Proc.read(kinesis.pid());
                putsAtStart = kinesis == null ? null : KinesisPuts.read(collectors);
                if (clusterCpu != null) {
                    clusterAtStart = clusterCpu.read();
                    groupsAtStart = clusterAtStart.taskManagerGroups();
                } else {
                    groupsAtStart = CpuGroups.jobCpuGroups(threadCpu);
                }
            }
        }
        long genEnd = System.nanoTime();
        Sampler.Point windowEnd = sampler.point();
        if (kinesisAtStart != null) {
            Proc.Sample end = Proc.read(kinesis.pid());
            r.kinesisServerCores = (end.cpuNanos() - kinesisAtStart.cpuNanos())
                    / (double) (end.nanoTime() - kinesisAtStart.nanoTime());
            r.recordKinesisPuts(
                    KinesisPuts.read(collectors).since(putsAtStart), (windowEnd.nanos() - windowStart.nanos()) / 1e9);
        }
        r.windowStartMillis = windowStart == null ? 0 : windowStart.wallMillis();
        r.windowEndMillis = windowEnd.wallMillis();
        if (groupsAtStart != null) {
            double seconds = (windowEnd.nanos() - windowStart.nanos()) / 1e9;
            if (clusterCpu != null) {
                ClusterCpu.Reading end = clusterCpu.read();
                r.taskManagerCores = (end.taskManagerNanos() - clusterAtStart.taskManagerNanos()) / 1e9 / seconds;
                r.jobManagerCores = (end.jobManagerNanos() - clusterAtStart.jobManagerNanos()) / 1e9 / seconds;
                // thread by thread: a source fetcher replaced in the window is billed to the ended threads only for
                // its CPU in the window, and its group loses nothing
                r.jobManagerThreadCores = CpuGroups.coresByGroup(
                        Map.of(),
                        end.jobManagerGroupsSince(clusterAtStart),
                        seconds,
                        EndToEndResult.CLUSTER_GROUP_MIN_CORES);
                r.jobThreadCores = CpuGroups.coresByGroup(
                        Map.of(),
                        end.taskManagerGroupsSince(clusterAtStart),
                        seconds,
                        EndToEndResult.CLUSTER_GROUP_MIN_CORES);
            } else {
                r.jobThreadCores = CpuGroups.coresByGroup(groupsAtStart, CpuGroups.jobCpuGroups(threadCpu), seconds);
            }
            r.gcCores = r.jobThreadCores.getOrDefault("JVM: GC", 0.0);
            recordWarmup(sampler.first(), windowStart, r);
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
        return new SampleWindow(windowStart, windowEnd);
    }

    /** The warm-up window, from the generator's start to the measured window: reported apart, not mixed in. */
    static void recordWarmup(Sampler.Point start, Sampler.Point end, EndToEndResult r) {
        double seconds = (end.nanos() - start.nanos()) / 1e9;
        double jobCpu = (end.jobCpu() - start.jobCpu()) / 1e9;
        double collectorCpu = (end.collectorCpu() - start.collectorCpu()) / 1e9;
        r.warmupSeconds = seconds;
        r.warmupJobCores = jobCpu / seconds;
        r.warmupCollectorCores = collectorCpu / seconds;
        r.warmupLinesPerCpuSecond = (end.written() - start.written()) / (jobCpu + collectorCpu);
    }

    private static LoadGenerator.Config generatorConfig(Spec spec) {
        return new LoadGenerator.Config(
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
    }

    private static long millis(Duration d) {
        return d == null ? 0 : d.toMillis();
    }

    static void say(PrintStream out, String f, Object... args) {
        out.println(String.format(Locale.ROOT, f, args));
        out.flush();
    }
}
