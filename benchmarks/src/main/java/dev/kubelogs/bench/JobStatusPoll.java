package dev.kubelogs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

/**
 * Waits for a cluster's job to finish by asking {@code GET /jobs/:id/status}, as Flink's REST client asks for a job's
 * status. {@code GET /jobs/:id} would serve too, but each answer has the JobManager update its metric store first
 * (the job's I/O counts), which makes it ask every TaskManager's metric query service for all its metrics at most
 * every {@code metrics.fetcher.update-interval}: work a bench that polls it bills and production does not do.
 */
final class JobStatusPoll {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FAILED = Set.of("FAILED", "FAILING", "CANCELED", "CANCELLING");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI status;
    private final String jobId;
    private final Duration every;

    JobStatusPoll(int restPort, String jobId, Duration every) {
        this.status = URI.create("http://127.0.0.1:" + restPort + "/jobs/" + jobId + "/status");
        this.jobId = jobId;
        this.every = every;
    }

    /** Returns once the job is FINISHED; a job that failed or was cancelled, or no end in time, is an error. */
    void awaitFinished(Duration timeout) throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        String state = null;
        while (System.nanoTime() < end) {
            state = stateOrNull();
            if ("FINISHED".equals(state)) {
                return;
            }
            if (FAILED.contains(state)) {
                throw new IOException("job " + jobId + " is " + state);
            }
            Thread.sleep(every.toMillis());
        }
        throw new IOException("job " + jobId + " did not finish within " + timeout + " (it is " + state + ")");
    }

    /** The job's status, or null while the JobManager does not answer with one (a restart, a leader election). */
    private String stateOrNull() throws InterruptedException {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(status)
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return null;
            }
            JsonNode body = JSON.readTree(r.body());
            return body.path("status").isTextual() ? body.path("status").asText() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
