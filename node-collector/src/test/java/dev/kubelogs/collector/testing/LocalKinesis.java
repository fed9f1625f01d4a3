package dev.kubelogs.collector.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * A local Kinesis-compatible server (kinesis-mock, the npm package {@code kinesis-local} that
 * {@code tools/kinesis-local} pins) run by node as a child process on free loopback ports, and a real SDK client for
 * it, for the collector's and the job's tests. Tests that need it skip on a machine without node or the package, but not in CI: {@code .ci/run} installs both
 * and sets {@code KUBELOGS_REQUIRE_KINESIS=1}, so a missing server fails there instead of showing as a skip.
 */
public final class LocalKinesis implements AutoCloseable {
    public static final String REGION = "us-east-1";

    private final Process process;
    private final Path log;
    private final int port;
    private final KinesisClient client;

    private LocalKinesis(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.client = KinesisClient.builder()
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .endpointOverride(endpoint())
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** Starts the server with its output in {@code dir}, or skips (fails, with KUBELOGS_REQUIRE_KINESIS=1). */
    public static LocalKinesis start(Path dir) throws IOException {
        Path main = server();
        String node = nodeBinary();
        if (main == null || node == null) {
            String missing =
                    main == null ? "tools/kinesis-local/node_modules (npm ci --prefix tools/kinesis-local)" : "node";
            if ("1".equals(System.getenv("KUBELOGS_REQUIRE_KINESIS"))) {
                fail(missing + " is not installed, and KUBELOGS_REQUIRE_KINESIS=1 says it must be");
            }
            assumeTrue(false, missing + " is not installed (.ci/run installs it)");
        }
        int plain = freePort();
        int tls = freePort();
        Path log = dir.resolve("kinesis-local.log");
        ProcessBuilder builder = new ProcessBuilder(List.of(node, main.toString()))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("KINESIS_MOCK_PLAIN_PORT", Integer.toString(plain));
        env.put("KINESIS_MOCK_TLS_PORT", Integer.toString(tls));
        env.put("KINESIS_MOCK_CERT_PATH", main.resolveSibling("server.json").toString());
        env.put("AWS_REGION", REGION);
        env.put("CREATE_STREAM_DURATION", "0ms");
        env.put("SPLIT_SHARD_DURATION", "0ms");
        env.put("LOG_LEVEL", "WARN");
        Process process = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!accepts(plain)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IOException("kinesis-local did not start listening on " + plain + ": "
                        + (Files.exists(log) ? Files.readString(log).strip() : "no output"));
            }
            try {
                TimeUnit.MILLISECONDS.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting kinesis-local", e);
            }
        }
        return new LocalKinesis(process, log, plain);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public KinesisClient client() {
        return client;
    }

    /** Creates a provisioned stream and waits until it is ACTIVE. */
    public void createStream(String name, int shards) throws InterruptedException {
        client.createStream(b -> b.streamName(name).shardCount(shards));
        awaitActive(name);
    }

    /** Splits a shard that covers the whole hash key range in two halves, and waits until the stream is ACTIVE. */
    public void splitInHalves(String stream, String shardId) throws InterruptedException {
        client.splitShard(b -> b.streamName(stream)
                .shardToSplit(shardId)
                .newStartingHashKey(java.math.BigInteger.TWO.pow(127).toString()));
        awaitActive(stream);
    }

    public List<software.amazon.awssdk.services.kinesis.model.Shard> shards(String stream) {
        return client.listShards(b -> b.streamName(stream)).shards();
    }

    private void awaitActive(String name) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (client.describeStreamSummary(b -> b.streamName(name))
                        .streamDescriptionSummary()
                        .streamStatus()
                != StreamStatus.ACTIVE) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("stream " + name + " did not become ACTIVE; see " + log);
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    public PutRecordResponse put(String stream, String partitionKey, byte[] data) {
        return client.putRecord(
                b -> b.streamName(stream).partitionKey(partitionKey).data(SdkBytes.fromByteArray(data)));
    }

    /** {@code tools/kinesis-local}'s server script, looked for from the working directory up; null if not installed. */
    private static Path server() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path main = dir.resolve("tools/kinesis-local/node_modules/kinesis-local/main.js");
            if (Files.isRegularFile(main)) {
                return main;
            }
        }
        return null;
    }

    private static String nodeBinary() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "node"))) {
                return Path.of(dir, "node").toString();
            }
        }
        return null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        client.close();
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
