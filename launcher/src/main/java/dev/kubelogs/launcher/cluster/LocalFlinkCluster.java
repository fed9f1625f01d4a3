package dev.kubelogs.launcher.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kubelogs.collector.local.LocalProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessSpec;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;

/**
 * A Flink standalone session cluster on this machine, one JVM per process as in a real deployment: a ZooKeeper server
 * for high availability, a JobManager ({@code StandaloneSessionClusterEntrypoint}) and N TaskManagers
 * ({@code TaskManagerRunner}), all on the Flink runtime of {@code flink-lib/target/classpath.txt}. JVM flags and memory
 * settings are derived from the configuration exactly as the distribution's scripts derive them (the same
 * {@code *ProcessUtils} calls that {@code BashJavaUtils} makes). Pids and ports are kept in
 * {@code <state>/cluster.json}, output in {@code <state>/logs}.
 */
public final class LocalFlinkCluster {
    static final String JOB_MANAGER_MAIN = "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
    static final String TASK_MANAGER_MAIN = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    static final String ZOOKEEPER_MAIN = "org.apache.zookeeper.server.ZooKeeperServerMain";
    static final String STATE_FILE = "cluster.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What {@code cluster.json} holds. */
    public record State(
            Path repoRoot,
            Path stateDir,
            int restPort,
            int zooKeeperPort,
            JvmProcess zooKeeper,
            JvmProcess jobManager,
            List<JvmProcess> taskManagers) {}

    private State state;
    private final Configuration conf;

    private LocalFlinkCluster(State state) throws IOException {
        this.state = state;
        this.conf = Configuration.fromMap(readConfig(confDir(state.stateDir())));
    }

    /**
     * Starts ZooKeeper, the JobManager and the TaskManagers, and returns once the REST API lists every TaskManager.
     * The state directory is emptied first, except {@code savepoints/}.
     */
    public static LocalFlinkCluster start(
            Path repoRoot, Path stateDir, ClusterConfig.Settings settings, Duration timeout)
            throws IOException, InterruptedException {
        Path dir = stateDir.toAbsolutePath().normalize();
        Path root = repoRoot.toAbsolutePath().normalize();
        clear(dir);
        int zkPort = LocalProcess.freePort();
        int restPort = LocalProcess.freePort();
        Map<String, String> conf = ClusterConfig.local(root.resolve("flink-conf"), dir, zkPort, restPort, settings);
        ClusterConfig.write(conf, confDir(dir));
        Files.copy(
                root.resolve("flink-conf/log4j-console.properties"),
                confDir(dir).resolve("log4j-console.properties"));
        JvmProcess zk = startZooKeeper(dir, zkPort);
        LocalFlinkCluster cluster = new LocalFlinkCluster(new State(root, dir, restPort, zkPort, zk, null, List.of()));
        try {
            awaitPort(zkPort, timeout, zk);
            cluster.startJobManager();
            List<JvmProcess> tms = new ArrayList<>();
            for (int i = 0; i < settings.taskManagers(); i++) {
                tms.add(cluster.launchTaskManager(i));
                cluster.update(new State(root, dir, restPort, zkPort, zk, cluster.state.jobManager(), tms));
            }
            cluster.awaitTaskManagers(settings.taskManagers(), timeout);
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            // whatever was started must not outlive the failed start
            cluster.stop(Duration.ofSeconds(30));
            throw e;
        }
    }

    /** The cluster described by {@code <stateDir>/cluster.json} (its processes may or may not run). */
    public static LocalFlinkCluster attach(Path stateDir) throws IOException {
        Path file = stateDir.toAbsolutePath().normalize().resolve(STATE_FILE);
        if (!Files.isRegularFile(file)) {
            throw new IOException(
                    "no cluster was started with state directory " + stateDir + " (" + file + " is missing)");
        }
        return new LocalFlinkCluster(JSON.readValue(file.toFile(), State.class));
    }

    public State state() {
        return state;
    }

    public FlinkRest rest() {
        return new FlinkRest(URI.create("http://127.0.0.1:" + state.restPort()));
    }

    public Path logDir() {
        return state.stateDir().resolve("logs");
    }

    public Path savepointDir() {
        return state.stateDir().resolve("savepoints");
    }

    /** Starts the JobManager (again, after a crash: it takes leadership through ZooKeeper and recovers the jobs). */
    public void startJobManager() throws IOException {
        JobManagerProcessSpec spec = JobManagerProcessUtils.processSpecFromConfig(conf);
        List<String> jvm =
                new ArrayList<>(ClusterConfig.split(JobManagerProcessUtils.generateJvmParametersStr(spec, conf)));
        jvm.addAll(ClusterConfig.javaOptions(conf, ClusterConfig.JOB_MANAGER));
        jvm.addAll(logging("jobmanager"));
        List<String> args =
                new ArrayList<>(List.of("--configDir", confDir(state.stateDir()).toString()));
        args.addAll(ClusterConfig.split(JobManagerProcessUtils.generateDynamicConfigsStr(spec)));
        args.addAll(List.of(
                "-D", "io.tmp.dirs=" + Files.createDirectories(state.stateDir().resolve("jobmanager/tmp"))));
        JvmProcess jm = JvmProcess.start(
                "jobmanager", jvm, flinkClasspath(), JOB_MANAGER_MAIN, args, logDir().resolve("jobmanager.out"));
        update(new State(
                state.repoRoot(),
                state.stateDir(),
                state.restPort(),
                state.zooKeeperPort(),
                state.zooKeeper(),
                jm,
                state.taskManagers()));
    }

    /** Starts TaskManager {@code index} (again, after a crash: it registers as a new TaskManager). */
    public void startTaskManager(int index) throws IOException {
        JvmProcess tm = launchTaskManager(index);
        List<JvmProcess> tms = new ArrayList<>(state.taskManagers());
        tms.set(index, tm);
        update(new State(
                state.repoRoot(),
                state.stateDir(),
                state.restPort(),
                state.zooKeeperPort(),
                state.zooKeeper(),
                state.jobManager(),
                tms));
    }

    private JvmProcess launchTaskManager(int index) throws IOException {
        String name = "taskmanager-" + (index + 1);
        TaskExecutorProcessSpec spec = TaskExecutorProcessUtils.processSpecFromConfig(conf);
        List<String> jvm = new ArrayList<>(ClusterConfig.split(ProcessMemoryUtils.generateJvmParametersStr(spec)));
        jvm.addAll(ClusterConfig.javaOptions(conf, ClusterConfig.TASK_MANAGER));
        jvm.addAll(logging(name));
        Path home = state.stateDir().resolve(name);
        List<String> args =
                new ArrayList<>(List.of("--configDir", confDir(state.stateDir()).toString()));
        args.addAll(ClusterConfig.split(TaskExecutorProcessUtils.generateDynamicConfigsStr(spec)));
        args.addAll(List.of(
                "-D",
                "io.tmp.dirs=" + Files.createDirectories(home.resolve("tmp")),
                "-D",
                "state.backend.rocksdb.localdir=" + Files.createDirectories(home.resolve("rocksdb")),
                // named after the process, so the REST API's TaskManagers can be told apart; a new id per start,
                // as a replaced pod gets one
                "-D",
                "taskmanager.resource-id=" + name + "-" + System.currentTimeMillis()));
        return JvmProcess.start(name, jvm, flinkClasspath(), TASK_MANAGER_MAIN, args, logDir().resolve(name + ".out"));
    }

    private static JvmProcess startZooKeeper(Path dir, int port) throws IOException {
        Path data = Files.createDirectories(dir.resolve("zookeeper"));
        Path cfg = data.resolve("zoo.cfg");
        Files.writeString(
                cfg,
                String.join(
                        "\n",
                        "dataDir=" + data.resolve("data"),
                        "clientPort=" + port,
                        "clientPortAddress=127.0.0.1",
                        "tickTime=1000",
                        "maxClientCnxns=0",
                        "admin.enableServer=false",
                        ""),
                StandardCharsets.UTF_8);
        // the launcher's own classpath has the ZooKeeper server (Maven Central, the 3.7 line of Flink's client)
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(e -> Path.of(e).toAbsolutePath().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        return JvmProcess.start(
                "zookeeper",
                List.of("-Xmx128m", "-Dzookeeper.admin.enableServer=false"),
                classpath,
                ZOOKEEPER_MAIN,
                List.of(cfg.toString()),
                dir.resolve("logs/zookeeper.out"));
    }

    /** Every process of the cluster, ZooKeeper first. */
    public List<JvmProcess> processes() {
        List<JvmProcess> all = new ArrayList<>();
        all.add(state.zooKeeper());
        if (state.jobManager() != null) {
            all.add(state.jobManager());
        }
        all.addAll(state.taskManagers());
        return all;
    }

    /** SIGTERM to the TaskManagers, the JobManager and ZooKeeper, in that order. */
    public void stop(Duration timeout) throws IOException, InterruptedException {
        List<JvmProcess> all = processes();
        java.util.Collections.reverse(all);
        for (JvmProcess p : all) {
            p.stop(timeout);
        }
    }

    /** Waits until the REST API lists {@code count} TaskManagers with all their slots. */
    public void awaitTaskManagers(int count, Duration timeout) throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        FlinkRest rest = rest();
        JsonNode last = null;
        while (System.nanoTime() < end) {
            if (!state.jobManager().alive()) {
                throw new IOException(
                        "the JobManager exited; see " + logDir().resolve("jobmanager.out") + " and jobmanager.log");
            }
            last = rest.overviewOrNull();
            if (last != null && last.path("taskmanagers").asInt() == count && allReportedSlots(rest)) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IOException("the cluster did not list " + count + " TaskManagers within " + timeout
                + " (last overview: " + last
                + "); logs in " + logDir());
    }

    /**
     * A TaskManager registers before it reports its slots, so the overview can list it with none for a moment; a
     * job submitted then waits for slots that are on their way.
     */
    private static boolean allReportedSlots(FlinkRest rest) throws IOException {
        for (JsonNode tm : rest.taskManagers()) {
            if (tm.path("slotsNumber").asInt() == 0) {
                return false;
            }
        }
        return true;
    }

    /** The shaded job jar, as built by the job module. */
    public Path jobJar() throws IOException {
        Path jar = state.repoRoot().resolve("job/target/kubelogs-job.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IOException(jar + " is missing: build it with mvn -pl job package");
        }
        return jar;
    }

    private void update(State s) throws IOException {
        this.state = s;
        Files.createDirectories(s.stateDir());
        Path tmp = s.stateDir().resolve(STATE_FILE + ".tmp");
        JSON.writeValue(tmp.toFile(), s);
        Files.move(
                tmp,
                s.stateDir().resolve(STATE_FILE),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The distribution's scripts put the logging properties after the JVM options on every command line. */
    private List<String> logging(String name) {
        List<String> opts = new ArrayList<>();
        Path props = confDir(state.stateDir()).resolve("log4j-console.properties");
        opts.addAll(List.of(
                "-Dlog.file=" + logDir().resolve(name + ".log"),
                "-Dlog4j.configuration=file:" + props,
                "-Dlog4j.configurationFile=file:" + props));
        return opts;
    }

    private String flinkClasspath() throws IOException {
        Path file = state.repoRoot().resolve("flink-lib/target/classpath.txt");
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + " is missing: build it with mvn -pl flink-lib install");
        }
        return Files.readString(file, StandardCharsets.UTF_8).trim();
    }

    static Path confDir(Path stateDir) {
        return stateDir.resolve("conf");
    }

    private static Map<String, String> readConfig(Path confDir) {
        return org.apache.flink.configuration.GlobalConfiguration.loadConfiguration(confDir.toString())
                .toMap();
    }

    private static void clear(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> top = Files.list(dir)) {
            for (Path p : top.filter(p -> !p.getFileName().toString().equals("savepoints"))
                    .toList()) {
                try (Stream<Path> all = Files.walk(p)) {
                    for (Path f : all.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(f);
                    }
                }
            }
        }
    }

    private static void awaitPort(int port, Duration timeout, JvmProcess owner)
            throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (!owner.alive()) {
                throw new IOException(owner.name() + " exited before it listened on " + port);
            }
            if (LocalProcess.accepts(port)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IOException(owner.name() + " did not listen on " + port + " within " + timeout);
    }
}
