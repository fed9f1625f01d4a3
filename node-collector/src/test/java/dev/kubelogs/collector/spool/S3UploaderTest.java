package dev.kubelogs.collector.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.collector.metrics.CollectorMetrics;
import dev.kubelogs.collector.testing.Await;
import dev.kubelogs.collector.testing.LocalS3;
import dev.kubelogs.spool.FileRef;
import dev.kubelogs.spool.SourceKind;
import dev.kubelogs.spool.SpoolPaths;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The uploader against a real S3-compatible server (S3Proxy) on a loopback port. */
class S3UploaderTest {
    private static final String BUCKET = "spool";
    private static final FileRef FILE = new FileRef("/var/log/messages", 1, 2, 0, SourceKind.HOST_FILE);

    @TempDir
    Path tmp;

    LocalS3 s3;
    S3Client client;
    SegmentSpool spool;
    final CollectorMetrics metrics = new CollectorMetrics();
    final AtomicInteger freed = new AtomicInteger();

    @BeforeAll
    static void credentials() {
        LocalS3.useAsDefaultCredentials();
    }

    @AfterAll
    static void clearCredentials() {
        LocalS3.clearDefaultCredentials();
    }

    @BeforeEach
    void start() throws Exception {
        s3 = new LocalS3(BUCKET);
        client = s3.client();
        spool = new SegmentSpool(tmp, "c", "n", Map.of());
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        s3.close();
    }

    private S3Uploader uploader() {
        return new S3Uploader(
                new S3Settings("s3://" + BUCKET + "/pre/", s3.endpoint(), "us-west-2"),
                "c",
                "n",
                spool,
                metrics,
                freed::incrementAndGet);
    }

    private void publishSegment(String line) throws IOException {
        OneLineSegments.publish(spool, FILE, line);
    }

    private List<String> remoteKeys() {
        return client
                .listObjectsV2(ListObjectsV2Request.builder().bucket(BUCKET).build())
                .contents()
                .stream()
                .map(S3Object::key)
                .sorted()
                .toList();
    }

    @Test
    void theTargetIsABucketAndAPrefixWithoutSlashes() {
        S3Uploader.Target t = S3Uploader.Target.parse("s3://b/a/b//");
        assertThat(t).isEqualTo(new S3Uploader.Target("b", "a/b"));
        assertThat(t.key("c", "n", "sealed")).isEqualTo("a/b/c/n/sealed");
        assertThat(S3Uploader.Target.parse("s3://b").key("c", "n", "x")).isEqualTo("c/n/x");
        assertThat(t.key("discovery-schedule.json")).isEqualTo("a/b/discovery-schedule.json");
        assertThat(S3Uploader.Target.parse("s3://b").key("x")).isEqualTo("x");
        assertThatThrownBy(() -> S3Uploader.Target.parse("s3:///p")).hasMessageContaining("has no bucket");
        assertThatThrownBy(() -> S3Uploader.Target.parse("b/p")).hasMessageContaining("must look like");
    }

    @Test
    void segmentsGoUpThenLeaveTheLocalSpoolAndTheSealedMarkerFollowsThem() throws Exception {
        publishSegment("one");
        publishSegment("two");
        spool.writeSealed(1);
        try (S3Uploader u = uploader()) {
            u.start();
            u.wake();
            Await.until(
                    "uploads",
                    Duration.ofSeconds(30),
                    () -> remoteKeys().contains("pre/c/n/sealed"),
                    () -> remoteKeys().toString());
            assertThat(remoteKeys())
                    .containsExactly(
                            "pre/c/n/" + SpoolPaths.segmentFileName(0),
                            "pre/c/n/" + SpoolPaths.segmentFileName(1),
                            "pre/c/n/sealed");
            assertThat(spool.listSegments()).isEmpty();
            assertThat(metrics.s3Uploads.get()).isEqualTo(2.0);
            assertThat(freed).hasValue(2);
            Await.until("idle", Duration.ofSeconds(30), u::idle);
        }
    }

    @Test
    void withoutLocalStateNumberingContinuesAfterWhatS3Holds() {
        client.putObject(
                PutObjectRequest.builder()
                        .bucket(BUCKET)
                        .key("pre/c/n/" + SpoolPaths.segmentFileName(5))
                        .build(),
                RequestBody.fromString("x"));
        client.putObject(
                PutObjectRequest.builder()
                        .bucket(BUCKET)
                        .key("pre/c/other/" + SpoolPaths.segmentFileName(9))
                        .build(),
                RequestBody.fromString("x"));
        uploader().continueNumbering(spool);
        assertThat(spool.nextSeq())
                .as("after this node's highest seq, not another node's")
                .isEqualTo(6);
    }

    @Test
    void anUnreachableS3LeavesTheNumberingAndCountsTheError() throws Exception {
        S3Uploader u = uploader();
        s3.stop();
        spool.setNextSeq(3);
        u.continueNumbering(spool);
        assertThat(spool.nextSeq()).isEqualTo(3);
        assertThat(metrics.errors("s3_list")).isEqualTo(1);
    }
}
