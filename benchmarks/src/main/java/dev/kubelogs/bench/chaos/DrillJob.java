package dev.kubelogs.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubelogs.launcher.cluster.ClusterJob;
import dev.kubelogs.launcher.cluster.FlinkRest;
import dev.kubelogs.launcher.cluster.LocalFlinkCluster;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The drill's job on the cluster, as a user runs it: the shaded jar uploaded and run as an application over REST, and
 * upgraded by a stop-with-savepoint and a run from that savepoint (the savepoint-restore fault).
 */
final class DrillJob {
    private final LocalFlinkCluster cluster;
    private final List<String> args;
    private final int parallelism;
    private final Duration startTimeout;
    private final Consumer<String> say;
    private String jarId;
    private volatile String jobId;
    private volatile String applicationId;

    DrillJob(
            LocalFlinkCluster cluster,
            List<String> args,
            int parallelism,
            Duration startTimeout,
            Consumer<String> say) {
        this.cluster = cluster;
        this.args = args;
        this.parallelism = parallelism;
        this.startTimeout = startTimeout;
        this.say = say;
    }

    /** The job's arguments: the drill's spool and endpoint, a 1-s discovery and no metadata wait. */
    static List<String> args(Path spool, URI endpoint, int parallelism) {
        return List.of(
                "--spool",
                spool.toString(),
                "--cloudwatch-endpoint",
                endpoint.toString(),
                "--region",
                "us-west-2",
                "--metadata-wait",
                "0s",
                "--discovery-interval",
                "1s",
                "--parallelism",
                Integer.toString(parallelism));
    }

    /** The running job's id (it changes with every upgrade); null before the first run. */
    String id() {
        return jobId;
    }

    /**
     * Uploads the jar and runs it as an application (from a savepoint for an upgrade). A JobManager that dies meanwhile
     * (another fault) is waited for: the jar is uploaded again and the run repeated with the same application id, which
     * the cluster takes once.
     */
    void submit(String savepoint) throws Exception {
        FlinkRest rest = cluster.rest();
        String application = ClusterJob.newApplicationId();
        long end = System.nanoTime() + startTimeout.toNanos();
        while (true) {
            try {
                if (jarId == null) {
                    jarId = rest.uploadJar(cluster.jobJar());
                }
                rest.runApplication(jarId, args, parallelism, savepoint, application);
                break;
            } catch (IOException e) {
                if (rest.applicationStatusOrNull(application) != null) {
                    break; // the run went through, its answer did not
                }
                if (System.nanoTime() > end) {
                    throw e;
                }
                say.accept("  job submission failed (" + e.getMessage() + "); trying again");
                jarId = null;
                Thread.sleep(2_000);
            }
        }
        while (true) {
            try {
                ClusterJob job = ClusterJob.of(rest, application, Duration.ofNanos(end - System.nanoTime()));
                applicationId = application;
                jobId = job.id();
                job.awaitRunning(Duration.ofNanos(Math.max(0, end - System.nanoTime())));
                return;
            } catch (IOException e) {
                // a JobManager killed meanwhile: its successor recovers the application; a failed job is final
                if (System.nanoTime() > end || rest.jobStateOrNull(jobId == null ? application : jobId) != null) {
                    throw e;
                }
                Thread.sleep(1_000);
            }
        }
    }

    /** The job's state and how many of its tasks run, as the web UI shows it. */
    String status() {
        try {
            JsonNode job = cluster.rest().job(jobId);
            int running = 0;
            int all = 0;
            for (JsonNode v : job.path("vertices")) {
                all += v.path("parallelism").asInt();
                running += v.path("tasks").path("RUNNING").asInt();
            }
            return job.path("state").asText() + " " + running + "/" + all + " tasks running";
        } catch (IOException e) {
            return "REST API down";
        }
    }

    /**
     * stop-with-savepoint, then the jar from that savepoint. A JobManager that dies during the stop (another fault)
     * leaves either the job running again (recovered from its last checkpoint: nothing to restore) or the job finished
     * with its savepoint written but not reported: then the newest savepoint of the job is the one to restore.
     */
    String upgrade() throws Exception {
        String stopped = jobId;
        String stoppedApplication = applicationId;
        String savepoint;
        try {
            synchronized (cluster) {
                savepoint = cluster.rest().stopWithSavepoint(stopped, cluster.savepointDir(), Duration.ofMinutes(3));
            }
            // as the Kubernetes operator deploys the upgrade only once the old job is done: the stop's answer can
            // come before the JobManager has recorded the job's end, and a JobManager dying in between would run the
            // old job again beside the new one
            awaitApplicationFinished(stoppedApplication);
        } catch (IOException e) {
            String state = awaitJobStateAfterRecovery(stopped);
            if ("RUNNING".equals(state)) {
                return "stop-with-savepoint failed (" + e.getMessage() + "); the job was recovered and runs on";
            }
            savepoint = newestSavepoint(cluster.savepointDir(), stopped);
            if (savepoint == null) {
                throw e;
            }
            submit(savepoint);
            return "stop-with-savepoint unanswered (" + e.getMessage() + "), job " + state
                    + "; restored its newest savepoint "
                    + Path.of(URI.create(savepoint)).getFileName();
        }
        submit(savepoint);
        return "savepoint " + Path.of(URI.create(savepoint)).getFileName();
    }

    /** Cancels the job if a JobManager still knows it (the end of a drill). */
    void cancel() throws IOException {
        if (jobId != null && cluster.rest().jobStateOrNull(jobId) != null) {
            cluster.rest().cancel(jobId);
        }
    }

    private void awaitApplicationFinished(String application) throws IOException, InterruptedException {
        long end = System.nanoTime() + startTimeout.toNanos();
        String status = null;
        while (System.nanoTime() < end) {
            status = cluster.rest().applicationStatusOrNull(application);
            if ("FINISHED".equals(status)) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IOException("application " + application + " of the stopped job is " + status + ", not FINISHED");
    }

    /** The job's state once a JobManager answers for it again (RUNNING, FINISHED, …), or null after the timeout. */
    private String awaitJobStateAfterRecovery(String job) throws InterruptedException {
        long end = System.nanoTime() + startTimeout.toNanos();
        String state = null;
        while (System.nanoTime() < end) {
            state = cluster.rest().jobStateOrNull(job);
            if ("RUNNING".equals(state) || "FINISHED".equals(state)) {
                return state;
            }
            Thread.sleep(1_000);
        }
        return state;
    }

    /** The newest complete savepoint of {@code job} in {@code savepointDir} (Flink names them after it), or null. */
    static String newestSavepoint(Path savepointDir, String job) throws IOException {
        try (Stream<Path> dirs = Files.list(savepointDir)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("savepoint-" + job.substring(0, 6)))
                    .filter(d -> Files.isRegularFile(d.resolve("_metadata")))
                    .max(Comparator.comparingLong(
                            d -> d.resolve("_metadata").toFile().lastModified()))
                    .map(d -> d.toUri().toString())
                    .orElse(null);
        }
    }
}
