package dev.kubelogs.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubelogs.collector.local.LoopbackPorts;
import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.launcher.DemoCommand;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The local cluster for real: ZooKeeper, a JobManager and a TaskManager as processes, the demo's job uploaded and run
 * over REST (--flink-rest), every generated line delivered once, and nothing left running after stop; and a JobManager
 * that dies right after a stop-with-savepoint finished the job comes back.
 */
class LocalFlinkClusterTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final ClusterConfig.Settings SMALL =
            new ClusterConfig.Settings(1, "768m", "768m", Duration.ofSeconds(1));

    // a failed run keeps its directory: the processes' logs are the only account of what went wrong
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void theDemoRunsOnTheClusterAndStopLeavesNoProcess() throws Exception {
        LocalFlinkCluster cluster = LocalFlinkCluster.start(
                REPO,
                dir.resolve("cluster"),
                new ClusterConfig.Settings(1, "768m", "768m", Duration.ofSeconds(1)),
                Duration.ofMinutes(3));
        try {
            assertThat(cluster.processes())
                    .extracting(JvmProcess::name)
                    .containsExactly("zookeeper", "jobmanager", "taskmanager-1");
            assertThat(cluster.processes()).allMatch(JvmProcess::alive);
            LocalFlinkCluster attached = LocalFlinkCluster.attach(dir.resolve("cluster"));
            assertThat(attached.state()).isEqualTo(cluster.state());

            int code = runDemo(cluster, "--nodes", "1");
            assertThat(code)
                    .as("the demo's exit code: 0 when every line landed once")
                    .isZero();
            assertThat(cluster.state().jobManager().alive())
                    .as("the JobManager survived running the jar")
                    .isTrue();
        } finally {
            cluster.stop(Duration.ofSeconds(30));
        }
        assertThat(cluster.processes()).noneMatch(JvmProcess::alive);
    }

    /**
     * One TaskManager with four slots runs a parallelism-4 job: all four subtasks of every vertex in one process, the
     * keyBy between them through local channels. The cluster offers the slots it was asked for, not the production
     * file's two, so no subtask waits for a slot that never comes (NoResourceAvailableException).
     */
    @Test
    void oneTaskManagerWithFourSlotsRunsAParallelismFourJob() throws Exception {
        LocalFlinkCluster cluster = LocalFlinkCluster.start(
                REPO,
                dir.resolve("cluster"),
                new ClusterConfig.Settings(1, "1024m", "768m", Duration.ofSeconds(1), false, 4),
                Duration.ofMinutes(3));
        try {
            assertThat(cluster.processes())
                    .extracting(JvmProcess::name)
                    .containsExactly("zookeeper", "jobmanager", "taskmanager-1");
            assertThat(cluster.rest().taskManagers())
                    .singleElement()
                    .satisfies(tm -> assertThat(tm.path("slotsNumber").asInt()).isEqualTo(4));

            int code = runDemo(cluster, "--nodes", "2", "--parallelism", "4", "--no-metrics");
            assertThat(code)
                    .as("the demo's exit code: 0 when every line landed once")
                    .isZero();
        } finally {
            cluster.stop(Duration.ofSeconds(30));
        }
    }

    /**
     * The chaos drill's finding: a JobManager killed right after a stop-with-savepoint finished the job never started
     * again (every start: "Skipping recovery of a job … globally terminal state", then an IllegalStateException in
     * {@code Dispatcher.onStart} and a fatal exit). The JobManager had written the finished job's result but not yet
     * its application's, and a job run with {@code /jars/:id/run} belongs to an application that is never persisted,
     * so the next JobManager found a job result of an application it knew nothing of. Here the JobManager dies in
     * exactly that gap, every time: the application result store's directory is replaced by a file, so recording the
     * application's end fails and the JobManager exits (a fatal error, as a failed S3 write would make it on EKS).
     */
    @Test
    void aJobManagerThatDiesRightAfterAStopWithSavepointStartsAgain() throws Exception {
        LocalFlinkCluster cluster = LocalFlinkCluster.start(
                REPO,
                dir.resolve("cluster"),
                new ClusterConfig.Settings(1, "768m", "768m", Duration.ofSeconds(1)),
                Duration.ofMinutes(3));
        try (LocalCloudWatchLogs cw =
                LocalCloudWatchLogs.builder().dataDir(dir.resolve("cw")).port(0).start()) {
            FlinkRest rest = cluster.rest();
            List<String> args = List.of(
                    "--spool",
                    Files.createDirectories(dir.resolve("spool")).toString(),
                    "--cloudwatch-endpoint",
                    cw.endpoint().toString(),
                    "--region",
                    "us-west-2",
                    "--metadata-wait",
                    "0s");
            ClusterJob job = ClusterJob.submit(rest, cluster.jobJar(), args, 1, Duration.ofMinutes(3));
            await("every task of the job to run", () -> allTasksRunning(rest, job.id()));
            Path store = ClusterConfig.applicationResultStore(cluster.state().stateDir());
            deleteRecursively(store);
            Files.writeString(store, "not a directory");
            try {
                rest.stopWithSavepoint(job.id(), cluster.savepointDir(), Duration.ofMinutes(3));
            } catch (IOException e) {
                // the JobManager may exit before it answers; any other failure is the test's
                assertThat(cluster.state().jobManager().alive())
                        .as(e.toString())
                        .isFalse();
            }
            await("the JobManager to exit", () -> !cluster.state().jobManager().alive());
            assertThat(fatalErrors(cluster))
                    .as("the JobManager exited because it could not record the application's end")
                    .anyMatch(l -> l.contains("ApplicationResultStore"));

            Files.delete(store);
            Files.createDirectories(store);
            cluster.startJobManager();
            await("the restarted JobManager to report the job FINISHED", () -> {
                if (!cluster.state().jobManager().alive()) {
                    throw new AssertionError("the restarted JobManager exited: " + fatalErrors(cluster));
                }
                return "FINISHED".equals(rest.jobStateOrNull(job.id()));
            });
            assertThat(cluster.state().jobManager().alive()).isTrue();
        } finally {
            cluster.stop(Duration.ofSeconds(30));
        }
    }

    /**
     * A start whose ZooKeeper port another process holds (the bench once met one there right after another run) fails
     * saying which process holds it, and leaves no process behind. Before, that other process answering on the port
     * passed for ZooKeeper, and the JobManager went on to use it as its ZooKeeper.
     */
    @Test
    void aStartWhoseZooKeeperPortIsTakenSaysByWhomAndLeavesNoProcess() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> LocalFlinkCluster.start(
                            REPO, dir.resolve("cluster"), SMALL, Duration.ofMinutes(3), port, LoopbackPorts.pick()))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("zookeeper ")
                    .hasMessageContaining("listen on 127.0.0.1:" + port + ": ")
                    .hasMessageContaining("port " + port + " is held by pid "
                            + ProcessHandle.current().pid() + " (");
        }
        assertThat(LocalFlinkCluster.attach(dir.resolve("cluster")).state().jobManager())
                .as("no JobManager started without its ZooKeeper")
                .isNull();
        assertThat(processesRunningIn(dir)).isEmpty();
    }

    /**
     * The JobManager cannot bind its REST port: the start fails naming the port's holder, and the ZooKeeper it had
     * already started is stopped.
     */
    @Test
    void aStartWhoseJobManagerCannotBindItsPortStopsZooKeeper() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> LocalFlinkCluster.start(
                            REPO, dir.resolve("cluster"), SMALL, Duration.ofMinutes(3), LoopbackPorts.pick(), port))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("the JobManager exited: ")
                    .hasMessageContaining("BindException")
                    .hasMessageContaining("port " + port + " is held by pid "
                            + ProcessHandle.current().pid() + " (");
        }
        JvmProcess zooKeeper =
                LocalFlinkCluster.attach(dir.resolve("cluster")).state().zooKeeper();
        assertThat(zooKeeper).as("ZooKeeper had started").isNotNull();
        assertThat(zooKeeper.alive()).isFalse();
        assertThat(processesRunningIn(dir)).isEmpty();
    }

    /** Processes of an earlier cluster in the state directory keep it: the start names them and touches nothing. */
    @Test
    void aStartBesideAnEarlierClustersProcessesIsRefused() throws Exception {
        Process earlier = new ProcessBuilder("sleep", "600").start();
        try {
            Path state = Files.createDirectories(dir.resolve("cluster"));
            JvmProcess zooKeeper = new JvmProcess("zookeeper", earlier.pid(), "sleep");
            new ObjectMapper()
                    .writeValue(
                            state.resolve(LocalFlinkCluster.STATE_FILE).toFile(),
                            new LocalFlinkCluster.State(REPO, state, 1, 2, zooKeeper, null, List.of()));
            assertThatThrownBy(() -> LocalFlinkCluster.start(REPO, state, SMALL, Duration.ofMinutes(3)))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("processes of an earlier cluster in " + state + " still run: zookeeper (pid "
                            + earlier.pid() + ")");
            assertThat(earlier.isAlive()).isTrue();
            assertThat(state.resolve(LocalFlinkCluster.STATE_FILE)).exists();
        } finally {
            earlier.destroyForcibly().waitFor();
        }
    }

    /** This JVM's child processes whose command line names {@code dir} (the cluster's config and data are in it). */
    private static List<String> processesRunningIn(Path dir) {
        return ProcessHandle.current()
                .descendants()
                .filter(ProcessHandle::isAlive)
                .map(h -> h.pid() + " " + rawCommandLine(h.pid()))
                .filter(line -> line.contains(dir.toString()))
                .toList();
    }

    private static String rawCommandLine(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"))
                    .replace('\0', ' ');
        } catch (IOException gone) {
            return "";
        }
    }

    private static boolean allTasksRunning(FlinkRest rest, String jobId) {
        try {
            var vertices = rest.job(jobId).path("vertices");
            for (var v : vertices) {
                if (!"RUNNING".equals(v.path("status").asText())) {
                    return false;
                }
            }
            return vertices.size() > 0;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static List<String> fatalErrors(LocalFlinkCluster cluster) {
        try (Stream<String> lines = Files.lines(cluster.logDir().resolve("jobmanager.log"))) {
            return lines.filter(l ->
                            l.contains("Fatal error") || l.matches("(Caused by: )?[\\w.$]+(Exception|Error)(: .*)?"))
                    .toList();
        } catch (IOException e) {
            return List.of("jobmanager.log unreadable: " + e);
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for %s", what).isLessThan(deadline);
            LockSupport.parkNanos(200_000_000L);
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The demo for 3 s at 200 lines/s per node on {@code cluster}, with {@code options}; its exit code. */
    private int runDemo(LocalFlinkCluster cluster, String... options) {
        List<String> args = new ArrayList<>(List.of(options));
        args.addAll(List.of(
                "--rate",
                "200",
                "--duration",
                "3s",
                "--work-dir",
                dir.resolve("demo").toString(),
                "--flink-rest",
                "127.0.0.1:" + cluster.state().restPort()));
        return new CommandLine(new DemoCommand()).execute(args.toArray(String[]::new));
    }
}
