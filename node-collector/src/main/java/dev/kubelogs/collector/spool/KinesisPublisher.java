package dev.kubelogs.collector.spool;

import dev.kubelogs.collector.metrics.CollectorMetrics;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;
import software.amazon.awssdk.services.kinesis.model.PutRecordRequest;

/**
 * Puts closed segments, in seq order, into a Kinesis data stream, one record each with partition key
 * {@code cluster/node} (so a node's segments stay in one shard, in put order), then deletes the local copy (see
 * {@link SegmentShipper}). Each put names the previous one's sequence number ({@code SequenceNumberForOrdering}), so
 * a retried segment never lands before the one it follows. A retry after a put whose answer was lost puts the segment
 * again; the job drops its lines as replays. A segment over Kinesis's 1 MiB record limit cannot be put: it is moved
 * to {@code rejected/} beside the spool, counted and logged, and shipping goes on. Credentials: the SDK's default
 * chain (IRSA web identity on EKS).
 */
public final class KinesisPublisher extends SegmentShipper {
    private static final Logger LOG = LoggerFactory.getLogger(KinesisPublisher.class);

    /** Where segments too large for one record are kept, under the node's spool directory. */
    public static final String REJECTED_DIR = "rejected";

    private final String stream;
    private final String partitionKey;
    private final SegmentSpool spool;
    private final CollectorMetrics metrics;
    private final Runnable spaceFreed;
    private final KinesisClient kinesis;
    private String lastSequenceNumber;

    public KinesisPublisher(
            KinesisSettings settings,
            String cluster,
            String node,
            SegmentSpool spool,
            CollectorMetrics metrics,
            Runnable spaceFreed) {
        super("kubelogs-kinesis-put");
        this.stream = settings.stream();
        this.partitionKey = cluster + "/" + node;
        this.spool = spool;
        this.metrics = metrics;
        this.spaceFreed = spaceFreed;
        KinesisClientBuilder b = KinesisClient.builder()
                .httpClient(httpClient())
                .credentialsProvider(DefaultCredentialsProvider.builder().build());
        if (settings.region() != null) {
            b.region(Region.of(settings.region()));
        }
        if (settings.endpoint() != null) {
            b.endpointOverride(URI.create(settings.endpoint()));
        }
        this.kinesis = b.build();
    }

    @Override
    protected boolean shipPending() throws IOException {
        for (long seq : spool.listSegments()) {
            if (closed()) {
                return false;
            }
            Path p = spool.segmentPath(seq);
            byte[] segment;
            try {
                segment = Files.readAllBytes(p);
            } catch (NoSuchFileException e) {
                continue;
            }
            if (segment.length > KinesisSettings.MAX_RECORD_BYTES) {
                reject(p, segment.length);
                continue;
            }
            PutRecordRequest.Builder put =
                    PutRecordRequest.builder().partitionKey(partitionKey).data(SdkBytes.fromByteArrayUnsafe(segment));
            if (lastSequenceNumber != null) {
                put.sequenceNumberForOrdering(lastSequenceNumber);
            }
            put = stream.startsWith("arn:") ? put.streamARN(stream) : put.streamName(stream);
            lastSequenceNumber = kinesis.putRecord(put.build()).sequenceNumber();
            Files.deleteIfExists(p);
            metrics.kinesisPuts.inc();
            metrics.kinesisPutBytes.inc(segment.length);
            shipped("kinesis stream " + stream + ", segment " + seq);
            spaceFreed.run();
        }
        return true;
    }

    private void reject(Path segment, long size) throws IOException {
        Path rejected = Files.createDirectories(spool.directory().resolve(REJECTED_DIR));
        Files.move(segment, rejected.resolve(segment.getFileName()));
        metrics.kinesisRejected.inc();
        metrics.error("kinesis_segment_too_large");
        LOG.error(
                "segment {} has {} bytes, over Kinesis's record limit of {}: kept in {} and not sent (lower "
                        + "SEGMENT_MAX_BYTES and MAX_LINE_BYTES)",
                segment.getFileName(),
                size,
                KinesisSettings.MAX_RECORD_BYTES,
                rejected);
        spaceFreed.run();
    }

    @Override
    protected String failure(Exception e) {
        return "put into kinesis stream " + stream + " failed: " + e;
    }

    @Override
    protected void countFailure() {
        metrics.kinesisErrors.inc();
    }

    @Override
    protected void countNewFailure() {
        metrics.error("kinesis_put");
    }

    @Override
    protected void closeClient() {
        kinesis.close();
    }
}
