package dev.kubelogs.collector.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kubelogs.collector.local.LocalKinesisProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;

/**
 * A local Kinesis-compatible server ({@link LocalKinesisProcess}: kinesis-mock, the npm package {@code kinesis-local} that
 * {@code tools/kinesis-local} pins) and its SDK client, for the collector's and the job's tests. Tests that need it skip on a machine without node or the package, but not in CI: {@code .ci/run} installs both
 * and sets {@code KUBELOGS_REQUIRE_KINESIS=1}, so a missing server fails there instead of showing as a skip.
 */
public final class LocalKinesis implements AutoCloseable {
    public static final String REGION = LocalKinesisProcess.REGION;

    private final LocalKinesisProcess process;

    private LocalKinesis(LocalKinesisProcess process) {
        this.process = process;
    }

    /** Starts the server with its output in {@code dir}, or skips (fails, with KUBELOGS_REQUIRE_KINESIS=1). */
    public static LocalKinesis start(Path dir) throws IOException {
        String missing = LocalKinesisProcess.missing();
        if (missing != null) {
            if ("1".equals(System.getenv("KUBELOGS_REQUIRE_KINESIS"))) {
                fail(missing + " is not installed, and KUBELOGS_REQUIRE_KINESIS=1 says it must be");
            }
            assumeTrue(false, missing + " is not installed (.ci/run installs it)");
        }
        return new LocalKinesis(LocalKinesisProcess.start(dir));
    }

    public URI endpoint() {
        return process.endpoint();
    }

    public KinesisClient client() {
        return process.client();
    }

    /** Creates a provisioned stream and waits until it is ACTIVE. */
    public void createStream(String name, int shards) throws InterruptedException {
        process.createStream(name, shards);
    }

    /** Splits a shard that covers the whole hash key range in two halves, and waits until the stream is ACTIVE. */
    public void splitInHalves(String stream, String shardId) throws InterruptedException {
        client().splitShard(b -> b.streamName(stream)
                .shardToSplit(shardId)
                .newStartingHashKey(java.math.BigInteger.TWO.pow(127).toString()));
        process.awaitActive(stream);
    }

    public List<software.amazon.awssdk.services.kinesis.model.Shard> shards(String stream) {
        return client().listShards(b -> b.streamName(stream)).shards();
    }

    public PutRecordResponse put(String stream, String partitionKey, byte[] data) {
        return client().putRecord(
                        b -> b.streamName(stream).partitionKey(partitionKey).data(SdkBytes.fromByteArray(data)));
    }

    @Override
    public void close() {
        process.close();
    }
}
