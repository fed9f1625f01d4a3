package dev.kubelogs.job.source;

import dev.kubelogs.spool.SpoolPaths;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletionException;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.Path;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The spool on S3 in one paginated pass: ListObjectsV2 over the spool's prefix without a delimiter returns every
 * node's segments and seal markers, up to 1,000 keys a request. Through the file system the same look costs a LIST for
 * the root, each cluster and each node on every pass. Consumed segments are deleted once checkpoints cover them, so a
 * node holds a few keys and a cluster of hundreds of nodes lists in one or two requests. Segments are still read
 * and deleted through Flink's S3 file system; this client only lists and reads seal markers.
 */
final class S3SpoolListing implements SpoolListing {
    private final Path root;
    private final String bucket;
    /** The spool root's key with a trailing '/', or "" for the bucket's root. */
    private final String prefix;

    private final S3AsyncClient s3;
    private final int pageSize;

    S3SpoolListing(Path root, S3AsyncClient s3) {
        this(root, s3, 1000);
    }

    /** @param pageSize keys per LIST request (S3 returns at most 1,000) */
    S3SpoolListing(Path root, S3AsyncClient s3, int pageSize) {
        this.pageSize = pageSize;
        this.root = root;
        this.bucket = root.toUri().getHost();
        String key = root.toUri().getPath().replaceAll("^/+|/+$", "");
        this.prefix = key.isEmpty() ? "" : key + "/";
        this.s3 = s3;
    }

    @Override
    public Map<String, Node> list() throws IOException {
        Map<String, Node> listings = new HashMap<>();
        String token = null;
        do {
            ListObjectsV2Request.Builder request =
                    ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).maxKeys(pageSize);
            if (token != null) {
                request.continuationToken(token);
            }
            ListObjectsV2Response page =
                    call(() -> s3.listObjectsV2(request.build()).join());
            for (S3Object o : page.contents()) {
                add(listings, o);
            }
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null);
        return listings;
    }

    /** One PUT of {@code <prefix>}{@value DiscoverySchedulePublisher#OBJECT_NAME}: outside any node's keys. */
    @Override
    public void writeSchedule(byte[] json) throws IOException {
        call(() -> s3.putObject(
                        b -> b.bucket(bucket)
                                .key(prefix + DiscoverySchedulePublisher.OBJECT_NAME)
                                .contentType("application/json"),
                        AsyncRequestBody.fromBytes(json))
                .join());
    }

    /** {@code <prefix><cluster>/<node>/<name>}: a segment or a seal marker of a node; other keys are not the spool's. */
    private void add(Map<String, Node> listings, S3Object o) throws IOException {
        String[] parts = o.key().substring(prefix.length()).split("/", -1);
        if (parts.length != 3 || parts[0].startsWith(".") || parts[1].startsWith(".")) {
            return;
        }
        String nodeKey = parts[0] + "/" + parts[1];
        String name = parts[2];
        Path path = new Path(root, nodeKey + "/" + name);
        if (name.equals(SpoolPaths.SEALED)) {
            String content =
                    call(() -> s3.getObject(b -> b.bucket(bucket).key(o.key()), AsyncResponseTransformer.toBytes())
                            .join()
                            .asUtf8String());
            listings.computeIfAbsent(nodeKey, k -> new Node()).sealed(content, path);
            return;
        }
        OptionalLong seq = SpoolPaths.parseSegmentSeq(name);
        if (seq.isPresent()) {
            listings.computeIfAbsent(nodeKey, k -> new Node())
                    .segments
                    .put(
                            seq.getAsLong(),
                            new ObjectStatus(path, o.size(), o.lastModified().toEpochMilli()));
        }
    }

    private interface Call<T> {
        T run();
    }

    private <T> T call(Call<T> call) throws IOException {
        try {
            return call.run();
        } catch (CompletionException e) {
            throw new IOException("s3://" + bucket + "/" + prefix + " failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        s3.close();
    }

    /** An object as a file: what a split needs (path, length, modification time). */
    private record ObjectStatus(Path path, long len, long modified) implements FileStatus {
        @Override
        public long getLen() {
            return len;
        }

        @Override
        public long getBlockSize() {
            return len;
        }

        @Override
        public short getReplication() {
            return 1;
        }

        @Override
        public long getModificationTime() {
            return modified;
        }

        @Override
        public long getAccessTime() {
            return 0;
        }

        @Override
        public boolean isDir() {
            return false;
        }

        @Override
        public Path getPath() {
            return path;
        }
    }
}
