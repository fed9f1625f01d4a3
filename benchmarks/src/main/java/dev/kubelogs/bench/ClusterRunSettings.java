package dev.kubelogs.bench;

import dev.kubelogs.launcher.cluster.ClusterConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The settings of an e2e run in production's process topology: the FlinkDeployment's and the collector DaemonSet's
 * ({@link ShippedSettings}), except what the user passed explicitly. Checkpointing, the state backend, restarts and the
 * TaskManagers' JVM flags come from {@code flink-conf/config.yaml} through {@link ClusterConfig}, the memory from the
 * FlinkDeployment's resources.
 *
 * @param checkpointInterval {@code --checkpoint-interval} when given, else null (the deployment's)
 * @param discoveryInterval {@code --discovery-interval} when given, else null
 * @param segmentAge {@code --segment-age} when given, else null
 * @param parallelism {@code --parallelism} when given, else null
 */
record ClusterRunSettings(
        ShippedSettings shipped,
        Duration checkpointInterval,
        Duration discoveryInterval,
        Duration segmentAge,
        Integer parallelism) {

    static final String CHECKPOINT_INTERVAL = "execution.checkpointing.interval";
    static final String SLOTS = "taskmanager.numberOfTaskSlots";
    static final String SEGMENT_AGE = "SEGMENT_MAX_AGE";

    int jobParallelism() {
        return parallelism != null ? parallelism : shipped.parallelism();
    }

    /** As many TaskManagers as the parallelism needs at the shipped slots each, as the native deployment starts. */
    int taskManagers() {
        int slots = Integer.parseInt(shipped.flinkConfig().getOrDefault(SLOTS, "1"));
        return (jobParallelism() + slots - 1) / slots;
    }

    /** The local cluster: the deployment's process sizes with Flink's own memory split and heartbeats. */
    ClusterConfig.Settings clusterSettings() {
        return new ClusterConfig.Settings(
                taskManagers(), shipped.taskManagerMemory(), shipped.jobManagerMemory(), checkpointInterval, true);
    }

    /** The job's arguments: the deployment's (with an explicit discovery interval) and the bench's own. */
    List<String> jobArgs(String spool, String cloudWatchEndpoint, Duration metadataWait) {
        Map<String, String> overrides = new LinkedHashMap<>();
        if (discoveryInterval != null) {
            overrides.put("--discovery-interval", discoveryInterval.toMillis() + "ms");
        }
        List<String> args = BenchJob.benchArgs(spool, cloudWatchEndpoint, jobParallelism());
        args.addAll(List.of("--metadata-wait", metadataWait.toMillis() + "ms"));
        args.addAll(shipped.with(overrides).jobArgsForBench());
        return args;
    }

    /** The collectors' environment over the bench's: the DaemonSet's segment settings, with an explicit age. */
    Map<String, String> collectorEnv() {
        Map<String, String> env = new LinkedHashMap<>(shipped.collectorEnv());
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
        return List.of(
                "checkpoint interval " + checkpointIntervalText(),
                "spool discovery every "
                        + from(discoveryInterval, shipped.jobArg("--discovery-interval"))
                        + sourceOf(discoveryInterval, "--discovery-interval"),
                "segment age " + from(segmentAge, shipped.collectorEnv().getOrDefault(SEGMENT_AGE, "collector default"))
                        + sourceOf(segmentAge, "--segment-age"),
                String.format(
                        Locale.ROOT,
                        "parallelism %d on %d TaskManager(s) × %s slots%s",
                        jobParallelism(),
                        taskManagers(),
                        shipped.flinkConfig().getOrDefault(SLOTS, "1"),
                        parallelism != null ? " (--parallelism)" : " (shipped)"),
                "TaskManager " + shipped.taskManagerMemory() + ", JobManager " + shipped.jobManagerMemory()
                        + " process memory, Flink's memory split and flink-conf/config.yaml's JVM options (shipped)",
                "local in place of EKS: ZooKeeper HA for Kubernetes HA (its process not billed: Kubernetes HA has "
                        + "none of the job's), file:// for S3 (spool, checkpoints), "
                        + "no Prometheus reporter (not on the local classpath)");
    }

    private static String from(Duration explicit, String shippedValue) {
        return explicit != null ? ReportText.fmt(explicit) : shippedValue;
    }

    private static String sourceOf(Duration explicit, String option) {
        return explicit != null ? " (" + option + ")" : " (shipped)";
    }
}
