package dev.kubelogs.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
            "kubelogs benchmarks: end to end (collector processes + the job + local CloudWatch endpoint;",
            "the job on a Flink cluster of its own processes, or a MiniCluster: --job-topology),",
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

    @Mixin
    RunOptions run = new RunOptions();

    @Mixin
    CollectorOptions collector = new CollectorOptions();

    @Mixin
    SaturationOptions saturation = new SaturationOptions();

    @Mixin
    StateOptions state = new StateOptions();

    @Mixin
    SinkOptions sink = new SinkOptions();

    @Mixin
    MetricsOptions metrics = new MetricsOptions();

    @Mixin
    SpoolCostOptions spoolCost = new SpoolCostOptions();

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
        run.checkTaskManagerLayout();
        Path repo = repoRoot();
        Set<String> want = parts(parts);
        if (MetricsOptions.throughput(want)) {
            metrics.checkHeap(
                    run.jobTopology == JobTopology.CLUSTER, Runtime.getRuntime().maxMemory());
        }
        Path resultsDir = results != null
                ? results
                : repo.resolve("benchmarks/results")
                        .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd_HHmmss")));
        Files.createDirectories(resultsDir);
        Path work = workDir.isAbsolute() ? workDir : repo.resolve(workDir);
        CollectorProcess.JvmFlags flags = CollectorProcess.flags(repo, run.collectorJvm, run.collectorMemoryLimit);
        Report report = new Report(resultsDir, out);
        report.machine(MachineInfo.describe(), Proc.loadString());
        report.collectorFlags(flags);
        say(
                "results: %s   (load average now: %s on %d cores)",
                resultsDir, Proc.loadString(), Runtime.getRuntime().availableProcessors());

        EndToEnd.Spec base = run.spec(flags, work.resolve("e2e"), seed);
        boolean ok = true;
        try {
            if (want.contains("e2e")) {
                run.checkTransport();
                run.checkWindow();
                run.checkEndpointHeap(Runtime.getRuntime().maxMemory());
                say("%s", run.describe());
                ClusterRunSettings cluster = run.jobTopology == JobTopology.CLUSTER
                        ? run.clusterSettings(
                                ShippedSettings.read(repo, ShippedSettings.BENCH_PLACEHOLDERS, run.transport.overlay()))
                        : null;
                EndToEndResult r = EndToEnd.run(base, cluster, repo, out);
                report.endToEnd(r);
                ok &= r.clean();
                RunSummary.print(r, out);
            }
            if (want.contains("spool-cost")) {
                ok &= spoolCost.run(base, repo, resultsDir, work, out);
            }
            if (want.contains("collector")) {
                say(
                        "== collector alone (own process, %s) at fixed rates %s lines/s",
                        run.collectorJvm, collector.collectorRates);
                collector.runRates(base, repo, work, report, out);
            }
            if (want.contains("tail")) {
                say(
                        "== tail throughput: %,d Docker-JSON lines read from head by a collector process",
                        collector.tailLines);
                report.tail(TailThroughput.run(repo, work.resolve("tail"), collector.tailLines, flags, out));
            }
            if (want.contains("state")) {
                say(
                        "== source enumerator state size: nodes %s × segments/node %s",
                        state.stateNodes, state.stateSegments);
                report.state(
                        EnumeratorStateBench.run(work.resolve("state"), state.stateNodes, state.stateSegments, out));
            }
            if (want.contains("saturation")) {
                say(
                        "== saturation search from %,.0f lines/s total (%d nodes), %s per step, p99 bound %s",
                        saturation.saturationStart, run.nodes, saturation.saturationDuration, saturation.latencyBound);
                report.saturation(
                        Saturation.run(
                                base,
                                saturation.saturationStart,
                                saturation.saturationMax,
                                saturation.saturationDuration,
                                saturation.latencyBound,
                                repo,
                                work.resolve("saturation"),
                                out),
                        saturation.latencyBound);
            }
            if (want.contains("sink")) {
                sink.run(run.checkpointInterval, run.stateBackend, work.resolve("sink"), report, out);
            }
            ClusterRunSettings metricsCluster =
                    run.jobTopology == JobTopology.CLUSTER && MetricsOptions.throughput(want)
                            ? run.clusterSettings(ShippedSettings.read(repo, ShippedSettings.BENCH_PLACEHOLDERS))
                            : null;
            ok &= metrics.run(
                    want, metricsCluster, repo, run.parallelism, run.checkpointInterval, run.stateBackend, work, out);
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

    /** The parts named, in order; {@code all} stands for every part of the default set. */
    static Set<String> parts(List<String> names) {
        Set<String> want = new LinkedHashSet<>();
        for (String p : names) {
            if (p.equals("all")) {
                want.addAll(List.of("e2e", "collector", "tail", "state", "saturation", "sink", "jmh"));
            } else {
                want.add(p.trim());
            }
        }
        return want;
    }

    /** {@code --quick}: small and short everything. */
    void applyQuick() {
        run.applyQuick();
        collector.applyQuick();
        saturation.applyQuick();
        state.applyQuick();
        sink.applyQuick();
        metrics.applyQuick();
        jmhArgs = "-f 0 -wi 0 -i 1 -r 200ms -bm thrpt SpoolBench.write";
    }

    public static Path repoRoot() {
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
