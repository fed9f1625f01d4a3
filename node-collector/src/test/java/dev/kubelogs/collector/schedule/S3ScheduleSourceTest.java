package dev.kubelogs.collector.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.collector.metrics.CollectorMetrics;
import dev.kubelogs.collector.spool.S3Settings;
import dev.kubelogs.collector.spool.S3Uploader;
import dev.kubelogs.collector.spool.SegmentSpool;
import dev.kubelogs.collector.testing.LocalS3;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/** An S3 spool's schedule, read from a real S3-compatible server (S3Proxy) with the uploader's client. */
class S3ScheduleSourceTest {
    static final String BUCKET = "spool";

    @TempDir
    Path tmp;

    LocalS3 s3;
    S3Client client;

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
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        s3.close();
    }

    private void put(String key, String content) {
        client.putObject(PutObjectRequest.builder().bucket(BUCKET).key(key).build(), RequestBody.fromString(content));
    }

    @Test
    void theUploaderReadsTheObjectAtItsPrefixRoot() throws Exception {
        try (S3Uploader uploader = new S3Uploader(
                new S3Settings("s3://" + BUCKET + "/kubelogs/prod/spool/", s3.endpoint(), "us-west-2"),
                "prod",
                "ip-1",
                new SegmentSpool(tmp, "prod", "ip-1", Map.of()),
                new CollectorMetrics(),
                () -> {})) {
            ScheduleSource source = uploader.scheduleSource();
            assertThat(source.where()).isEqualTo("s3://spool/kubelogs/prod/spool/discovery-schedule.json");
            assertThat(source.read()).as("no object yet").isNull();
            put("kubelogs/prod/spool/prod/ip-1/discovery-schedule.json", "{}"); // not at the root: not the schedule
            assertThat(source.read()).isNull();
            put("kubelogs/prod/spool/discovery-schedule.json", DiscoveryScheduleTest.EXAMPLE);
            assertThat(DiscoverySchedule.parse(source.read()).periodMillis()).isEqualTo(10_000);
        }
    }

    @Test
    void withAnEmptyPrefixTheKeyIsTheNameAlone() throws Exception {
        S3ScheduleSource source = new S3ScheduleSource(
                client, BUCKET, S3Uploader.Target.parse("s3://" + BUCKET).key(DiscoverySchedule.FILE_NAME));
        assertThat(source.where()).isEqualTo("s3://spool/discovery-schedule.json");
        put("discovery-schedule.json", DiscoveryScheduleTest.EXAMPLE);
        assertThat(DiscoverySchedule.parse(source.read()).validMillis()).isEqualTo(300_000);
    }

    @Test
    void aMissingBucketOrAnUnreachableServerIsAFailureNotAMissingSchedule() throws Exception {
        assertThatThrownBy(new S3ScheduleSource(client, "no-such-bucket", "p/" + DiscoverySchedule.FILE_NAME)::read)
                .isInstanceOf(NoSuchBucketException.class);
        s3.stop();
        assertThatThrownBy(new S3ScheduleSource(client, BUCKET, "p/" + DiscoverySchedule.FILE_NAME)::read)
                .isInstanceOf(SdkClientException.class);
    }
}
