package dev.kubelogs.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

class S3ListingSettingsTest {

    private static S3ListingSettings from(Map<String, String> settings) {
        return S3ListingSettings.from(Configuration.fromMap(settings));
    }

    @Test
    void readsTheS3FileSystemsOwnKeys() {
        S3ListingSettings s = from(Map.of(
                "s3.endpoint", " http://minio.storage:9000 ",
                "s3.path.style.access", "true",
                "s3.access-key", "minio",
                "s3.secret-key", "minio-secret"));
        assertThat(s).isEqualTo(new S3ListingSettings("http://minio.storage:9000", true, "minio", "minio-secret"));
    }

    @Test
    void readsThePrestoPluginsAndDottedSpellingsToo() {
        assertThat(from(Map.of(
                        "presto.s3.endpoint", "http://127.0.0.1:9000",
                        "presto.s3.path-style-access", "true",
                        "presto.s3.access-key", "a",
                        "presto.s3.secret-key", "b")))
                .isEqualTo(new S3ListingSettings("http://127.0.0.1:9000", true, "a", "b"));
        assertThat(from(Map.of("s3.path-style-access", "true", "s3.access.key", "a", "s3.secret.key", "b")))
                .isEqualTo(new S3ListingSettings(null, true, "a", "b"));
    }

    @Test
    void theFileSystemsSpellingWinsAndBlankValuesCountAsUnset() {
        assertThat(from(Map.of(
                        "s3.endpoint", "http://first:9000",
                        "presto.s3.endpoint", "http://second:9000",
                        "s3.access-key", "  ",
                        "presto.s3.access-key", "presto")))
                .isEqualTo(new S3ListingSettings("http://first:9000", false, "presto", null));
    }

    @Test
    void withNothingSetTheSdksDefaultChainIsUsed() {
        S3ListingSettings s = from(Map.of());
        assertThat(s).isEqualTo(new S3ListingSettings(null, false, null, null));
        assertThat(s.toString()).contains("the SDK's default chain");
    }

    @Test
    void pathStyleIsOnlyOnWhenSaidSo() {
        assertThat(from(Map.of("s3.path.style.access", "TRUE")).pathStyle()).isTrue();
        assertThat(from(Map.of("s3.path.style.access", "false")).pathStyle()).isFalse();
        assertThat(from(Map.of("s3.path.style.access", "yes")).pathStyle()).isFalse();
    }

    @Test
    void theDescriptionNeverShowsTheKeys() {
        String text = from(Map.of("s3.access-key", "AKIAEXAMPLE", "s3.secret-key", "very-secret"))
                .toString();
        assertThat(text)
                .doesNotContain("AKIAEXAMPLE")
                .doesNotContain("very-secret")
                .contains("s3.access-key");
    }

    @Test
    void anAwsEndpointGivesItsRegion() {
        assertThat(new S3ListingSettings("s3.eu-west-1.amazonaws.com", false, null, null).region())
                .isEqualTo(Region.EU_WEST_1);
        assertThat(new S3ListingSettings("https://s3.ap-southeast-2.amazonaws.com", false, null, null).region())
                .isEqualTo(Region.AP_SOUTHEAST_2);
        // the older dash form and virtual-hosted bucket endpoints
        assertThat(new S3ListingSettings("https://s3-us-west-2.amazonaws.com", false, null, null).region())
                .isEqualTo(Region.US_WEST_2);
        assertThat(new S3ListingSettings("https://my-bucket.s3.eu-central-1.amazonaws.com:443", false, null, null)
                        .region())
                .isEqualTo(Region.EU_CENTRAL_1);
    }
}
