package dev.kubelogs.collector.spool;

import dev.kubelogs.collector.metrics.CollectorMetrics;
import dev.kubelogs.collector.schedule.DiscoverySchedule;
import dev.kubelogs.collector.schedule.S3ScheduleSource;
import dev.kubelogs.collector.schedule.ScheduleSource;
import dev.kubelogs.spool.SpoolPaths;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Uploads closed segments, in seq order, to {@code s3://bucket/<prefix>/<cluster>/<node>/<seq>.seg} (a retry PUTs the
 * same key again, so it replaces itself), then deletes the local copy (see {@link SegmentShipper}). After the last
 * segment the {@code sealed} marker is uploaded too. Credentials: the SDK's default chain (IRSA web identity on EKS).
 */
public final class S3Uploader extends SegmentShipper {
    private static final Logger LOG = LoggerFactory.getLogger(S3Uploader.class);

    /** Bucket and key prefix (without leading or trailing '/'). */
    public record Target(String bucket, String prefix) {
        public static Target parse(String uri) {
            if (uri == null || !uri.startsWith("s3://") || uri.length() <= 5) {
                throw new IllegalArgumentException("SPOOL_S3_URI must look like s3://bucket/prefix, not '" + uri + "'");
            }
            String rest = uri.substring(5);
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            String prefix = slash < 0 ? "" : rest.substring(slash + 1);
            while (prefix.endsWith("/")) {
                prefix = prefix.substring(0, prefix.length() - 1);
            }
            if (bucket.isEmpty()) {
                throw new IllegalArgumentException("SPOOL_S3_URI has no bucket: '" + uri + "'");
            }
            return new Target(bucket, prefix);
        }

        public String key(String cluster, String node, String fileName) {
            return key(cluster + "/" + node + "/" + fileName);
        }

        /** {@code <prefix>/<path>}, or the path alone under an empty prefix. */
        public String key(String path) {
            return prefix.isEmpty() ? path : prefix + "/" + path;
        }
    }

    private final Target target;
    private final String cluster;
    private final String node;
    private final SegmentSpool spool;
    private final CollectorMetrics metrics;
    private final Runnable spaceFreed;
    private final S3Client s3;
    private String uploadedSealed;

    public S3Uploader(
            S3Settings settings,
            String cluster,
            String node,
            SegmentSpool spool,
            CollectorMetrics metrics,
            Runnable spaceFreed) {
        super("kubelogs-s3-upload");
        this.target = Target.parse(settings.uri());
        this.cluster = cluster;
        this.node = node;
        this.spool = spool;
        this.metrics = metrics;
        this.spaceFreed = spaceFreed;
        S3ClientBuilder b = S3Client.builder()
                .httpClient(httpClient())
                .credentialsProvider(DefaultCredentialsProvider.builder().build());
        if (settings.region() != null) {
            b.region(Region.of(settings.region()));
        }
        if (settings.endpoint() != null) {
            // S3-compatible servers: path-style, and checksums only where the API requires them
            b.endpointOverride(URI.create(settings.endpoint()))
                    .forcePathStyle(true)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        this.s3 = b.build();
    }

    /** The job's discovery schedule, {@code <prefix>/discovery-schedule.json}, read with this uploader's client. */
    public ScheduleSource scheduleSource() {
        return new S3ScheduleSource(s3, target.bucket(), target.key(DiscoverySchedule.FILE_NAME));
    }

    /**
     * Without local state: numbering continues after what S3 already holds for this node, so that no key of an
     * earlier collector of this node is overwritten. A listing error is counted and logged; numbering then stays.
     */
    public void continueNumbering(SegmentSpool spool) {
        try {
            long remote = highestRemoteSeq();
            if (remote >= spool.nextSeq()) {
                LOG.info(
                        "no local state, but S3 already holds segments up to {} for this node: continuing at {}",
                        remote,
                        remote + 1);
                spool.setNextSeq(remote + 1);
            }
        } catch (RuntimeException e) {
            metrics.error("s3_list");
            LOG.error(
                    "no local state and S3 could not be listed ({}); numbering starts at {} and may reuse keys of "
                            + "an earlier collector of this node",
                    e.toString(),
                    spool.nextSeq());
        }
    }

    /** The highest seq already in S3 for this node, or -1 (used when the local state is lost). */
    public long highestRemoteSeq() {
        String prefix = target.key(cluster, node, "");
        long max = -1;
        String token = null;
        do {
            ListObjectsV2Response r = s3.listObjectsV2(ListObjectsV2Request.builder()
                    .bucket(target.bucket())
                    .prefix(prefix)
                    .continuationToken(token)
                    .build());
            for (S3Object o : r.contents()) {
                OptionalLong seq = SpoolPaths.parseSegmentSeq(o.key().substring(prefix.length()));
                if (seq.isPresent()) {
                    max = Math.max(max, seq.getAsLong());
                }
            }
            token = Boolean.TRUE.equals(r.isTruncated()) ? r.nextContinuationToken() : null;
        } while (token != null);
        return max;
    }

    /** Uploads every local segment in order, then the sealed marker. Returns true if all went up. */
    @Override
    protected boolean shipPending() throws IOException {
        List<Long> seqs = spool.listSegments();
        for (long seq : seqs) {
            if (closed()) {
                return false;
            }
            Path p = spool.segmentPath(seq);
            long size;
            try {
                size = Files.size(p);
            } catch (NoSuchFileException e) {
                continue;
            }
            String key = target.key(cluster, node, SpoolPaths.segmentFileName(seq));
            s3.putObject(
                    PutObjectRequest.builder()
                            .bucket(target.bucket())
                            .key(key)
                            .contentLength(size)
                            .contentType("application/octet-stream")
                            .build(),
                    RequestBody.fromFile(p));
            Files.deleteIfExists(p);
            metrics.s3Uploads.inc();
            metrics.s3UploadBytes.inc(size);
            shipped("s3://" + target.bucket() + "/" + key);
            spaceFreed.run();
        }
        Path sealed = spool.directory().resolve(SpoolPaths.SEALED);
        String content;
        try {
            content = Files.readString(sealed, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return true;
        }
        if (!content.equals(uploadedSealed) && spool.listSegments().isEmpty()) {
            s3.putObject(
                    PutObjectRequest.builder()
                            .bucket(target.bucket())
                            .key(target.key(cluster, node, SpoolPaths.SEALED))
                            .build(),
                    RequestBody.fromString(content, StandardCharsets.US_ASCII));
            uploadedSealed = content;
            LOG.info("uploaded the sealed marker (last segment {})", content);
        }
        return spool.listSegments().isEmpty();
    }

    @Override
    protected String failure(Exception e) {
        return "upload to s3://" + target.bucket() + "/" + target.key(cluster, node, "") + " failed: " + e;
    }

    @Override
    protected void countFailure() {
        metrics.s3Errors.inc();
    }

    @Override
    protected void countNewFailure() {
        metrics.error("s3_upload");
    }

    @Override
    protected void closeClient() {
        s3.close();
    }
}
