package dev.kubelogs.bench;

import dev.kubelogs.job.JobCommand;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** {@code ./pipeline bench}'s options of the metrics pipeline's parts, and the parts. */
final class MetricsOptions {
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
            description = "Scrapes of every target before the measured ones, so they run JIT-warm like a "
                    + "long-running job: with --job-topology cluster the first scrapes of the same job, reported apart "
                    + "(after the start-up); with minicluster an unreported run before; 0 = none (default: "
                    + "${DEFAULT-VALUE}).")
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

    /** Whether {@code want} names the throughput run. */
    static boolean throughput(Set<String> want) {
        return want.contains("metrics") || want.contains("metrics-throughput");
    }

    void applyQuick() {
        metricsTargets = Math.min(metricsTargets, 10);
        metricsScrapes = Math.min(metricsScrapes, 5);
        metricsWarmupScrapes = Math.min(metricsWarmupScrapes, 2);
        metricsStateTargets = Math.min(metricsStateTargets, 10);
        discoveryNamespaces = List.of(10, 100);
        discoveryKept = List.of(10, 50);
    }

    /**
     * The metrics parts {@code want} names ({@code metrics} for all three): throughput, delta state, discovery memory;
     * false when the throughput run lost or duplicated samples. The throughput run's job runs on a cluster of its own
     * processes with {@code cluster}'s settings, or on a MiniCluster in this JVM when that is null.
     */
    boolean run(
            Set<String> want,
            ClusterRunSettings cluster,
            Path repoRoot,
            int parallelism,
            Duration checkpointInterval,
            String stateBackend,
            Path work,
            PrintStream out)
            throws Exception {
        boolean ok = true;
        if (throughput(want)) {
            EndToEnd.say(
                    out,
                    "== metrics pipeline: %d exporters × %,d series, %d scrapes each every %s, exactly-once sink",
                    metricsTargets,
                    ExporterText.SERIES,
                    metricsScrapes,
                    metricsInterval);
            MetricsBench.Spec spec = new MetricsBench.Spec(
                    metricsTargets,
                    metricsScrapes,
                    metricsInterval,
                    parallelism,
                    checkpointInterval,
                    stateBackend,
                    work.resolve("metrics"));
            MetricsBench.Result m;
            if (cluster != null) {
                m = MetricsBench.runOnCluster(spec, metricsWarmupScrapes, cluster, repoRoot, out);
            } else {
                if (metricsWarmupScrapes > 0) {
                    MetricsBench.warmUp(spec.withScrapes(metricsWarmupScrapes), out);
                }
                m = MetricsBench.run(spec, out);
            }
            ok = m.lost == 0 && m.duplicated == 0;
        }
        if (want.contains("metrics") || want.contains("metrics-state")) {
            EndToEnd.say(
                    out, "== metrics delta state: %d exporters' series in the delta stage alone", metricsStateTargets);
            DeltaStateBench.run(metricsStateTargets, out);
        }
        if (want.contains("metrics") || want.contains("metrics-discovery")) {
            EndToEnd.say(
                    out,
                    "== metrics discovery memory: namespaces %s × %d pods, kept targets %s",
                    discoveryNamespaces,
                    discoveryPodsPerNamespace,
                    discoveryKept);
            DiscoveryMemoryBench.run(
                    DiscoveryMemoryBench.defaultCases(discoveryNamespaces, discoveryPodsPerNamespace, discoveryKept),
                    out);
        }
        return ok;
    }
}
