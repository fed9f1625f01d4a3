package dev.kubelogs.bench;

import dev.kubelogs.job.JobCommand;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /**
     * What the endpoint keeps per stored event of the metrics run: its message (~330 bytes), the string and the
     * store's entry (measured: 1.1 GB live for 2.46M events kept, ~450 bytes each).
     */
    static final long ENDPOINT_BYTES_PER_EVENT = 500;

    /** Events the endpoint stores per second at this run's rate (every group of every scrape). */
    double eventsPerSecond() {
        return metricsTargets
                * 1000.0
                / metricsInterval.toMillis()
                * (ExporterText.GAUGE_GROUPS + ExporterText.PRIMING_GROUPS);
    }

    /**
     * Refuses a throughput run whose check does not fit 80 % of {@code maxHeapBytes}, naming the most scrapes per
     * target that fit. On a cluster the endpoint runs in this JVM and keeps each event for
     * {@link EndToEnd#ENDPOINT_KEEPS_EVENTS} while the ledger keeps {@link MetricsLedger#BYTES_PER_EVENT} of every
     * event of the run; on a MiniCluster the endpoint process keeps all of one run's events and this JVM reads them
     * all back, so the smaller of the two heaps counts.
     */
    void checkHeap(boolean cluster, long maxHeapBytes) {
        if (!cluster) {
            maxHeapBytes = Math.min(maxHeapBytes, EndpointProcess.HEAP_BYTES);
        }
        long usable = maxHeapBytes / 10 * 8;
        long eventsPerScrape = ExporterText.GAUGE_GROUPS + ExporterText.PRIMING_GROUPS;
        long scrapesPerTarget =
                cluster ? metricsWarmupScrapes + metricsScrapes : Math.max(metricsWarmupScrapes, metricsScrapes);
        double kept =
                cluster ? eventsPerSecond() * EndToEnd.ENDPOINT_KEEPS_EVENTS.toSeconds() * ENDPOINT_BYTES_PER_EVENT : 0;
        double perScrape = (double) metricsTargets
                * eventsPerScrape
                * (cluster ? MetricsLedger.BYTES_PER_EVENT : ENDPOINT_BYTES_PER_EVENT + MetricsLedger.BYTES_PER_EVENT);
        double needed = kept + perScrape * scrapesPerTarget;
        if (needed > usable) {
            long most = (long) Math.max(0, (usable - kept) / perScrape);
            throw new CommandLine.ParameterException(
                    command.commandLine(),
                    String.format(
                            Locale.ROOT,
                            "%d targets × %d scrapes every %s need ~%,d MiB in this JVM (%s); the heap (%,d MiB, 80 %% "
                                    + "usable) holds %,d scrapes per target (%,d s) at this rate: fewer "
                                    + "--metrics-scrapes, fewer targets or more heap (BENCH_JAVA_OPTS=-Xmx...)",
                            metricsTargets,
                            scrapesPerTarget,
                            metricsInterval,
                            (long) needed >> 20,
                            cluster
                                    ? String.format(
                                            Locale.ROOT,
                                            "the endpoint keeps %d s of events, ~%d bytes each, %,d MiB at this rate; "
                                                    + "the delivery check %d bytes an event",
                                            EndToEnd.ENDPOINT_KEEPS_EVENTS.toSeconds(),
                                            ENDPOINT_BYTES_PER_EVENT,
                                            (long) kept >> 20,
                                            MetricsLedger.BYTES_PER_EVENT)
                                    : String.format(
                                            Locale.ROOT,
                                            "a MiniCluster run reads back all of one run's events, ~%d bytes each",
                                            ENDPOINT_BYTES_PER_EVENT + MetricsLedger.BYTES_PER_EVENT),
                            maxHeapBytes >> 20,
                            most,
                            most * metricsInterval.toMillis() / 1000));
        }
    }

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
