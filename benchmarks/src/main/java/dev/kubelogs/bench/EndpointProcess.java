package dev.kubelogs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubelogs.collector.local.LoopbackPorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local CloudWatch Logs endpoint ({@code dev.kubelogs.cwlocal.Main}) as its own JVM, because CloudWatch is remote
 * in production: the endpoint keeps every stored event on its heap, and that store's GC and the endpoint's JIT must not
 * land in the bill of the JVM that runs the job. It persists every event to {@code --data}, which is read back after it
 * stopped to verify what was stored. Its progress comes from its admin API ({@code GET /_stats}).
 */
public final class EndpointProcess implements AutoCloseable {
    static final String MAIN_CLASS = "dev.kubelogs.cwlocal.Main";
    /** Room for the store the runs make (~400 B per stored event: 4 GB ≈ 10M events), whatever the machine's RAM. */
    static final List<String> JVM_FLAGS = List.of("-Xmx4g");
    /** The heap {@link #JVM_FLAGS} give it. */
    static final long HEAP_BYTES = 4L << 30;

    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Its threads are named HttpClient-*: harness, not billed to the job. */
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final Path log;
    private URI endpoint;

    private EndpointProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts the endpoint on a free port with its data in {@code dataDir}, its output in {@code log}; returns once it listens. */
    public static EndpointProcess start(Path dataDir, Path log, Duration timeout)
            throws IOException, InterruptedException {
        return start(dataDir, log, timeout, JVM_FLAGS);
    }

    /** As {@link #start(Path, Path, Duration)}, with other JVM flags (a smaller heap for a smaller run). */
    public static EndpointProcess start(Path dataDir, Path log, Duration timeout, List<String> jvmFlags)
            throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(javaBinary());
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                MAIN_CLASS,
                "--port",
                Integer.toString(LoopbackPorts.pick()),
                "--data",
                dataDir.toString(),
                "--bind",
                "127.0.0.1"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        EndpointProcess e = new EndpointProcess(pb.start(), log);
        try {
            e.endpoint = e.awaitListening(timeout);
        } catch (IOException | InterruptedException | RuntimeException ex) {
            e.close();
            throw ex;
        }
        return e;
    }

    /** The java binary this JVM runs on, so the endpoint runs on the same JDK. */
    static String javaBinary() {
        return ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** Waits for the line the endpoint prints once it listens and returns the URL in it. */
    private URI awaitListening(Duration timeout) throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            Matcher m = LISTENING.matcher(Files.exists(log) ? Files.readString(log) : "");
            if (m.find()) {
                return URI.create(m.group(1));
            }
            if (!process.isAlive()) {
                throw new IOException("the endpoint exited with " + process.exitValue() + ": "
                        + Files.readString(log).trim());
            }
            Thread.sleep(50);
        }
        throw new IOException("the endpoint did not listen within " + timeout + "; see " + log);
    }

    public URI endpoint() {
        return endpoint;
    }

    /** CPU and memory of the endpoint process; null once it is gone. */
    public Proc.Sample sample() {
        return Proc.read(process.pid());
    }

    /** Events stored so far ({@code GET /_stats}), or -1 when it does not answer. */
    public long storedEvents() {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(endpoint.resolve("/_stats"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200
                    ? JSON.readTree(r.body()).path("events").asLong(-1)
                    : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * {@code POST /_faults}: arms fault switches (cloudwatch-local/README.md),
     * e.g. {@code {"fault":"throttle","count":5}}.
     */
    public void armFaults(String json) throws IOException {
        admin(HttpRequest.newBuilder(endpoint.resolve("/_faults"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** {@code GET /_faults}: how many armed fault switches are not used up yet, or -1 when it does not answer. */
    public int armedFaults() {
        try {
            int armed = 0;
            for (com.fasterxml.jackson.databind.JsonNode f : JSON.readTree(admin(
                            HttpRequest.newBuilder(endpoint.resolve("/_faults")).GET()))
                    .path("armed")) {
                armed += f.path("remaining").asInt() > 0 ? 1 : 0;
            }
            return armed;
        } catch (IOException e) {
            return -1;
        }
    }

    private String admin(HttpRequest.Builder request) throws IOException {
        try {
            HttpResponse<String> r =
                    http.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException("endpoint admin API: " + r.statusCode() + " " + r.body());
            }
            return r.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /**
     * SIGTERM: the endpoint's shutdown hook closes its store (every PutLogEvents already reached the OS before it was
     * answered). Waits for the exit; a process that does not stop in time is killed and reported.
     */
    public void stop(Duration timeout) throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor();
            throw new IOException("the endpoint did not stop within " + timeout + "; killed; see " + log);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
