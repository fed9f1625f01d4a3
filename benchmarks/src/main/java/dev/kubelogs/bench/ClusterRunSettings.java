package dev.kubelogs.bench;

import dev.kubelogs.launcher.cluster.ClusterConfig;
import dev.kubelogs.launcher.cluster.ClusterStateBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.util.TimeUtils;

/**
 * The settings of an e2e run in production's process topology: the FlinkDeployment's and the collector DaemonSet's
 * ({@link ShippedSettings}; over Kinesis the Kinesis variant's, {@code k8s/kinesis}), except what the user passed
 * explicitly. The state backend, restarts and the TaskManagers' JVM flags come from {@code flink-conf/config.yaml}
 * through {@link ClusterConfig}, the checkpoint interval and the memory from the FlinkDeployment (a variant's
 * flinkConfiguration differs from config.yaml in its checkpoint interval only; the k8s module's tests hold that).
 *
 * @param checkpointInterval {@code --checkpoint-interval} when given, else null (the deployment's)
 * @param discoveryInterval {@code --discovery-interval} when given, else null
 * @param segmentAge {@code --segment-age} when given, else null
 * @param parallelism {@code --parallelism} when given, else null
 * @param transport how segments reach the job: the spool, or a Kinesis stream ({@link KinesisStream})
 * @param slotsPerTaskManager {@code --slots-per-taskmanager} when given, else null (the deployment's)
 * @param taskManagerMemory {@code --taskmanager-memory} (Flink's process size) when given, else null
 * @param stateBackend {@code --state-backend} when given, with its memory split, else null (the deployment's)
 */
record ClusterRunSettings(
        ShippedSettings shipped,
        Duration checkpointInterval,
        Duration discoveryInterval,
        Duration segmentAge,
        Integer parallelism,
        BenchTransport transport,
        Integer slotsPerTaskManager,
        String taskManagerMemory,
        ClusterStateBackend stateBackend) {

    static final String CHECKPOINT_INTERVAL = "execution.checkpointing.interval";
    static final String SLOTS = ClusterConfig.SLOTS;
    static final String SEGMENT_AGE = "SEGMENT_MAX_AGE";

    /** The deployment's TaskManager layout and size. */
    ClusterRunSettings(
            ShippedSettings shipped,
            Duration checkpointInterval,
            Duration discoveryInterval,
            Duration segmentAge,
            Integer parallelism,
            BenchTransport transport) {
        this(shipped, checkpointInterval, discoveryInterval, segmentAge, parallelism, transport, null, null, null);
    }

    int jobParallelism() {
        return parallelism != null ? parallelism : shipped.parallelism();
    }

    /** The slots of each TaskManager: as given, else the FlinkDeployment's (Flink's default of 1 if it sets none). */
    int slots() {
        return slotsPerTaskManager != null
                ? slotsPerTaskManager
                : Integer.parseInt(shipped.flinkConfig().getOrDefault(SLOTS, "1"));
    }

    /** As many TaskManagers as the parallelism needs at {@link #slots()} each, as the native deployment starts. */
    int taskManagers() {
        return (jobParallelism() + slots() - 1) / slots();
    }

    /** Each TaskManager's process size: as given, else the FlinkDeployment's. */
    String taskManagerProcessMemory() {
        return taskManagerMemory != null ? taskManagerMemory : shipped.taskManagerMemory();
    }

    /**
     * The local cluster: the deployment's process sizes with Flink's own memory split and heartbeats, and its
     * checkpoint interval (the variant's, which config.yaml does not have) unless one was given. The slots are always
     * set, to the count {@link #taskManagers()} was computed from: the cluster's file is {@code flink-conf/config.yaml},
     * and a slot count that differed from it (another in the FlinkDeployment, or given) would start too few slots for
     * the job, which then fails with NoResourceAvailableException.
     */
    ClusterConfig.Settings clusterSettings() {
        Duration interval = checkpointInterval != null
                ? checkpointInterval
                : TimeUtils.parseDuration(shipped.flinkConfig().get(CHECKPOINT_INTERVAL));
        return new ClusterConfig.Settings(
                taskManagers(),
                taskManagerProcessMemory(),
                shipped.jobManagerMemory(),
                interval,
                true,
                slots(),
                stateBackend);
    }

    /**
     * The job's arguments: the deployment's (with an explicit discovery interval) and the bench's own; over Kinesis
     * {@code stream}'s instead of the spool's (the stream has no end, so the job is not bounded: the run cancels it).
     */
    List<String> jobArgs(String spool, String cloudWatchEndpoint, Duration metadataWait, KinesisStream stream) {
        Map<String, String> overrides = new LinkedHashMap<>();
        if (discoveryInterval != null) {
            overrides.put("--discovery-interval", discoveryInterval.toMillis() + "ms");
        }
        List<String> args = BenchJob.benchArgs(spool, cloudWatchEndpoint, jobParallelism());
        if (transport == BenchTransport.KINESIS) {
            args.remove("--until-sealed");
            args.subList(args.indexOf("--spool"), args.indexOf("--spool") + 2).clear();
            args.addAll(stream.jobArgs());
        }
        args.addAll(List.of("--metadata-wait", metadataWait.toMillis() + "ms"));
        args.addAll(shipped.with(overrides).jobArgsForBench());
        return args;
    }

    /**
     * The collectors' environment over the bench's: the DaemonSet's segment settings (over Kinesis the Kinesis
     * variant's, and {@code stream}'s settings), with an explicit age.
     */
    Map<String, String> collectorEnv(KinesisStream stream) {
        Map<String, String> env = new LinkedHashMap<>(shipped.collectorEnv());
        if (transport == BenchTransport.KINESIS) {
            env.putAll(stream.collectorEnv());
        }
        if (segmentAge != null) {
            env.put(SEGMENT_AGE, segmentAge.toMillis() + "ms");
        }
        return env;
    }

    /** The checkpoint interval the run uses, and where it came from. */
    String checkpointIntervalText() {
        return from(checkpointInterval, shipped.flinkConfig().get(CHECKPOINT_INTERVAL))
                + sourceOf(checkpointInterval, "--checkpoint-interval");
    }

    /** One line per setting that shapes the figures, with where it came from. */
    List<String> describe() {
        boolean kinesis = transport == BenchTransport.KINESIS;
        return List.of(
                "checkpoint interval " + checkpointIntervalText(),
                kinesis
                        ? "transport kinesis: each segment one record (SEGMENT_MAX_BYTES "
                                + shipped.collectorEnv().get("SEGMENT_MAX_BYTES") + ", MAX_LINE_BYTES "
                                + shipped.collectorEnv().get("MAX_LINE_BYTES") + ": a record holds 1 MiB), multiline "
                                + "flush timeout " + shipped.jobArg("--multiline-flush-timeout") + " ("
                                + shipped.source() + "); the job's shard discovery and idle poll at its defaults"
                        : "spool discovery every "
                                + from(discoveryInterval, shipped.jobArg("--discovery-interval"))
                                + sourceOf(discoveryInterval, "--discovery-interval"),
                "segment age " + segmentAgeText(),
                String.format(
                        Locale.ROOT,
                        "parallelism %d on %d TaskManager(s) × %d slots (%s)",
                        jobParallelism(),
                        taskManagers(),
                        slots(),
                        layoutSource()),
                "TaskManager " + taskManagerProcessMemory()
                        + (taskManagerMemory != null ? " (--taskmanager-memory)" : "") + ", JobManager "
                        + shipped.jobManagerMemory()
                        + " process memory, Flink's memory split and flink-conf/config.yaml's JVM options (shipped)",
                stateBackendText(),
                "local in place of EKS: ZooKeeper HA for Kubernetes HA (its process not billed: Kubernetes HA has "
                        + "none of the job's), file:// for S3 (" + (kinesis ? "checkpoints" : "spool, checkpoints")
                        + "), "
                        + "no Prometheus reporter (not on the local classpath)");
    }

    /** The keyed state backend and its managed memory, and where they came from. */
    String stateBackendText() {
        if (stateBackend != null) {
            return "state backend " + stateBackend.flinkName() + ", managed memory fraction "
                    + stateBackend.managedFraction() + " (--state-backend)";
        }
        return "state backend " + shipped.flinkConfig().get("state.backend.type") + ", managed memory fraction "
                + shipped.flinkConfig().getOrDefault("taskmanager.memory.managed.fraction", "0.4 (Flink's default)")
                + " (" + shipped.source() + ")";
    }

    /** Where the parallelism and the slots came from: the options given, or the deployment when none was. */
    private String layoutSource() {
        List<String> given = new ArrayList<>();
        if (parallelism != null) {
            given.add("--parallelism");
        }
        if (slotsPerTaskManager != null) {
            given.add("--slots-per-taskmanager");
        }
        return given.isEmpty() ? shipped.source() : String.join(", ", given);
    }

    /** The collectors' segment age and where it came from: the option, or the (variant's) DaemonSet. */
    String segmentAgeText() {
        if (segmentAge != null) {
            return ReportText.fmt(segmentAge) + " (--segment-age)";
        }
        return shipped.collectorEnv().getOrDefault(SEGMENT_AGE, "collector default") + " (" + shipped.source() + ")";
    }

    private static String from(Duration explicit, String shippedValue) {
        return explicit != null ? ReportText.fmt(explicit) : shippedValue;
    }

    private String sourceOf(Duration explicit, String option) {
        return explicit != null ? " (" + option + ")" : " (" + shipped.source() + ")";
    }
}
