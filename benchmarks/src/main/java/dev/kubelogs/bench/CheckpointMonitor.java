package dev.kubelogs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Polls the MiniCluster's REST API ({@code /jobs/<id>/checkpoints} and {@code .../details/<cp>}) and keeps every
 * completed checkpoint: end-to-end duration, state size (full), checkpointed size (incremental), and the size per
 * job vertex. The source enumerator's own state lives in the checkpoint metadata (not in these sizes): see
 * {@link EnumeratorStateBench}.
 */
public final class CheckpointMonitor implements AutoCloseable {

    /** One completed checkpoint. */
    public record Checkpoint(
            long id,
            long triggerMillis,
            long durationMillis,
            long stateSize,
            long checkpointedSize,
            Map<String, Long> stateSizeByVertex) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;
    private final String jobId;
    private final Map<Long, Checkpoint> completed = new TreeMap<>();
    private final Map<String, String> vertexNames = new LinkedHashMap<>();
    private volatile long failed;
    private final java.util.Set<String> failureMessages = new java.util.LinkedHashSet<>();
    private final Thread thread;
    private final long pollMillis;
    private volatile boolean stop;

    /** Polls every 500 ms: for a job in the harness's JVM, whose REST work is not billed apart. */
    public CheckpointMonitor(int restPort, String jobId) {
        this(restPort, jobId, Duration.ofMillis(500));
    }

    /** Polls every {@code pollEvery}: see {@link #pollEveryFor}. */
    public CheckpointMonitor(int restPort, String jobId, Duration pollEvery) {
        this.base = "http://127.0.0.1:" + restPort;
        this.jobId = jobId;
        this.pollMillis = pollEvery.toMillis();
        this.thread = new Thread(this::loop, "bench-checkpoint-monitor");
        thread.setDaemon(true);
        thread.start();
    }

    private JsonNode get(String path) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(base + path))
                            .timeout(Duration.ofSeconds(3))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (Exception e) {
            return null;
        }
    }

    private void loop() {
        while (!stop) {
            poll();
            try {
                Thread.sleep(pollMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * How often to poll a cluster whose JobManager is billed: every {@link #POLLED_INTERVALS} checkpoint intervals, at
     * most {@link #MAX_POLL} and at least 500 ms. A poll's REST request is work production's JobManager does not do
     * (the Kubernetes operator asks it about the job once a reconcile, every 60 s by default), so the bench asks as
     * rarely as it can without missing a checkpoint: the JobManager's history keeps the last 10
     * ({@code web.checkpoints.history}).
     */
    static Duration pollEveryFor(Duration checkpointInterval) {
        Duration every = checkpointInterval.multipliedBy(POLLED_INTERVALS);
        if (every.compareTo(MAX_POLL) > 0) {
            return MAX_POLL;
        }
        return every.toMillis() < 500 ? Duration.ofMillis(500) : every;
    }

    /** Checkpoints between two polls: the REST history's 10 hold them with room for a late poll. */
    static final int POLLED_INTERVALS = 4;

    static final Duration MAX_POLL = Duration.ofSeconds(10);

    /** One poll (also called once more at the end). */
    public synchronized void poll() {
        if (vertexNames.isEmpty()) {
            JsonNode job = get("/jobs/" + jobId);
            if (job != null) {
                for (JsonNode v : job.path("vertices")) {
                    vertexNames.put(v.path("id").asText(), v.path("name").asText());
                }
            }
        }
        JsonNode cps = get("/jobs/" + jobId + "/checkpoints");
        if (cps == null) {
            return;
        }
        failed = cps.path("counts").path("failed").asLong();
        for (JsonNode h : cps.path("history")) {
            long id = h.path("id").asLong();
            if ("FAILED".equals(h.path("status").asText())
                    && !h.path("failure_message").isMissingNode()
                    && failureMessages.size() < 5) {
                String msg = h.path("failure_message").asText();
                failureMessages.add("#" + id + ": " + (msg.length() > 200 ? msg.substring(0, 200) + "…" : msg));
            }
            if (!"COMPLETED".equals(h.path("status").asText()) || completed.containsKey(id)) {
                continue;
            }
            Map<String, Long> byVertex = new LinkedHashMap<>();
            JsonNode details = get("/jobs/" + jobId + "/checkpoints/details/" + id);
            if (details != null) {
                details.path("tasks")
                        .fields()
                        .forEachRemaining(e -> byVertex.put(
                                vertexNames.getOrDefault(e.getKey(), e.getKey()),
                                e.getValue().path("state_size").asLong()));
            }
            completed.put(
                    id,
                    new Checkpoint(
                            id,
                            h.path("trigger_timestamp").asLong(),
                            h.path("end_to_end_duration").asLong(),
                            h.path("state_size").asLong(),
                            h.path("checkpointed_size").asLong(),
                            byVertex));
        }
    }

    public synchronized List<Checkpoint> completed() {
        return new ArrayList<>(completed.values());
    }

    public long failed() {
        return failed;
    }

    public synchronized List<String> failureMessages() {
        return new ArrayList<>(failureMessages);
    }

    @Override
    public void close() {
        stop = true;
        thread.interrupt();
    }
}
