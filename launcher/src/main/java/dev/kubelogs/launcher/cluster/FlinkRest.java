package dev.kubelogs.launcher.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The few calls of Flink's REST API a user makes with {@code curl} or the web UI: upload a jar, run it, look at a job
 * and its checkpoints, stop it with a savepoint. Errors carry Flink's own message.
 */
public final class FlinkRest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    public FlinkRest(URI base) {
        this.base = base;
    }

    public URI base() {
        return base;
    }

    /** {@code GET /overview}, or null while the JobManager does not answer (down, or electing a leader). */
    public JsonNode overviewOrNull() {
        try {
            return get("/overview");
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code POST /jars/upload} (multipart, field {@code jarfile}); returns the jar id. */
    public String uploadJar(Path jar) throws IOException {
        String boundary = "kubelogs-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                        + jar.getFileName()
                        + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(jar));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode r = send(
                HttpRequest.newBuilder(base.resolve("/jars/upload"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())),
                Duration.ofMinutes(2));
        String file = r.path("filename").asText();
        return file.substring(file.lastIndexOf('/') + 1);
    }

    /**
     * {@code POST /jars/:id/run-application}: the JobManager runs the jar's main class as an application, which it
     * keeps in its HA application store (as application mode on Kubernetes does); its one job gets the application's
     * id. Returns that id. The caller picks the id, so a run whose answer was lost can be repeated without starting a
     * second application: the cluster refuses an id it already has.
     *
     * <p>Not {@code /jars/:id/run}: Flink 2.3 wraps a job run that way in an application it never persists, and a
     * JobManager that dies between writing the finished job's result and the application's result (right after a
     * stop-with-savepoint, say) then fails every start with an IllegalStateException in {@code Dispatcher.onStart},
     * until the HA data is removed.
     */
    public String runApplication(
            String jarId, List<String> args, Integer parallelism, String savepointPath, String applicationId)
            throws IOException {
        ObjectNode req = JSON.createObjectNode();
        req.put("applicationId", applicationId);
        req.putArray("programArgsList")
                .addAll(args.stream().map(JSON.getNodeFactory()::textNode).toList());
        if (parallelism != null) {
            req.put("parallelism", parallelism);
        }
        if (savepointPath != null) {
            req.put("savepointPath", savepointPath);
            req.put("allowNonRestoredState", false);
        }
        return post("/jars/" + jarId + "/run-application", req, Duration.ofMinutes(3))
                .path("applicationid")
                .asText();
    }

    /** {@code GET /applications/:id}: status ({@code RUNNING}, {@code FINISHED}, …) and jobs. */
    public JsonNode application(String applicationId) throws IOException {
        return get("/applications/" + applicationId);
    }

    /** The application's status, or null while the REST API does not answer or does not know the application. */
    public String applicationStatusOrNull(String applicationId) {
        try {
            return application(applicationId).path("status").asText(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code GET /taskmanagers}: every registered TaskManager with its id, slots and free slots. */
    public JsonNode taskManagers() throws IOException {
        return get("/taskmanagers").path("taskmanagers");
    }

    /** {@code GET /jobs/:id}: state, vertices and timestamps. */
    public JsonNode job(String jobId) throws IOException {
        return get("/jobs/" + jobId);
    }

    /** The job's state ({@code RUNNING}, {@code RESTARTING}, …) or null while the REST API does not answer. */
    public String jobStateOrNull(String jobId) {
        try {
            return job(jobId).path("state").asText(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code GET /jobs/:id/checkpoints}: counts, latest and history. */
    public JsonNode checkpoints(String jobId) throws IOException {
        return get("/jobs/" + jobId + "/checkpoints");
    }

    /** {@code POST /jobs/:id/stop} then polls the trigger until the savepoint is written; returns its path. */
    public String stopWithSavepoint(String jobId, Path directory, Duration timeout)
            throws IOException, InterruptedException {
        ObjectNode req = JSON.createObjectNode()
                .put("targetDirectory", directory.toUri().toString())
                .put("drain", false);
        String trigger = post("/jobs/" + jobId + "/stop", req, Duration.ofSeconds(30))
                .path("request-id")
                .asText();
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            JsonNode s;
            try {
                s = get("/jobs/" + jobId + "/savepoints/" + trigger);
            } catch (IOException notYet) {
                Thread.sleep(500);
                continue;
            }
            if ("COMPLETED".equals(s.path("status").path("id").asText())) {
                JsonNode op = s.path("operation");
                if (op.has("failure-cause")) {
                    throw new IOException("stop-with-savepoint failed: "
                            + rootCause(
                                    op.path("failure-cause").path("stack-trace").asText()));
                }
                return op.path("location").asText();
            }
            Thread.sleep(500);
        }
        throw new IOException("stop-with-savepoint of " + jobId + " did not complete within " + timeout);
    }

    /** The innermost cause's line of a Java stack trace as the REST API sends it: a one-line reason for a console. */
    static String rootCause(String stackTrace) {
        String[] lines = stackTrace.strip().split("\\R");
        String cause = lines[0].strip();
        for (String line : lines) {
            if (line.startsWith("Caused by: ")) {
                cause = line.substring("Caused by: ".length()).strip();
            }
        }
        return cause;
    }

    /** {@code PATCH /jobs/:id?mode=cancel}. */
    public void cancel(String jobId) throws IOException {
        send(
                HttpRequest.newBuilder(base.resolve("/jobs/" + jobId + "?mode=cancel"))
                        .method("PATCH", HttpRequest.BodyPublishers.noBody()),
                Duration.ofSeconds(30));
    }

    private JsonNode get(String path) throws IOException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET(), Duration.ofSeconds(10));
    }

    private JsonNode post(String path, JsonNode body, Duration timeout) throws IOException {
        return send(
                HttpRequest.newBuilder(base.resolve(path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))),
                timeout);
    }

    private JsonNode send(HttpRequest.Builder request, Duration timeout) throws IOException {
        HttpResponse<String> r;
        try {
            r = http.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        JsonNode body = r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
        if (r.statusCode() / 100 != 2) {
            throw new IOException("Flink REST " + r.request().method() + " "
                    + r.request().uri().getPath() + ": "
                    + r.statusCode()
                    + " " + body.path("errors"));
        }
        return body;
    }
}
