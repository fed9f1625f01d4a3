package dev.kubelogs.launcher.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** A job run on a Flink cluster over its REST API: the shaded jar uploaded, its main class run, its state followed. */
public final class ClusterJob {
    private static final Set<String> FAILED = Set.of("FAILED", "CANCELED", "CANCELLING", "FAILING");

    private final FlinkRest rest;
    private final String id;

    private ClusterJob(FlinkRest rest, String id) {
        this.rest = rest;
        this.id = id;
    }

    /** Uploads {@code jar}, runs it with {@code args} and returns once the job is RUNNING. */
    public static ClusterJob submit(FlinkRest rest, Path jar, List<String> args, Integer parallelism, Duration timeout)
            throws IOException, InterruptedException {
        ClusterJob job = new ClusterJob(rest, rest.runJar(rest.uploadJar(jar), args, parallelism, null));
        job.await(Set.of("RUNNING", "FINISHED"), timeout);
        return job;
    }

    public String id() {
        return id;
    }

    /** Waits until the job has FINISHED; a job that fails or is cancelled is an error naming its state. */
    public void awaitFinished(Duration timeout) throws IOException, InterruptedException {
        await(Set.of("FINISHED"), timeout);
    }

    private void await(Set<String> states, Duration timeout) throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        String state = null;
        while (System.nanoTime() < end) {
            state = rest.job(id).path("state").asText();
            if (states.contains(state)) {
                return;
            }
            if (FAILED.contains(state)) {
                throw new IOException("job " + id + " is " + state + "; see " + rest.base() + "/#/job/completed/" + id);
            }
            Thread.sleep(250);
        }
        throw new IOException(
                "job " + id + " did not reach " + states + " within " + timeout + " (it is " + state + ")");
    }
}
