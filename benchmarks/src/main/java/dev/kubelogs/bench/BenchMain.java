package dev.kubelogs.bench;

import dev.kubelogs.job.JobCommand;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./pipeline bench}: the benchmark suite. Parts (all by default): {@code e2e} one end-to-end run at
 * {@code --rate}; {@code collector} a collector process alone at fixed rates; {@code tail} the collector reading a
 * 1M-line Docker-JSON file from its head (the incumbent's benchmark); {@code state} source enumerator state size as
 * nodes and segments grow; {@code saturation} the highest rate with bounded latency and nothing lost; {@code sink}
 * the CloudWatch sink alone (exactly-once) against the local endpoint; {@code jmh} the microbenchmarks; {@code metrics}
 * (not in the default set) the metrics pipeline: samples per CPU-second end to end ({@code metrics-throughput}),
 * delta state per series ({@code metrics-state}), discovery memory against pods and namespaces
 * ({@code metrics-discovery}); {@code spool-cost} (not in the default set) the S3 spool's requests by kind and the
 * latency at the deployment's shipped settings ({@link SpoolCost}). Writes
 * report.md, PNG plots and results.json into a results folder.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "kubelogs benchmarks: end to end (collector processes + job on a MiniCluster + local CloudWatch endpoint),",
            "collector CPU/RSS at fixed rates, tail throughput, saturation search, source state size, sink, JMH.",
            "Writes <results>/report.md, *.png and results.json. Numbers are only comparable on an idle machine: the report",
            "records the load average before, during and after every run."
        })
public final class BenchMain implements Callable<Integer> {

    @Option(
            names = "--parts",
            split = ",",
            defaultValue = "e2e,collector,tail,state,saturation,sink,jmh",
            description = "Parts to run (default: ${DEFAULT-VALUE}).")
    List<String> parts;

    @Option(names = "--quick", description = "Small and short everything (a smoke run, ~2 min; numbers meaningless).")
    boolean quick;

    @Option(
            names = "--nodes",
            defaultValue = "2",
            description = "Simulated nodes, one collector process each (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(
            names = "--rate",
            defaultValue = "5000",
            description = "Lines/s per node for the e2e run (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(
            names = "--duration",
            defaultValue = "60s",
            converter = JobCommand.DurationConverter.class,
            description = "Generation time of the e2e run (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(
            names = "--warmup",
            defaultValue = "15s",
            converter = JobCommand.DurationConverter.class,
            description = "Excluded from throughput, CPU and latency percentiles (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(
            names = "--line-size",
            defaultValue = "lognormal:220,0.5",
            description =
                    "Line size distribution in bytes: fixed:N, uniform:A-B, lognormal:MEDIAN,SIGMA (default: ${DEFAULT-VALUE}).")
    String lineSize;

    @Option(
            names = "--multiline-share",
            defaultValue = "0.05",
            description = "Share of lines that belong to Java stack traces (default: ${DEFAULT-VALUE}).")
    double multilineShare;

    @Option(
            names = "--trace-frames",
            defaultValue = "8-30",
            description = "Frames per stack trace, MIN-MAX (default: ${DEFAULT-VALUE}).")
    String traceFrames;

    @Option(
            names = "--rotate-every",
            defaultValue = "20s",
            converter = JobCommand.DurationConverter.class,
            description =
                    "Rotate each container log by rename this often, kubelet style; 0 = never (default: ${DEFAULT-VALUE}).")
    Duration rotateEvery;

    @Option(
            names = "--copytruncate-every",
            defaultValue = "30s",
            converter = JobCommand.DurationConverter.class,
            description = "Rotate each host file by copytruncate this often; 0 = never (default: ${DEFAULT-VALUE}).")
    Duration copytruncateEvery;

    @Option(
            names = "--host-logs",
            defaultValue = "files",
            description =
                    "files (messages/secure/dmesg), journald (journal-like JSON entries through a journalctl stand-in) or none (default: ${DEFAULT-VALUE}).")
    String hostLogs;

    @Option(
            names = "--checkpoint-interval",
            defaultValue = "2s",
            converter = JobCommand.DurationConverter.class,
            description = "Flink checkpoint interval (default: ${DEFAULT-VALUE}).")
    Duration checkpointInterval;

    @Option(
            names = "--discovery-interval",
            defaultValue = "1s",
            converter = JobCommand.DurationConverter.class,
            description = "Spool discovery interval of the job (default: ${DEFAULT-VALUE}, the job's own default).")
    Duration discoveryInterval;

    @Option(
            names = "--kubelet",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "Serve each node's pods on a local HTTPS /pods so collectors announce them and the job enriches "
                            + "application lines as on EKS (default: on; --no-kubelet: no pod metadata at all).")
    boolean kubelet;

    @Option(
            names = "--metadata-wait",
            converter = JobCommand.DurationConverter.class,
            description =
                    "The job's --metadata-wait (default: the job's 10s with --kubelet, 0s without: no metadata would ever come).")
    Duration metadataWait;

    @Option(names = "--parallelism", defaultValue = "2", description = "Flink parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(
            names = "--state-backend",
            defaultValue = "rocksdb",
            description = "rocksdb (production, flink-conf/config.yaml) or hashmap (default: ${DEFAULT-VALUE}).")
    String stateBackend;

    @Option(
            names = "--collector-jvm",
            defaultValue = "docker",
            description =
                    "Collector JVM flags: docker (read from docker/collector.Dockerfile, the DaemonSet's image) or the flags "
                            + "themselves in quotes, for experiments (default: ${DEFAULT-VALUE}).")
    String collectorJvm;

    @Option(
            names = "--collector-memory-limit",
            defaultValue = "128m",
            description =
                    "Container memory limit the docker flags size the heap from (-XX:MaxRAM; DaemonSet: 128Mi) (default: ${DEFAULT-VALUE}).")
    String collectorMemoryLimit;

    @Option(
            names = "--collector-rates",
            split = ",",
            defaultValue = "1000,10000,50000",
            description = "Lines/s for the collector-alone runs (default: ${DEFAULT-VALUE}).")
    List<Double> collectorRates;

    @Option(
            names = "--collector-duration",
            defaultValue = "45s",
            converter = JobCommand.DurationConverter.class,
            description = "Length of each collector-alone run (default: ${DEFAULT-VALUE}).")
    Duration collectorDuration;

    @Option(
            names = "--tail-lines",
            defaultValue = "1000000",
            description = "Lines of the tail-throughput file (default: ${DEFAULT-VALUE}).")
    int tailLines;

    @Option(
            names = "--saturation-start",
            defaultValue = "5000",
            description = "First total rate (lines/s, all nodes) of the search (default: ${DEFAULT-VALUE}).")
    double saturationStart;

    @Option(
            names = "--saturation-max",
            defaultValue = "400000",
            description = "Highest total rate tried (default: ${DEFAULT-VALUE}).")
    double saturationMax;

    @Option(
            names = "--saturation-duration",
            defaultValue = "30s",
            converter = JobCommand.DurationConverter.class,
            description = "Length of each search step (default: ${DEFAULT-VALUE}).")
    Duration saturationDuration;

    @Option(
            names = "--latency-bound",
            defaultValue = "5s",
            converter = JobCommand.DurationConverter.class,
            description = "p99 that counts as bounded in the search (default: ${DEFAULT-VALUE}, the issue's target).")
    Duration latencyBound;

    @Option(
            names = "--state-nodes",
            split = ",",
            defaultValue = "1,10,100,1000",
            description = "Nodes for the state-size table (default: ${DEFAULT-VALUE}).")
    List<Integer> stateNodes;

    @Option(
            names = "--state-segments",
            split = ",",
            defaultValue = "1,10,100",
            description = "Segments per node for the state-size table (default: ${DEFAULT-VALUE}).")
    List<Integer> stateSegments;

    @Option(
            names = "--sink-events",
            defaultValue = "2000000",
            description = "Events through the sink-alone run (default: ${DEFAULT-VALUE}).")
    long sinkEvents;

    @Option(
            names = "--sink-rate",
            defaultValue = "20000",
            description = "Paced events/s of the sink's latency run (40 s of events) (default: ${DEFAULT-VALUE}).")
    double sinkRate;

    @Option(
            names = "--sink-topology",
            defaultValue = "chained",
            description =
                    "chained: generator and sink in one chain, as production chains each sink to the node processor; keyed: "
                            + "keyBy(stream) before the sink, as a library user would (default: ${DEFAULT-VALUE}).")
    String sinkTopology;

    @Option(
            names = "--sink-event-shape",
            defaultValue = "container-insights",
            description =
                    "container-insights: ~725 B application events with the container's kubernetes block, as production "
                            + "sends; synthetic: the ~250 B events of earlier runs (default: ${DEFAULT-VALUE}).")
    String sinkEventShape;

    @Option(
            names = "--sink-warmup-events",
            defaultValue = "1000000",
            description =
                    "Events of an unreported run before the sink's measured runs, so they run JIT-warm like a long-running "
                            + "job; 0 = none (default: ${DEFAULT-VALUE}).")
    long sinkWarmupEvents;

    @Option(
            names = "--metrics-targets",
            defaultValue = "100",
            description = "Exporters of the metrics run, 1,000 series each (default: ${DEFAULT-VALUE}).")
    int metricsTargets;

    @Option(
            names = "--metrics-scrapes",
            defaultValue = "30",
            description = "Scrapes of each exporter in the metrics run (default: ${DEFAULT-VALUE}).")
    int metricsScrapes;

    @Option(
            names = "--metrics-warmup-scrapes",
            defaultValue = "20",
            description = "Scrapes of an unreported run before the measured one, so it runs JIT-warm like a "
                    + "long-running job; 0 = none (default: ${DEFAULT-VALUE}).")
    int metricsWarmupScrapes;

    @Option(
            names = "--metrics-state-targets",
            defaultValue = "200",
            description = "Exporters whose series prime the delta stage of the state-per-series run (default: "
                    + "${DEFAULT-VALUE}, 96,000 series with a previous value).")
    int metricsStateTargets;

    @Option(
            names = "--discovery-namespaces",
            split = ",",
            defaultValue = "10,100,1000",
            description = "Namespaces of the discovery-memory runs, 10 kept targets each (default: ${DEFAULT-VALUE}).")
    List<Integer> discoveryNamespaces;

    @Option(
            names = "--discovery-pods-per-namespace",
            defaultValue = "5",
            description = "Pods per namespace of the discovery-memory runs (default: ${DEFAULT-VALUE}).")
    int discoveryPodsPerNamespace;

    @Option(
            names = "--discovery-kept",
            split = ",",
            defaultValue = "10,100,1000",
            description = "Kept (annotated) pods of the discovery-memory runs; the ones above the smallest run in the "
                    + "most namespaces (default: ${DEFAULT-VALUE}).")
    List<Integer> discoveryKept;

    @Option(
            names = "--metrics-interval",
            defaultValue = "1s",
            converter = JobCommand.DurationConverter.class,
            description = "scrape_interval of the metrics run (default: ${DEFAULT-VALUE}).")
    Duration metricsInterval;

    @Option(
            names = "--spool-cost-rate",
            defaultValue = "100",
            description =
                    "spool-cost: lines/s per generated node (default: ${DEFAULT-VALUE}, the issue's 100 lines/s of "
                            + "~300 B).")
    double spoolCostRate;

    @Option(
            names = "--spool-cost-line-size",
            defaultValue = "fixed:300",
            description = "spool-cost: line sizes, as --line-size (default: ${DEFAULT-VALUE}).")
    String spoolCostLineSize;

    @Option(
            names = "--spool-cost-duration",
            defaultValue = "4m",
            converter = JobCommand.DurationConverter.class,
            description = "spool-cost: generation time (default: ${DEFAULT-VALUE}).")
    Duration spoolCostDuration;

    @Option(
            names = "--spool-cost-warmup",
            defaultValue = "60s",
            converter = JobCommand.DurationConverter.class,
            description = "spool-cost: left out of the request count and the latency (default: ${DEFAULT-VALUE}).")
    Duration spoolCostWarmup;

    @Option(
            names = "--spool-cost-idle-nodes",
            defaultValue = "1",
            description =
                    "spool-cost: collectors of nodes that write nothing, beside --nodes (default: ${DEFAULT-VALUE}).")
    int spoolCostIdleNodes;

    @Option(
            names = "--spool-cost-set",
            paramLabel = "KEY=VALUE",
            description = "spool-cost: run with a setting other than the shipped one: job-flag=V (a job argument, "
                    + "e.g. discovery-interval=2s), flink.key=V (flinkConfiguration) or COLLECTOR_ENV=V; repeatable. The "
                    + "report names them.")
    Map<String, String> spoolCostSet = new java.util.LinkedHashMap<>();

    @Option(
            names = "--jmh",
            defaultValue = "-f 1 -wi 5 -w 1s -i 5 -r 2s",
            description =
                    "JMH options (default: ${DEFAULT-VALUE}); add a regex to select benchmarks, e.g. \"-f 1 Spool\".")
    String jmhArgs;

    @Option(names = "--results", description = "Results folder (default: benchmarks/results/<date-time>).")
    Path results;

    @Option(
            names = "--work-dir",
            defaultValue = ".pipeline/bench",
            description = "Scratch space for logs, spool, state (default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(
            names = "--seed",
            defaultValue = "7",
            description = "Random seed of the generator (default: ${DEFAULT-VALUE}).")
    long seed;

    PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        if (quick) {
            applyQuick();
        }
        if (metadataWait == null) {
            metadataWait = kubelet ? Duration.ofSeconds(10) : Duration.ZERO;
        }
        Path repo = repoRoot();
        Set<String> want = new LinkedHashSet<>();
        for (String p : parts) {
            if (p.equals("all")) {
                want.addAll(List.of("e2e", "collector", "tail", "state", "saturation", "sink", "jmh"));
            } else {
                want.add(p.trim());
            }
        }
        Path resultsDir = results != null
                ? results
                : repo.resolve("benchmarks/results")
                        .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd_HHmmss")));
        Files.createDirectories(resultsDir);
        Path work = workDir.isAbsolute() ? workDir : repo.resolve(workDir);
        CollectorProcess.JvmFlags flags = CollectorProcess.flags(repo, collectorJvm, collectorMemoryLimit);
        Report report = new Report(resultsDir, out);
        report.machine(MachineInfo.describe(), Proc.loadString());
        report.collectorFlags(flags);
        say(
                "results: %s   (load average now: %s on %d cores)",
                resultsDir, Proc.loadString(), Runtime.getRuntime().availableProcessors());

        int[] frames = parseRange(traceFrames);
        EndToEnd.Spec base = new EndToEnd.Spec(
                "e2e",
                nodes,
                rate,
                duration,
                warmup,
                LineSizes.parse(lineSize),
                multilineShare,
                frames[0],
                frames[1],
                rotateEvery,
                copytruncateEvery,
                LoadGenerator.HostMode.valueOf(hostLogs.toUpperCase(Locale.ROOT)),
                checkpointInterval,
                discoveryInterval,
                parallelism,
                stateBackend,
                flags,
                true,
                work.resolve("e2e"),
                seed,
                metadataWait,
                kubelet,
                null);
        boolean ok = true;
        try {
            if (want.contains("e2e")) {
                say(
                        "== e2e: %d node(s) × %,.0f lines/s for %s (warm-up %s), %s lines, %.0f%% stack-trace lines, %s host logs",
                        nodes, rate, duration, warmup, lineSize, multilineShare * 100, hostLogs);
                EndToEndResult r = EndToEnd.run(base, repo, out);
                report.endToEnd(r);
                ok &= r.clean();
                sayResult(r);
            }
            if (want.contains("spool-cost")) {
                say(
                        "== spool cost: %d node(s) × %,.0f lines/s + %d idle, spool and checkpoints on a counting S3 "
                                + "endpoint, the deployment's settings",
                        nodes, spoolCostRate, spoolCostIdleNodes);
                EndToEndResult r = SpoolCost.run(
                        base.withRun(
                                "spool-cost",
                                spoolCostRate,
                                spoolCostDuration,
                                spoolCostWarmup,
                                LineSizes.parse(spoolCostLineSize),
                                work.resolve("spool-cost")),
                        spoolCostSet,
                        spoolCostIdleNodes,
                        repo,
                        resultsDir,
                        out);
                ok &= r.clean();
            }
            if (want.contains("collector")) {
                say("== collector alone (own process, %s) at fixed rates %s lines/s", collectorJvm, collectorRates);
                List<EndToEndResult> rs = new ArrayList<>();
                for (double r : collectorRates) {
                    EndToEnd.Spec s = new EndToEnd.Spec(
                            "collector-" + (long) r,
                            1,
                            r,
                            collectorDuration,
                            Duration.ofSeconds(Math.min(10, collectorDuration.toSeconds() / 3)),
                            base.sizes(),
                            base.multilineShare(),
                            frames[0],
                            frames[1],
                            rotateEvery,
                            copytruncateEvery,
                            base.hostMode(),
                            checkpointInterval,
                            discoveryInterval,
                            parallelism,
                            stateBackend,
                            flags,
                            false,
                            work.resolve("collector"),
                            seed,
                            metadataWait,
                            kubelet,
                            null);
                    EndToEndResult res = EndToEnd.run(s, repo, out);
                    rs.add(res);
                    say(
                            "  %,8.0f lines/s: %.3f vCPU, RSS peak %.1f MB, steady %.1f MB (load %s)",
                            r, res.collectorCores, res.collectorPeakRssMb, res.collectorSteadyRssMb, res.loadAfter);
                }
                report.collectorRates(rs);
            }
            if (want.contains("tail")) {
                say("== tail throughput: %,d Docker-JSON lines read from head by a collector process", tailLines);
                report.tail(TailThroughput.run(repo, work.resolve("tail"), tailLines, flags, out));
            }
            if (want.contains("state")) {
                say("== source enumerator state size: nodes %s × segments/node %s", stateNodes, stateSegments);
                report.state(EnumeratorStateBench.run(work.resolve("state"), stateNodes, stateSegments, out));
            }
            if (want.contains("saturation")) {
                say(
                        "== saturation search from %,.0f lines/s total (%d nodes), %s per step, p99 bound %s",
                        saturationStart, nodes, saturationDuration, latencyBound);
                report.saturation(
                        Saturation.run(
                                base,
                                saturationStart,
                                saturationMax,
                                saturationDuration,
                                latencyBound,
                                repo,
                                work.resolve("saturation"),
                                out),
                        latencyBound);
            }
            if (want.contains("sink")) {
                runSink(work.resolve("sink"), report);
            }
            if (want.contains("metrics") || want.contains("metrics-throughput")) {
                say(
                        "== metrics pipeline: %d exporters × %,d series, %d scrapes each every %s, exactly-once sink",
                        metricsTargets, ExporterText.SERIES, metricsScrapes, metricsInterval);
                MetricsBench.Spec spec = new MetricsBench.Spec(
                        metricsTargets,
                        metricsScrapes,
                        metricsInterval,
                        parallelism,
                        checkpointInterval,
                        stateBackend,
                        work.resolve("metrics"));
                if (metricsWarmupScrapes > 0) {
                    MetricsBench.warmUp(spec.withScrapes(metricsWarmupScrapes), out);
                }
                MetricsBench.Result m = MetricsBench.run(spec, out);
                ok &= m.lost == 0 && m.duplicated == 0;
            }
            if (want.contains("metrics") || want.contains("metrics-state")) {
                say("== metrics delta state: %d exporters' series in the delta stage alone", metricsStateTargets);
                DeltaStateBench.run(metricsStateTargets, out);
            }
            if (want.contains("metrics") || want.contains("metrics-discovery")) {
                say(
                        "== metrics discovery memory: namespaces %s × %d pods, kept targets %s",
                        discoveryNamespaces, discoveryPodsPerNamespace, discoveryKept);
                DiscoveryMemoryBench.run(
                        DiscoveryMemoryBench.defaultCases(
                                discoveryNamespaces, discoveryPodsPerNamespace, discoveryKept),
                        out);
            }
            if (want.contains("jmh")) {
                say("== JMH %s", jmhArgs);
                report.jmh(Jmh.run(jmhArgs, resultsDir, out));
            }
        } finally {
            report.finish(Proc.loadString());
        }
        say("report: %s", resultsDir.resolve("report.md"));
        return ok ? 0 : 1;
    }

    /** Warm-up (one line), then the unpaced and the paced run of the sink alone, into the report. */
    private void runSink(Path work, Report report) throws Exception {
        SinkBench.Spec unpaced = new SinkBench.Spec(
                sinkEvents,
                0,
                checkpointInterval,
                stateBackend,
                SinkBench.Topology.parse(sinkTopology),
                SinkBench.Shape.parse(sinkEventShape),
                work);
        say(
                "== sink alone: %,d events through CloudWatchLogsSink (exactly-once, checkpoints every %s, %s topology, endpoint in its own JVM)",
                sinkEvents, checkpointInterval, unpaced.topology());
        String warmUp = sinkWarmupEvents > 0 ? SinkBench.warmUp(unpaced.withEvents(sinkWarmupEvents), out) : null;
        SinkBench.Result fast = SinkBench.run(unpaced, out);
        SinkBench.Result paced =
                SinkBench.run(unpaced.withEvents((long) (sinkRate * 40)).withRate(sinkRate), out);
        fast.warmUp = warmUp;
        paced.warmUp = warmUp;
        report.sink(fast, paced);
    }

    private void sayResult(EndToEndResult r) {
        say(
                "  delivered %,.0f lines/s (%.2f MB/s) with %.2f cores (job %.2f, of which GC %.2f, + collectors %.2f) = %,.0f lines/s per core",
                r.deliveredLinesPerSec,
                r.mbPerSec,
                r.jobCores + r.collectorCores,
                r.jobCores,
                r.gcCores,
                r.collectorCores,
                r.linesPerSecPerCore);
        StringBuilder threads = new StringBuilder();
        r.jobThreadCores.forEach(
                (name, cores) -> threads.append(String.format(java.util.Locale.ROOT, "%n    %.2f %s", cores, name)));
        say("  the job's CPU by thread:%s", threads);
        say(
                "  latency p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms; lost %d, duplicated %d, unknown %d, broken traces %d of %d",
                r.p50, r.p95, r.p99, r.pMax, r.lost, r.duplicated, r.unknown, r.brokenTraces, r.tracesChecked);
        if (r.lost > 0) {
            say("  lost by source: %s, e.g. %s", r.lostBySource, r.lostSamples);
        }
        if (!r.collectorsCaughtUp) {
            say("  the collectors never read everything that was written (timed out waiting)");
        }
        say(
                "  checkpoints %d completed, %d failed; load %s → %s",
                r.checkpoints.size(), r.checkpointsFailed, r.loadBefore, r.loadAfter);
    }

    private void applyQuick() {
        nodes = Math.min(nodes, 1);
        rate = Math.min(rate, 500);
        duration = Duration.ofSeconds(8);
        warmup = Duration.ofSeconds(2);
        rotateEvery = Duration.ofSeconds(3);
        copytruncateEvery = Duration.ofSeconds(4);
        collectorRates = List.of(500.0, 2000.0);
        collectorDuration = Duration.ofSeconds(6);
        tailLines = 50_000;
        saturationStart = 500;
        saturationMax = 2000;
        saturationDuration = Duration.ofSeconds(6);
        stateNodes = List.of(1, 10);
        stateSegments = List.of(1, 10);
        sinkEvents = 20_000;
        sinkWarmupEvents = Math.min(sinkWarmupEvents, 5_000);
        sinkRate = 1000;
        metricsTargets = Math.min(metricsTargets, 10);
        metricsScrapes = Math.min(metricsScrapes, 5);
        metricsWarmupScrapes = Math.min(metricsWarmupScrapes, 2);
        metricsStateTargets = Math.min(metricsStateTargets, 10);
        discoveryNamespaces = List.of(10, 100);
        discoveryKept = List.of(10, 50);
        jmhArgs = "-f 0 -wi 0 -i 1 -r 200ms -bm thrpt SpoolBench.write";
    }

    static int[] parseRange(String s) {
        String[] p = s.split("-");
        int a = Integer.parseInt(p[0].trim());
        int b = p.length > 1 ? Integer.parseInt(p[1].trim()) : a;
        return new int[] {Math.min(a, b), Math.max(a, b)};
    }

    static Path repoRoot() {
        String prop = System.getProperty("kubelogs.repo.root");
        if (prop != null) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        Path p = Path.of("").toAbsolutePath();
        for (Path c = p; c != null; c = c.getParent()) {
            if (Files.isRegularFile(c.resolve("benchmarks/pom.xml"))) {
                return c;
            }
        }
        return p;
    }

    private void say(String f, Object... args) {
        out.println(String.format(Locale.ROOT, f, args));
        out.flush();
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }
}
