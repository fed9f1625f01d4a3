package dev.kubelogs.bench;

import dev.kubelogs.launcher.cluster.ClusterJob;
import dev.kubelogs.launcher.cluster.JvmProcess;
import dev.kubelogs.launcher.cluster.LocalFlinkCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The job of an e2e run in production's process topology: a {@link LocalFlinkCluster} of its own processes
 * (ZooKeeper, JobManager, TaskManagers) at the deployment's settings, and the shaded jar run on it over REST as a user
 * runs it ({@link ClusterJob}), bounded with {@code --until-sealed}.
 */
final class ClusterBenchJob implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration FINISH_POLL = Duration.ofSeconds(1);

    private final LocalFlinkCluster cluster;
    private final ClusterJob job;

    private ClusterBenchJob(LocalFlinkCluster cluster, ClusterJob job) {
        this.cluster = cluster;
        this.job = job;
    }

    /** Starts the cluster under {@code stateDir}, submits the job and returns once it runs; stops what it started if not. */
    static ClusterBenchJob start(Path repoRoot, Path stateDir, ClusterRunSettings settings, List<String> jobArgs)
            throws IOException, InterruptedException {
        LocalFlinkCluster cluster =
                LocalFlinkCluster.start(repoRoot, stateDir, settings.clusterSettings(), START_TIMEOUT);
        try {
            ClusterJob job = ClusterJob.submit(
                    cluster.rest(), cluster.jobJar(), jobArgs, settings.jobParallelism(), START_TIMEOUT);
            return new ClusterBenchJob(cluster, job);
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.stop(Duration.ofSeconds(30));
            throw e;
        }
    }

    String jobId() {
        return job.id();
    }

    int restPort() {
        return cluster.state().restPort();
    }

    Path logDir() {
        return cluster.logDir();
    }

    List<Long> taskManagerPids() {
        return cluster.state().taskManagers().stream().map(JvmProcess::pid).toList();
    }

    long jobManagerPid() {
        return cluster.state().jobManager().pid();
    }

    /**
     * Waits until the bounded job has finished; a job that fails or is cancelled is an error naming its state. Asks once a
     * second, and only for the job's status ({@link JobStatusPoll}): the steady window's bill runs until the end.
     */
    void awaitFinished(Duration timeout) throws IOException, InterruptedException {
        new JobStatusPoll(restPort(), job.id(), FINISH_POLL).awaitFinished(timeout);
    }

    /** Cancels the job (one with no end, over Kinesis, once everything was delivered). */
    void cancel() throws IOException {
        cluster.rest().cancel(job.id());
    }

    /** Stops the cluster's processes (its logs stay under the state directory). */
    @Override
    public void close() throws IOException, InterruptedException {
        cluster.stop(Duration.ofSeconds(30));
    }
}
