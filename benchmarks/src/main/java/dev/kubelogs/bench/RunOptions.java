package dev.kubelogs.bench;

import dev.kubelogs.job.JobCommand;
import dev.kubelogs.launcher.cluster.ClusterStateBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.apache.flink.configuration.MemorySize;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./pipeline bench}'s options of an end-to-end run (the {@code e2e} part, and the base of the collector,
 * saturation and spool-cost parts): nodes, rate, timing, line mix, rotation, the job's settings and the collectors'
 * JVM.
 */
final class RunOptions {
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
            description = "Generation time of the e2e run, warm-up included (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(
            names = "--warmup",
            defaultValue = "15s",
            converter = JobCommand.DurationConverter.class,
            description =
                    "The first part of --duration, excluded from throughput, CPU and latency percentiles (default: ${DEFAULT-VALUE}).")
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
            description = "Flink checkpoint interval (default: the FlinkDeployment's where the job runs on a cluster, "
                    + "--job-topology cluster; ${DEFAULT-VALUE} on a MiniCluster and in the sink part).")
    Duration checkpointInterval;

    @Option(
            names = "--discovery-interval",
            defaultValue = "1s",
            converter = JobCommand.DurationConverter.class,
            description = "Spool discovery interval of the job (default: the FlinkDeployment's with --job-topology "
                    + "cluster; ${DEFAULT-VALUE}, the job's own default, on a MiniCluster).")
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

    @Option(
            names = "--parallelism",
            defaultValue = "2",
            description = "Flink parallelism (default: ${DEFAULT-VALUE}; with --job-topology cluster the "
                    + "FlinkDeployment's unless given).")
    int parallelism;

    @Option(
            names = "--slots-per-taskmanager",
            description = "With --job-topology cluster: taskmanager.numberOfTaskSlots over the FlinkDeployment's; "
                    + "the cluster starts ceil(parallelism / slots) TaskManagers, as the native deployment does "
                    + "(e.g. 4: one TaskManager for the shipped parallelism 4; give --taskmanager-memory with it).")
    Integer slotsPerTaskManager;

    @Option(
            names = "--taskmanager-memory",
            description =
                    "With --job-topology cluster: each TaskManager's process size (taskmanager.memory.process.size, "
                            + "Flink's memory syntax, e.g. 5g) over the FlinkDeployment's taskManager.resource.memory.")
    String taskManagerMemory;

    @Option(
            names = "--job-topology",
            defaultValue = "cluster",
            converter = JobTopology.Converter.class,
            description = "Where the e2e and metrics-throughput parts' job runs: cluster (production's process "
                    + "topology: a standalone Flink "
                    + "cluster of its own processes, ZooKeeper, JobManager, TaskManagers, at the FlinkDeployment's "
                    + "memory, JVM options, parallelism, checkpointing and job arguments; the bill is the TaskManagers' "
                    + "and the JobManager's CPU, JIT and GC included, and nothing of the harness) or minicluster (the "
                    + "job in the harness JVM with the bench's settings: starts faster, but the JVM's JIT and GC are "
                    + "shared with the stand-ins). With cluster, --checkpoint-interval, --discovery-interval, "
                    + "--segment-age and --parallelism replace the shipped values only when given (default: "
                    + "${DEFAULT-VALUE}).")
    JobTopology jobTopology;

    @Option(
            names = "--segment-age",
            converter = JobCommand.DurationConverter.class,
            description = "With --job-topology cluster: the collectors' SEGMENT_MAX_AGE over the DaemonSet's "
                    + "(over Kinesis: over the Kinesis variant's, k8s/kinesis).")
    Duration segmentAge;

    @Option(
            names = "--transport",
            defaultValue = "spool",
            converter = BenchTransport.Converter.class,
            description = "How segments reach the job, with --job-topology cluster: spool (the default transport) "
                    + "or kinesis (a stream on a local Kinesis-compatible server, tools/kinesis-local, started for "
                    + "the run; its CPU is reported apart, not billed) (default: ${DEFAULT-VALUE}).")
    BenchTransport transport;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(
            names = "--state-backend",
            defaultValue = "rocksdb",
            description = "rocksdb or hashmap. With --job-topology cluster the deployment's unless given, and when "
                    + "given with the memory split that goes with it (managed memory for RocksDB, none for the heap "
                    + "backend); with minicluster ${DEFAULT-VALUE} unless given.")
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

    /** {@code --quick}: one node, a low rate, a few seconds, fast rotation. */
    void applyQuick() {
        nodes = Math.min(nodes, 1);
        rate = Math.min(rate, 500);
        duration = Duration.ofSeconds(8);
        warmup = Duration.ofSeconds(2);
        rotateEvery = Duration.ofSeconds(3);
        copytruncateEvery = Duration.ofSeconds(4);
    }

    /** The job's metadata wait: as given, else 10 s with the kubelet stand-ins and 0 s without (no metadata comes). */
    Duration metadataWait() {
        if (metadataWait != null) {
            return metadataWait;
        }
        return kubelet ? Duration.ofSeconds(10) : Duration.ZERO;
    }

    /** The end-to-end run these options describe, with the job, in {@code work}. */
    EndToEnd.Spec spec(CollectorProcess.JvmFlags flags, Path work, long seed) {
        int[] frames = parseRange(traceFrames);
        return new EndToEnd.Spec(
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
                work,
                seed,
                metadataWait(),
                kubelet,
                null);
    }

    /**
     * The settings of a {@code --job-topology cluster} run: the deployment's, with the checkpoint interval, discovery
     * interval, segment age and parallelism replaced only where they were given on the command line.
     */
    ClusterRunSettings clusterSettings(ShippedSettings shipped) {
        ClusterStateBackend backend = null;
        if (given("--state-backend")) {
            try {
                backend = ClusterStateBackend.named(stateBackend);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(command.commandLine(), "--state-backend: " + e.getMessage());
            }
        }
        if (slotsPerTaskManager != null && slotsPerTaskManager < 1) {
            throw new CommandLine.ParameterException(
                    command.commandLine(), "--slots-per-taskmanager must be at least 1, not " + slotsPerTaskManager);
        }
        if (taskManagerMemory != null) {
            try {
                MemorySize.parse(taskManagerMemory);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(
                        command.commandLine(),
                        "--taskmanager-memory must be a Flink memory size such as 5g or 5120m, not '"
                                + taskManagerMemory + "'");
            }
        }
        return new ClusterRunSettings(
                shipped,
                given("--checkpoint-interval") ? checkpointInterval : null,
                given("--discovery-interval") ? discoveryInterval : null,
                segmentAge,
                given("--parallelism") ? parallelism : null,
                transport,
                slotsPerTaskManager,
                taskManagerMemory,
                backend);
    }

    /**
     * The warm-up is the start of the generation time, not added to it: a warm-up as long as the run leaves no window
     * to measure, and such a run would report 0 lines/s after minutes of load.
     */
    void checkWindow() {
        if (warmup.compareTo(duration) >= 0) {
            throw new CommandLine.ParameterException(
                    command.commandLine(),
                    "--warmup (" + warmup.toSeconds() + " s) must be shorter than --duration (" + duration.toSeconds()
                            + " s), which includes it: for 300 s measured after a 300-s warm-up give --duration 600s");
        }
    }

    /** What the in-process endpoint keeps per stored event (measured: a 12 GiB heap filled at ~30M events). */
    static final long ENDPOINT_BYTES_PER_EVENT = 400;

    /** What the delivery ledger keeps per generated record: one byte of sightings ({@link SeenRecords}). */
    static final long LEDGER_BYTES_PER_RECORD = 1;

    /**
     * What the ledger keeps per second of the run, whatever the rate ({@link DeliveryLatency}): 12 KB of the
     * ingestion timeline and a histogram of that second's latencies, 4 bytes per millisecond they spread over (64 KB
     * for 16 s).
     */
    static final long LEDGER_BYTES_PER_SECOND = 80_000;

    /**
     * The e2e part's endpoint runs in this JVM: it keeps each stored event for {@link EndToEnd#ENDPOINT_KEEPS_EVENTS}
     * and hands it to the delivery ledger, which keeps a byte per record and a little per second. A run that needs
     * more than 80 % of {@code maxHeapBytes} for that would slow the endpoint into timeouts and backpressure and
     * report the harness, not the job: it is refused before it starts, with the limit in numbers. The generation
     * time is counted twice, for the drain after it.
     */
    void checkEndpointHeap(long maxHeapBytes) {
        double linesPerSecond = nodes * rate;
        long usable = maxHeapBytes / 10 * 8;
        double kept = linesPerSecond * EndToEnd.ENDPOINT_KEEPS_EVENTS.toSeconds() * ENDPOINT_BYTES_PER_EVENT;
        double perSecond = linesPerSecond * LEDGER_BYTES_PER_RECORD + 2 * LEDGER_BYTES_PER_SECOND;
        double needed = kept + perSecond * duration.toSeconds();
        if (needed > usable) {
            long maxSeconds = (long) Math.max(0, (usable - kept) / perSecond);
            throw new CommandLine.ParameterException(
                    command.commandLine(),
                    String.format(
                            Locale.ROOT,
                            "%d node(s) × %,.0f lines/s × %d s needs ~%,d MiB in this JVM: the endpoint keeps "
                                    + "%d s of stored events (~%d bytes each, %,d MiB at this rate) and the delivery "
                                    + "check %d byte per line and ~%d KB per second; the heap (%,d MiB; 80 %% "
                                    + "usable) holds %,d s at this rate: shorten --duration, lower the rate or give "
                                    + "more heap (BENCH_JAVA_OPTS=-Xmx...)",
                            nodes,
                            rate,
                            duration.toSeconds(),
                            (long) needed >> 20,
                            EndToEnd.ENDPOINT_KEEPS_EVENTS.toSeconds(),
                            ENDPOINT_BYTES_PER_EVENT,
                            (long) kept >> 20,
                            LEDGER_BYTES_PER_RECORD,
                            2 * LEDGER_BYTES_PER_SECOND / 1000,
                            maxHeapBytes >> 20,
                            maxSeconds));
        }
    }

    /** The Kinesis transport is built for a cluster run only: a MiniCluster run with it is an error that says so. */
    void checkTransport() {
        if (transport == BenchTransport.KINESIS && jobTopology != JobTopology.CLUSTER) {
            throw new CommandLine.ParameterException(
                    command.commandLine(), "--transport kinesis runs with --job-topology cluster only");
        }
    }

    /** A MiniCluster has no TaskManager processes to lay out or size: asking for it there is an error, not ignored. */
    void checkTaskManagerLayout() {
        if ((slotsPerTaskManager != null || taskManagerMemory != null) && jobTopology != JobTopology.CLUSTER) {
            throw new CommandLine.ParameterException(
                    command.commandLine(),
                    "--slots-per-taskmanager and --taskmanager-memory apply to --job-topology cluster only");
        }
    }

    private boolean given(String option) {
        return command != null
                && command.commandLine() != null
                && command.commandLine().getParseResult() != null
                && command.commandLine().getParseResult().hasMatchedOption(option);
    }

    /** The e2e part's first line. */
    String describe() {
        return String.format(
                Locale.ROOT,
                "== e2e: %d node(s) × %,.0f lines/s for %s (warm-up %s), %s lines, %.0f%% stack-trace lines, %s host logs, "
                        + "job on a %s, transport %s",
                nodes,
                rate,
                duration,
                warmup,
                lineSize,
                multilineShare * 100,
                hostLogs,
                jobTopology.option(),
                transport.option());
    }

    static int[] parseRange(String s) {
        String[] p = s.split("-");
        int a = Integer.parseInt(p[0].trim());
        int b = p.length > 1 ? Integer.parseInt(p[1].trim()) : a;
        return new int[] {Math.min(a, b), Math.max(a, b)};
    }
}
