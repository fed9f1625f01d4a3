package dev.kubelogs.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.spool.SpoolPaths;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.Path;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/** The whole spool in one listing, against a real S3-compatible server (S3Proxy). */
class S3SpoolListingTest {
    private static final String ACCESS = "local-access";
    private static final String SECRET = "local-secret";

    private BlobStoreContext blobs;
    private S3Proxy proxy;
    private S3ListingSettings settings;

    @BeforeEach
    void start() throws Exception {
        blobs = ContextBuilder.newBuilder("transient")
                .credentials(ACCESS, SECRET)
                .build(BlobStoreContext.class);
        blobs.getBlobStore().createContainerInLocation(null, "bucket");
        proxy = S3Proxy.builder()
                .blobStore(blobs.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!"STARTED".equals(proxy.getState()) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        Configuration flink = new Configuration();
        flink.setString("s3.endpoint", "http://127.0.0.1:" + proxy.getPort());
        flink.setString("s3.path.style.access", "true");
        flink.setString("s3.access-key", ACCESS);
        flink.setString("s3.secret-key", SECRET);
        settings = S3ListingSettings.from(flink);
    }

    @AfterEach
    void stop() throws Exception {
        proxy.stop();
        blobs.close();
    }

    private static void put(S3AsyncClient s3, String key, String content) {
        s3.putObject(b -> b.bucket("bucket").key(key), AsyncRequestBody.fromString(content))
                .join();
    }

    @Test
    void everyNodesSegmentsAndSealMarkersComeFromOneListing() throws Exception {
        try (S3AsyncClient s3 = settings.client()) {
            put(s3, "k/spool/prod/n1/" + SpoolPaths.segmentFileName(0), "a");
            put(s3, "k/spool/prod/n1/" + SpoolPaths.segmentFileName(1), "bb");
            put(s3, "k/spool/prod/n1/" + SpoolPaths.SEALED, "1\n");
            put(s3, "k/spool/prod/n2/" + SpoolPaths.segmentFileName(7), "ccc");
            put(s3, "k/spool/test/n1/" + SpoolPaths.segmentFileName(3), "d");
            // not the spool's: a hidden cluster, a key too deep or too shallow, another prefix
            put(s3, "k/spool/.trash/n1/" + SpoolPaths.segmentFileName(0), "x");
            put(s3, "k/spool/prod/n1/sub/" + SpoolPaths.segmentFileName(9), "x");
            put(s3, "k/spool/prod/" + SpoolPaths.segmentFileName(9), "x");
            put(s3, "k/spooled/prod/n1/" + SpoolPaths.segmentFileName(5), "x");
        }
        try (S3SpoolListing listing = new S3SpoolListing(new Path("s3://bucket/k/spool"), settings.client())) {
            Map<String, SpoolListing.Node> nodes = listing.list();
            assertThat(nodes).containsOnlyKeys("prod/n1", "prod/n2", "test/n1");
            SpoolListing.Node n1 = nodes.get("prod/n1");
            assertThat(n1.segments).containsOnlyKeys(0L, 1L);
            assertThat(n1.sealedSeq).isEqualTo(1L);
            assertThat(n1.segments.get(1L).getLen()).isEqualTo(2);
            assertThat(n1.segments.get(1L).getPath())
                    .isEqualTo(new Path("s3://bucket/k/spool/prod/n1/" + SpoolPaths.segmentFileName(1)));
            assertThat(nodes.get("prod/n2").sealedSeq).isNull();
            assertThat(nodes.get("prod/n2").segments).containsOnlyKeys(7L);
        }
    }

    @Test
    void aListingLongerThanAPageIsReadToItsEnd() throws Exception {
        try (S3AsyncClient s3 = settings.client()) {
            for (int i = 0; i < 5; i++) {
                put(s3, "k/spool/prod/n" + i + "/" + SpoolPaths.segmentFileName(i), "a");
            }
        }
        try (S3SpoolListing listing = new S3SpoolListing(new Path("s3://bucket/k/spool/"), settings.client(), 2)) {
            assertThat(listing.list()).containsOnlyKeys("prod/n0", "prod/n1", "prod/n2", "prod/n3", "prod/n4");
        }
    }

    @Test
    void theDiscoveryScheduleIsOneObjectAtTheSpoolRootThatTheListingDoesNotTakeForTheSpools() throws Exception {
        try (S3SpoolListing listing = new S3SpoolListing(new Path("s3://bucket/k/spool"), settings.client())) {
            listing.writeSchedule("{\"version\":1}".getBytes(StandardCharsets.UTF_8));
            listing.writeSchedule("{\"version\":1,\"nextMillis\":null}".getBytes(StandardCharsets.UTF_8));
            assertThat(listing.list()).isEmpty();
        }
        try (S3AsyncClient s3 = settings.client()) {
            String stored = s3.getObject(
                            b -> b.bucket("bucket").key("k/spool/" + DiscoverySchedulePublisher.OBJECT_NAME),
                            AsyncResponseTransformer.toBytes())
                    .join()
                    .asUtf8String();
            assertThat(stored).isEqualTo("{\"version\":1,\"nextMillis\":null}");
        }
    }

    @Test
    void aSpoolNothingWasWrittenToIsEmpty() throws Exception {
        try (S3SpoolListing listing = new S3SpoolListing(new Path("s3://bucket/k/spool"), settings.client())) {
            assertThat(listing.list()).isEmpty();
        }
    }

    @Test
    void theRegionOfAnAwsEndpointIsItsOwn() {
        assertThat(new S3ListingSettings("s3.eu-west-1.amazonaws.com", false, null, null)
                        .region()
                        .id())
                .isEqualTo("eu-west-1");
        assertThat(new S3ListingSettings("https://s3.us-east-2.amazonaws.com", false, null, null)
                        .region()
                        .id())
                .isEqualTo("us-east-2");
        assertThat(settings.toString()).doesNotContain(SECRET);
    }
}
