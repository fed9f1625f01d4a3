package dev.kubelogs.launcher.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.ApplicationID;

/**
 * A job run on a Flink cluster over its REST API: the shaded jar uploaded, its main class run as an application (kept
 * in the cluster's HA store, see {@link FlinkRest#runApplication}), the application's job followed.
 */
public final class ClusterJob {
    private static final Set<String> FAILED = Set.of("FAILED", "CANCELED", "CANCELLING", "FAILING");

    private final FlinkRest rest;
    private final String applicationId;
    private final String id;

    private ClusterJob(FlinkRest rest, String applicationId, String id) {
        this.rest = rest;
        this.applicationId = applicationId;
        this.id = id;
    }

    /** Uploads {@code jar}, runs it with {@code args} and returns once the job is RUNNING. */
    public static ClusterJob submit(FlinkRest rest, Path jar, List<String> args, Integer parallelism, Duration timeout)
            throws IOException, InterruptedException {
        String applicationId = newApplicationId();
        rest.runApplication(rest.uploadJar(jar), args, parallelism, null, applicationId);
        ClusterJob job = of(rest, applicationId, timeout);
        job.await(Set.of("RUNNING", "FINISHED"), timeout);
        return job;
    }

    /** A fresh application id, for {@link FlinkRest#runApplication}. */
    public static String newApplicationId() {
        return ApplicationID.generate().toHexString();
    }

    /** The job of a submitted application, once its main class has submitted it. */
    public static ClusterJob of(FlinkRest rest, String applicationId, Duration timeout)
            throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        String status = null;
        while (System.nanoTime() < end) {
            JsonNode app = rest.application(applicationId);
            status = app.path("status").asText();
            JsonNode jobs = app.path("jobs");
            if (jobs.size() > 0) {
                return new ClusterJob(
                        rest, applicationId, jobs.get(0).path("jid").asText());
            }
            if (FAILED.contains(status)) {
                throw new IOException("application " + applicationId + " is " + status + " without a job; see "
                        + rest.base() + "/#/application/" + applicationId);
            }
            Thread.sleep(250);
        }
        throw new IOException(
                "application " + applicationId + " submitted no job within " + timeout + " (it is " + status + ")");
    }

    public String applicationId() {
        return applicationId;
    }

    public String id() {
        return id;
    }

    /** Waits until the job has FINISHED; a job that fails or is cancelled is an error naming its state. */
    public void awaitFinished(Duration timeout) throws IOException, InterruptedException {
        await(Set.of("FINISHED"), timeout);
    }

    /** Waits until the job is RUNNING (or already FINISHED); a job that fails or is cancelled is an error. */
    public void awaitRunning(Duration timeout) throws IOException, InterruptedException {
        await(Set.of("RUNNING", "FINISHED"), timeout);
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
