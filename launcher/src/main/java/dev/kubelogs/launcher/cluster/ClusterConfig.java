package dev.kubelogs.launcher.cluster;

import dev.kubelogs.collector.local.LoopbackPorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.TaskManagerOptions;

/**
 * The {@code config.yaml} of the local cluster: the production file ({@code flink-conf/config.yaml}) read with Flink's
 * own loader, with what only makes sense on EKS replaced by its local counterpart. RocksDB, incremental checkpoints,
 * the restart strategy, uids and max parallelism stay as reviewed; S3 becomes file:// under the state directory,
 * Kubernetes HA becomes ZooKeeper HA, fixed ports become free ones ({@link LoopbackPorts}), and everything binds to
 * 127.0.0.1.
 */
public final class ClusterConfig {
    static final String FILE_NAME = "config.yaml";

    /**
     * Keys of the production file dropped here, and why: the S3 endpoint (no S3), the Prometheus reporter (a plugin of
     * the image, not on the classpath; its fixed port would clash between processes), RocksDB's local dir (one per
     * TaskManager, set on its command line) and the fixed TaskManager ports (two TaskManagers share one host).
     */
    static final List<String> DROPPED = List.of(
            "s3.endpoint",
            "metrics.reporter.prom.factory.class",
            "metrics.reporter.prom.port",
            "state.backend.rocksdb.localdir",
            "taskmanager.rpc.port",
            "taskmanager.data.port");

    /**
     * The JVM options the distribution's config.yaml sets for Java 17 ({@code env.java.opts.all}), which its scripts
     * put on every JobManager and TaskManager command line: without {@code --add-opens java.base/java.util} the
     * DataStream runtime cannot even run a jar's main class.
     */
    static final String JAVA_17_OPTS = String.join(
            " ",
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    /** The JobManager's own JVM options, after {@code env.java.opts.all} (CoreOptions.FLINK_JM_JVM_OPTIONS). */
    public static final String JOB_MANAGER = "env.java.opts.jobmanager";
    /** The TaskManagers' own JVM options, after {@code env.java.opts.all} (CoreOptions.FLINK_TM_JVM_OPTIONS). */
    public static final String TASK_MANAGER = "env.java.opts.taskmanager";
    /** Slots per TaskManager. */
    public static final String SLOTS = TaskManagerOptions.NUM_TASK_SLOTS.key();

    /**
     * The JVM options a process of {@code role} ({@link #JOB_MANAGER} or {@link #TASK_MANAGER}) starts with: {@code
     * env.java.opts.all}, then the role's own, as the distribution's scripts and Flink's Kubernetes pods order them.
     */
    public static List<String> javaOptions(Configuration conf, String role) {
        return split(conf.getString("env.java.opts.all", "") + " " + conf.getString(role, ""));
    }

    /** The words of a command-line string, as the distribution's scripts split JVM options. */
    static List<String> split(String args) {
        return Arrays.stream(args.trim().split("\\s+"))
                .filter(s -> !s.isEmpty())
                .toList();
    }

    /**
     * What a local cluster may differ in.
     *
     * @param checkpointInterval over the production file's; null keeps it
     * @param asDeployed Flink's own memory split and heartbeats, as the FlinkDeployment's pods run them (for a bench at
     *     the deployment's process sizes); false: the memory split that lets 768m processes start (smaller metaspace,
     *     JVM overhead and framework memory) and heartbeats that notice a killed TaskManager within seconds
     * @param slotsPerTaskManager {@code taskmanager.numberOfTaskSlots} over the production file's; null keeps it. Whoever
     *     computed {@code taskManagers} from a slot count passes that count here, so that the cluster offers the slots
     *     the count was computed for
     * @param stateBackend the keyed state backend and its memory split over the production file's; null keeps them
     */
    public record Settings(
            int taskManagers,
            String taskManagerMemory,
            String jobManagerMemory,
            Duration checkpointInterval,
            boolean asDeployed,
            Integer slotsPerTaskManager,
            ClusterStateBackend stateBackend) {

        public Settings {
            if (slotsPerTaskManager != null && slotsPerTaskManager < 1) {
                throw new IllegalArgumentException("a TaskManager needs at least one slot, not " + slotsPerTaskManager);
            }
        }

        /** The production file's state backend. */
        public Settings(
                int taskManagers,
                String taskManagerMemory,
                String jobManagerMemory,
                Duration checkpointInterval,
                boolean asDeployed,
                Integer slotsPerTaskManager) {
            this(
                    taskManagers,
                    taskManagerMemory,
                    jobManagerMemory,
                    checkpointInterval,
                    asDeployed,
                    slotsPerTaskManager,
                    null);
        }

        /** The production file's slots per TaskManager. */
        public Settings(
                int taskManagers,
                String taskManagerMemory,
                String jobManagerMemory,
                Duration checkpointInterval,
                boolean asDeployed) {
            this(taskManagers, taskManagerMemory, jobManagerMemory, checkpointInterval, asDeployed, null);
        }

        /** Small processes: what {@code ./pipeline cluster} and the chaos drill start on a laptop. */
        public Settings(
                int taskManagers, String taskManagerMemory, String jobManagerMemory, Duration checkpointInterval) {
            this(taskManagers, taskManagerMemory, jobManagerMemory, checkpointInterval, false);
        }

        public static Settings defaults() {
            return new Settings(2, "768m", "768m", null);
        }
    }

    private ClusterConfig() {}

    /** The production configuration with the local replacements, as flat keys. */
    public static Map<String, String> local(
            Path productionConfigDir, Path stateDir, int zooKeeperPort, int restPort, Settings settings) {
        Configuration production = GlobalConfiguration.loadConfiguration(productionConfigDir.toString());
        Map<String, String> conf = new TreeMap<>(production.toMap());
        DROPPED.forEach(conf::remove);
        String checkpoints = stateDir.resolve("checkpoints").toUri().toString();
        String savepoints = stateDir.resolve("savepoints").toUri().toString();
        conf.put("execution.checkpointing.dir", checkpoints);
        conf.put("state.checkpoints.dir", checkpoints);
        conf.put("execution.checkpointing.savepoint-dir", savepoints);
        conf.put("state.savepoints.dir", savepoints);
        if (settings.checkpointInterval() != null) {
            conf.put(
                    "execution.checkpointing.interval",
                    settings.checkpointInterval().toMillis() + "ms");
        }
        if (settings.slotsPerTaskManager() != null) {
            conf.put(SLOTS, Integer.toString(settings.slotsPerTaskManager()));
        }
        conf.putIfAbsent("env.java.opts.all", JAVA_17_OPTS);
        conf.put("high-availability.type", "zookeeper");
        conf.put("high-availability.zookeeper.quorum", "127.0.0.1:" + zooKeeperPort);
        conf.put("high-availability.storageDir", stateDir.resolve("ha").toUri().toString());
        conf.put("high-availability.cluster-id", "/kubelogs-local");
        // where the JobManager records jobs and applications that ended (Flink's default is under the storage dir too);
        // named here so the records can be looked at, and removed with the HA data
        conf.put(
                "job-result-store.storage-path",
                jobResultStore(stateDir).toUri().toString());
        conf.put(
                "application-result-store.storage-path",
                applicationResultStore(stateDir).toUri().toString());
        // a JobManager killed with -9 holds its leadership until its ZooKeeper session expires: keep that short
        conf.put("high-availability.zookeeper.client.session-timeout", "10s");
        conf.put("high-availability.zookeeper.client.connection-timeout", "15s");
        conf.put("jobmanager.rpc.address", "127.0.0.1");
        conf.put("jobmanager.bind-host", "127.0.0.1");
        conf.put("taskmanager.bind-host", "127.0.0.1");
        conf.put("taskmanager.host", "127.0.0.1");
        conf.put("rest.address", "127.0.0.1");
        conf.put("rest.bind-address", "127.0.0.1");
        // fixed for the cluster's life, so a JobManager started again after a crash answers where the first one did
        conf.put("rest.port", Integer.toString(restPort));
        conf.put("web.upload.dir", stateDir.resolve("jobmanager/uploads").toString());
        conf.put("parallelism.default", "2");
        conf.put("jobmanager.memory.process.size", settings.jobManagerMemory());
        conf.put("taskmanager.memory.process.size", settings.taskManagerMemory());
        if (!settings.asDeployed()) {
            fitSmallProcesses(conf);
            // until a killed TaskManager is declared dead the scheduler keeps deploying to it (each attempt a restart
            // with a longer backoff): heartbeats every 2 s let two failed heartbeat RPCs
            // (heartbeat.rpc-failure-threshold) say so within seconds instead of the 10 s interval's ~20 s; the timeout
            // covers a TaskManager hung on a busy machine
            conf.put("heartbeat.interval", "2s");
            conf.put("heartbeat.timeout", "20s");
        }
        if (settings.stateBackend() != null) {
            // after the small processes' split: the backend decides what managed memory is for
            conf.putAll(settings.stateBackend().keys());
        }
        return conf;
    }

    /** The defaults (256m metaspace, 192m+ overhead, 128m framework heap) alone would not fit a 768m TaskManager. */
    private static void fitSmallProcesses(Map<String, String> conf) {
        conf.put("taskmanager.memory.jvm-metaspace.size", "160m");
        conf.put("taskmanager.memory.jvm-overhead.min", "96m");
        conf.put("taskmanager.memory.framework.heap.size", "64m");
        conf.put("taskmanager.memory.framework.off-heap.size", "64m");
        conf.put("taskmanager.memory.network.min", "32m");
        conf.put("taskmanager.memory.managed.fraction", "0.3");
        conf.put("jobmanager.memory.jvm-metaspace.size", "160m");
        conf.put("jobmanager.memory.jvm-overhead.min", "96m");
    }

    /** The JobManager's records of ended jobs: one {@code <job id>.json} each, {@code _DIRTY} until cleaned up. */
    public static Path jobResultStore(Path stateDir) {
        return stateDir.resolve("ha/job-result-store");
    }

    /** The JobManager's records of ended applications, as {@link #jobResultStore} for jobs. */
    public static Path applicationResultStore(Path stateDir) {
        return stateDir.resolve("ha/application-result-store");
    }

    /** Writes flat {@code key: 'value'} lines (quoted: a value is always a string to Flink's YAML loader). */
    public static void write(Map<String, String> conf, Path dir) throws IOException {
        StringBuilder b = new StringBuilder(
                "# written by ./pipeline cluster from flink-conf/config.yaml; see " + "ClusterConfig\n");
        new TreeMap<>(conf)
                .forEach((k, v) ->
                        b.append(k).append(": '").append(v.replace("'", "''")).append("'\n"));
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(FILE_NAME), b.toString(), StandardCharsets.UTF_8);
    }
}
