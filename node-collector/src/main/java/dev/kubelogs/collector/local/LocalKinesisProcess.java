package dev.kubelogs.collector.local;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * The local Kinesis-compatible server (kinesis-mock, the npm package {@code kinesis-local} that
 * {@code tools/kinesis-local} pins) run by node as a child process on free loopback ports ({@link LoopbackPorts}), with a
 * real SDK client for it: for the collector's and the job's tests and for the benchmark's Kinesis runs. Not used by the collector itself.
 */
public final class LocalKinesisProcess implements AutoCloseable {
    /** The region the server runs in; clients must use it to see its streams. */
    public static final String REGION = "us-east-1";

    private static final String SERVER = "tools/kinesis-local/node_modules/kinesis-local/main.js";

    private final LocalProcess process;
    private final int port;
    private final KinesisClient client;

    private LocalKinesisProcess(LocalProcess process, int port) {
        this.process = process;
        this.port = port;
        this.client = KinesisClient.builder()
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .endpointOverride(endpoint())
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** What is missing to run the server ({@code node}, or the npm package), or null when both are there. */
    public static String missing() {
        if (server() == null) {
            return SERVER + " (npm ci --prefix tools/kinesis-local)";
        }
        return LocalProcess.onPath("node") ? null : "node";
    }

    /** Starts the server with its output in {@code dir}/kinesis-local.log and waits until it accepts connections. */
    public static LocalKinesisProcess start(Path dir) throws IOException {
        String missing = missing();
        if (missing != null) {
            throw new IOException("cannot start the local Kinesis server: " + missing + " is not installed");
        }
        Path main = server();
        int plain = LoopbackPorts.pick();
        int tls = LoopbackPorts.pick();
        while (tls == plain) {
            tls = LoopbackPorts.pick();
        }
        Map<String, String> env = Map.of(
                "KINESIS_MOCK_PLAIN_PORT",
                Integer.toString(plain),
                "KINESIS_MOCK_TLS_PORT",
                Integer.toString(tls),
                "KINESIS_MOCK_CERT_PATH",
                main.resolveSibling("server.json").toString(),
                "AWS_REGION",
                REGION,
                "CREATE_STREAM_DURATION",
                "0ms",
                "SPLIT_SHARD_DURATION",
                "0ms",
                "LOG_LEVEL",
                "WARN");
        List<String> command = List.of(LocalProcess.which("node").toString(), main.toString());
        return new LocalKinesisProcess(
                LocalProcess.start("kinesis-local", dir, plain, command, env, Duration.ofSeconds(30)), plain);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return process.log();
    }

    /** A real SDK client for the server, with the server's region and placeholder keys. */
    public KinesisClient client() {
        return client;
    }

    /** Creates a provisioned stream and waits until it is ACTIVE. */
    public void createStream(String name, int shards) throws InterruptedException {
        client.createStream(b -> b.streamName(name).shardCount(shards));
        awaitActive(name);
    }

    /** Waits until the stream is ACTIVE (after a create or a reshard), at most 30 s. */
    public void awaitActive(String name) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (client.describeStreamSummary(b -> b.streamName(name))
                        .streamDescriptionSummary()
                        .streamStatus()
                != StreamStatus.ACTIVE) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("stream " + name + " did not become ACTIVE; see " + process.log());
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    /** {@code tools/kinesis-local}'s server script, looked for from the working directory up; null if not installed. */
    private static Path server() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path main = dir.resolve(SERVER);
            if (Files.isRegularFile(main)) {
                return main;
            }
        }
        return null;
    }

    /** Stops the server: SIGTERM, then SIGKILL after 5 s. */
    @Override
    public void close() {
        client.close();
        process.close();
    }
}
