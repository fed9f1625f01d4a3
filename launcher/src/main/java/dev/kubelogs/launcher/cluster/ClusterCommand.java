package dev.kubelogs.launcher.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubelogs.job.JobCommand;
import dev.kubelogs.launcher.BenchCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./pipeline cluster start|stop|status|submit}: a local Flink standalone cluster with ZooKeeper HA. */
@Command(
        name = "cluster",
        mixinStandardHelpOptions = true,
        description = "A local Flink session cluster, one JVM per process: ZooKeeper (HA), a JobManager and "
                + "TaskManagers, "
                + "RocksDB and file-system checkpoints as in flink-conf/config.yaml; REST on 127.0.0.1.",
        subcommands = {
            ClusterCommand.Start.class,
            ClusterCommand.Stop.class,
            ClusterCommand.Status.class,
            ClusterCommand.Submit.class
        })
public final class ClusterCommand implements Runnable {
    static final String DEFAULT_STATE_DIR = "./.pipeline/cluster";

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description = "Start ZooKeeper, the JobManager and the TaskManagers.")
    static final class Start implements Callable<Integer> {
        @Option(
                names = "--state-dir",
                defaultValue = DEFAULT_STATE_DIR,
                description = "Config, pids, logs, checkpoints, HA data; emptied first except savepoints/ (default: "
                        + "${DEFAULT-VALUE}).")
        Path stateDir;

        @Option(
                names = "--task-managers",
                defaultValue = "2",
                description = "TaskManager processes (default: ${DEFAULT-VALUE}), 2 slots each.")
        int taskManagers;

        @Option(
                names = "--taskmanager-memory",
                defaultValue = "768m",
                description = "taskmanager.memory.process.size (default: ${DEFAULT-VALUE}).")
        String taskManagerMemory;

        @Option(
                names = "--jobmanager-memory",
                defaultValue = "768m",
                description = "jobmanager.memory.process.size (default: ${DEFAULT-VALUE}).")
        String jobManagerMemory;

        @Option(
                names = "--checkpoint-interval",
                converter = JobCommand.DurationConverter.class,
                description = "Instead of config.yaml's execution.checkpointing.interval.")
        Duration checkpointInterval;

        @Override
        public Integer call() throws Exception {
            if (running(stateDir)) {
                System.err.println(
                        "a cluster already runs with state directory " + stateDir + "; ./pipeline cluster stop first");
                return 1;
            }
            LocalFlinkCluster c = LocalFlinkCluster.start(
                    BenchCommand.repoRoot(),
                    stateDir,
                    new ClusterConfig.Settings(taskManagers, taskManagerMemory, jobManagerMemory, checkpointInterval),
                    Duration.ofMinutes(3));
            print(c);
            return 0;
        }
    }

    @Command(
            name = "stop",
            mixinStandardHelpOptions = true,
            description = "Stop every process of the cluster (SIGTERM, then SIGKILL).")
    static final class Stop implements Callable<Integer> {
        @Option(names = "--state-dir", defaultValue = DEFAULT_STATE_DIR, description = "(default: ${DEFAULT-VALUE})")
        Path stateDir;

        @Override
        public Integer call() throws Exception {
            LocalFlinkCluster c = attached(stateDir);
            if (c == null) {
                return 1;
            }
            c.stop(Duration.ofSeconds(30));
            System.out.println(
                    "stopped; logs and checkpoints stay in " + c.state().stateDir());
            return 0;
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "Processes, TaskManagers and jobs; exit 1 unless all run.")
    static final class Status implements Callable<Integer> {
        @Option(names = "--state-dir", defaultValue = DEFAULT_STATE_DIR, description = "(default: ${DEFAULT-VALUE})")
        Path stateDir;

        @Override
        public Integer call() throws Exception {
            LocalFlinkCluster c = attached(stateDir);
            if (c == null) {
                return 1;
            }
            print(c);
            return c.processes().stream().allMatch(JvmProcess::alive) ? 0 : 1;
        }
    }

    @Command(
            name = "submit",
            mixinStandardHelpOptions = true,
            description = "Upload job/target/kubelogs-job.jar over the REST API and run it with the given job "
                    + "arguments "
                    + "(./pipeline cluster submit -- --spool DIR --cloudwatch-endpoint URL …).")
    static final class Submit implements Callable<Integer> {
        @Option(names = "--state-dir", defaultValue = DEFAULT_STATE_DIR, description = "(default: ${DEFAULT-VALUE})")
        Path stateDir;

        @Option(names = "--from-savepoint", description = "Restore from this savepoint.")
        String savepoint;

        @Parameters(description = "Arguments of the job (./pipeline job --help).")
        List<String> jobArgs = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            LocalFlinkCluster c = attached(stateDir);
            if (c == null) {
                return 1;
            }
            FlinkRest rest = c.rest();
            String applicationId = rest.runApplication(
                    rest.uploadJar(c.jobJar()), jobArgs, null, savepoint, ClusterJob.newApplicationId());
            String jobId =
                    ClusterJob.of(rest, applicationId, Duration.ofMinutes(3)).id();
            System.out.println("application " + applicationId + ", job " + jobId + " submitted; " + rest.base()
                    + "/#/job/running/" + jobId);
            return 0;
        }
    }

    /** The cluster started with {@code stateDir}, or null after one line saying there is none (not a stack trace). */
    private static LocalFlinkCluster attached(Path stateDir) {
        try {
            return LocalFlinkCluster.attach(stateDir);
        } catch (java.io.IOException none) {
            System.err.println("cluster: " + none.getMessage());
            return null;
        }
    }

    private static boolean running(Path stateDir) {
        try {
            return LocalFlinkCluster.attach(stateDir).processes().stream().anyMatch(JvmProcess::alive);
        } catch (java.io.IOException none) {
            return false;
        }
    }

    private static void print(LocalFlinkCluster c) {
        LocalFlinkCluster.State s = c.state();
        System.out.printf(Locale.ROOT, "state directory %s%n", s.stateDir());
        for (JvmProcess p : c.processes()) {
            System.out.printf(
                    Locale.ROOT, "  %-15s pid %-8d %s%n", p.name(), p.pid(), p.alive() ? "running" : "NOT RUNNING");
        }
        System.out.printf(Locale.ROOT, "  zookeeper      127.0.0.1:%d%n", s.zooKeeperPort());
        System.out.printf(Locale.ROOT, "  REST / web UI  %s%n", c.rest().base());
        JsonNode o = c.rest().overviewOrNull();
        if (o == null) {
            System.out.println("  the REST API does not answer (JobManager down or electing a leader)");
        } else {
            System.out.printf(
                    Locale.ROOT,
                    "  %d TaskManagers, %d/%d slots free, jobs running %d, finished %d, cancelled %d, failed %d%n",
                    o.path("taskmanagers").asInt(),
                    o.path("slots-available").asInt(),
                    o.path("slots-total").asInt(),
                    o.path("jobs-running").asInt(),
                    o.path("jobs-finished").asInt(),
                    o.path("jobs-cancelled").asInt(),
                    o.path("jobs-failed").asInt());
        }
        System.out.printf(Locale.ROOT, "  logs           %s%n", c.logDir());
    }
}
