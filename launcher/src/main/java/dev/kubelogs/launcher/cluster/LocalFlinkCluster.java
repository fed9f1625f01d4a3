package dev.kubelogs.launcher.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kubelogs.collector.local.LocalProcess;
import dev.kubelogs.collector.local.LoopbackPorts;
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
import java.util.OptionalLong;
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
    /** Of a process's output, in the message of one that exited without printing an exception. */
    private static final int LAST_LINES = 5;

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
     * The state directory is emptied first, except {@code savepoints/}. A start that fails part way stops every process
     * it started before it throws.
     */
    public static LocalFlinkCluster start(
            Path repoRoot, Path stateDir, ClusterConfig.Settings settings, Duration timeout)
            throws IOException, InterruptedException {
        int zkPort = LoopbackPorts.pick();
        int restPort = LoopbackPorts.pick();
        while (restPort == zkPort) {
            restPort = LoopbackPorts.pick();
        }
        return start(repoRoot, stateDir, settings, timeout, zkPort, restPort);
    }

    /** {@link #start(Path, Path, ClusterConfig.Settings, Duration)} on the given ZooKeeper and REST ports. */
    static LocalFlinkCluster start(
            Path repoRoot, Path stateDir, ClusterConfig.Settings settings, Duration timeout, int zkPort, int restPort)
            throws IOException, InterruptedException {
        Path dir = stateDir.toAbsolutePath().normalize();
        Path root = repoRoot.toAbsolutePath().normalize();
        refuseIfRunning(dir);
        clear(dir);
        Map<String, String> conf = ClusterConfig.local(root.resolve("flink-conf"), dir, zkPort, restPort, settings);
        ClusterConfig.write(conf, confDir(dir));
        Files.copy(
                root.resolve("flink-conf/log4j-console.properties"),
                confDir(dir).resolve("log4j-console.properties"));
        LocalFlinkCluster cluster =
                new LocalFlinkCluster(new State(root, dir, restPort, zkPort, null, null, List.of()));
        // the processes run in sessions of their own, so a launcher that ends mid-start (Ctrl-C, a bench's timeout)
        // would leave them running: until the start returns, the launcher's exit kills them
        Thread killOnExit = new Thread(() -> cluster.killAll(Duration.ofSeconds(10)), "kill-unfinished-cluster");
        Runtime.getRuntime().addShutdownHook(killOnExit);
        try {
            cluster.startZooKeeper(timeout);
            cluster.startJobManager();
            List<JvmProcess> tms = new ArrayList<>();
            for (int i = 0; i < settings.taskManagers(); i++) {
                tms.add(cluster.launchTaskManager(i));
                cluster.update(cluster.withTaskManagers(List.copyOf(tms)));
            }
            cluster.awaitTaskManagers(settings.taskManagers(), timeout);
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            try {
                cluster.stop(Duration.ofSeconds(30));
            } catch (IOException | InterruptedException | RuntimeException stopFailed) {
                e.addSuppressed(stopFailed);
            }
            throw e;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException exiting) {
                // the hook is running or has run
            }
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
        update(withTaskManagers(tms));
    }

    private State withTaskManagers(List<JvmProcess> tms) {
        return new State(
                state.repoRoot(),
                state.stateDir(),
                state.restPort(),
                state.zooKeeperPort(),
                state.zooKeeper(),
                state.jobManager(),
                tms);
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

    /** Starts ZooKeeper and waits until it listens on its port. */
    private void startZooKeeper(Duration timeout) throws IOException, InterruptedException {
        Path dir = state.stateDir();
        int port = state.zooKeeperPort();
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
        Path out = logDir().resolve("zookeeper.out");
        JvmProcess zk = JvmProcess.start(
                "zookeeper",
                List.of("-Xmx128m", "-Dzookeeper.admin.enableServer=false"),
                classpath,
                ZOOKEEPER_MAIN,
                List.of(cfg.toString()),
                out);
        update(new State(state.repoRoot(), dir, state.restPort(), port, zk, state.jobManager(), state.taskManagers()));
        awaitPort(port, timeout, zk, out);
    }

    /** Every process of the cluster started so far, ZooKeeper first. */
    public List<JvmProcess> processes() {
        return processesOf(state);
    }

    private static List<JvmProcess> processesOf(State s) {
        List<JvmProcess> all = new ArrayList<>();
        if (s.zooKeeper() != null) {
            all.add(s.zooKeeper());
        }
        if (s.jobManager() != null) {
            all.add(s.jobManager());
        }
        all.addAll(s.taskManagers());
        return all;
    }

    /**
     * SIGTERM to the TaskManagers, the JobManager and ZooKeeper, in that order, each SIGKILLed after {@code timeout};
     * one that cannot be stopped does not keep the others running (the first failure is thrown once all were tried).
     */
    public void stop(Duration timeout) throws IOException, InterruptedException {
        List<JvmProcess> all = processes();
        java.util.Collections.reverse(all);
        IOException failed = null;
        for (JvmProcess p : all) {
            try {
                p.stop(timeout);
            } catch (IOException e) {
                if (failed == null) {
                    failed = e;
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    /** SIGKILL to every process, for a launcher that exits while it starts the cluster. */
    private void killAll(Duration timeout) {
        for (JvmProcess p : processes()) {
            try {
                p.kill(timeout);
            } catch (IOException | InterruptedException | RuntimeException e) {
                System.err.println("could not kill " + p.name() + " (pid " + p.pid() + "): " + e.getMessage());
            }
        }
    }

    /**
     * A cluster whose processes still run in {@code dir} would lose its files to {@link #clear} and run on beside the
     * new one: the caller must stop it (./pipeline cluster stop) first.
     */
    private static void refuseIfRunning(Path dir) throws IOException {
        if (!Files.isRegularFile(dir.resolve(STATE_FILE))) {
            return;
        }
        State earlier;
        try {
            earlier = JSON.readValue(dir.resolve(STATE_FILE).toFile(), State.class);
        } catch (IOException unreadable) {
            return;
        }
        List<String> running = processesOf(earlier).stream()
                .filter(JvmProcess::alive)
                .map(p -> p.name() + " (pid " + p.pid() + ")")
                .toList();
        if (!running.isEmpty()) {
            throw new IOException(
                    "processes of an earlier cluster in " + dir + " still run: " + String.join(", ", running)
                            + "; stop them first (./pipeline cluster stop --state-dir " + dir + ")");
        }
    }

    /** Waits until the REST API lists {@code count} TaskManagers with all their slots. */
    public void awaitTaskManagers(int count, Duration timeout) throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        FlinkRest rest = rest();
        JsonNode last = null;
        while (System.nanoTime() < end) {
            if (!state.jobManager().alive()) {
                Path out = logDir().resolve("jobmanager.out");
                throw new IOException("the JobManager exited: " + exitReason(state.jobManager(), out, state.restPort())
                        + "; see " + out + " and jobmanager.log");
            }
            last = rest.overviewOrNull();
            if (last != null) {
                requireListener(state.jobManager(), state.restPort());
            }
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

    /** Waits until {@code owner} listens on {@code port}; if it exits first, the error says why (its output says). */
    private static void awaitPort(int port, Duration timeout, JvmProcess owner, Path out)
            throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (!owner.alive()) {
                throw new IOException(owner.name() + " exited before it listened on 127.0.0.1:" + port + ": "
                        + exitReason(owner, out, port) + "; see " + out);
            }
            if (LocalProcess.accepts(port)) {
                requireListener(owner, port);
                return;
            }
            Thread.sleep(100);
        }
        throw new IOException(
                owner.name() + " did not listen on 127.0.0.1:" + port + " within " + timeout + "; see " + out);
    }

    /**
     * Something answers on {@code port}: it must be {@code owner}, not a process of an earlier or another cluster that
     * holds the port (our process then fails to bind it, and the cluster would talk to that one's ZooKeeper or REST
     * API, with that one's jobs and HA data). Where the listener cannot be seen (not Linux), the answer is taken as
     * {@code owner}'s.
     */
    private static void requireListener(JvmProcess owner, int port) throws IOException {
        OptionalLong listener = PortHolders.listener(port);
        if (listener.isPresent() && listener.getAsLong() != owner.pid()) {
            throw new IOException(owner.name() + " (pid " + owner.pid() + ") cannot listen on 127.0.0.1:" + port + ": "
                    + PortHolders.describe(port));
        }
    }

    /**
     * Why a process exited: its exit code, and from its output its first failure to bind a port, with who holds the port
     * now, or else the last exception it printed, or else its last lines.
     */
    static String exitReason(JvmProcess process, Path out, int port) {
        return process.exitStatus() + ", " + exitReason(out, port);
    }

    static String exitReason(Path out, int port) {
        String exception = null;
        List<String> last = new ArrayList<>();
        try (Stream<String> lines = Files.lines(out, StandardCharsets.UTF_8)) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.matches("(Caused by: )?[\\w.$]+(Exception|Error)(: .*)?") && !isBindFailure(exception)) {
                    exception = line.replaceFirst("^Caused by: ", "");
                }
                if (!line.isBlank()) {
                    last.add(line);
                    if (last.size() > LAST_LINES) {
                        last.remove(0);
                    }
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            return "its output is unreadable (" + e.getMessage() + ")";
        }
        if (exception == null) {
            return last.isEmpty()
                    ? "it printed nothing"
                    : "it printed no exception; its last lines: " + String.join(" | ", last);
        }
        return isBindFailure(exception) ? exception + " (" + PortHolders.describe(port) + ")" : exception;
    }

    /** A server's usual start-up failure, which the shutdown's own exceptions must not hide. */
    private static boolean isBindFailure(String exception) {
        return exception != null
                && (exception.contains("BindException") || exception.contains("Address already in use"));
    }
}
