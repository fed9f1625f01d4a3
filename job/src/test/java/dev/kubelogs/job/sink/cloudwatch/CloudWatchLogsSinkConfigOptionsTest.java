package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.description.HtmlFormatter;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.junit.jupiter.api.Test;

class CloudWatchLogsSinkConfigOptionsTest {

    @Test
    void theKeysAreTheDocumentedOnes() {
        assertThat(CloudWatchLogsSinkConfigOptions.REGION.key()).isEqualTo("kubelogs.sink.region");
        assertThat(CloudWatchLogsSinkConfigOptions.ENDPOINT.key()).isEqualTo("kubelogs.sink.endpoint");
        assertThat(CloudWatchLogsSinkConfigOptions.DELIVERY_GUARANTEE.key())
                .isEqualTo("kubelogs.sink.delivery-guarantee");
        assertThat(CloudWatchLogsSinkConfigOptions.RETENTION_DAYS.key()).isEqualTo("kubelogs.sink.retention-days");
        assertThat(CloudWatchLogsSinkConfigOptions.DEAD_LETTER_GROUP.key())
                .isEqualTo("kubelogs.sink.dead-letter-group");
        assertThat(CloudWatchLogsSinkConfigOptions.DEAD_LETTER_DIR.key()).isEqualTo("kubelogs.sink.dead-letter-dir");
        assertThat(CloudWatchLogsSinkConfigOptions.MAX_HELD_BYTES.key()).isEqualTo("kubelogs.sink.max-held-bytes");
    }

    @Test
    void byDefaultExactlyOnceGroupsNeverExpireAndASubtaskHolds64MiB() {
        Configuration none = new Configuration();
        assertThat(none.get(CloudWatchLogsSinkConfigOptions.DELIVERY_GUARANTEE))
                .isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        // Container Insights creates its groups without a retention policy
        assertThat(none.get(CloudWatchLogsSinkConfigOptions.RETENTION_DAYS)).isNull();
        assertThat(none.get(CloudWatchLogsSinkConfigOptions.MAX_HELD_BYTES).getBytes())
                .isEqualTo(64L << 20);
        assertThat(none.get(CloudWatchLogsSinkConfigOptions.REGION)).isNull();
        assertThat(none.get(CloudWatchLogsSinkConfigOptions.ENDPOINT)).isNull();
        assertThat(none.get(CloudWatchLogsSinkConfigOptions.DEAD_LETTER_GROUP)).isNull();
        assertThat(none.get(CloudWatchLogsSinkConfigOptions.DEAD_LETTER_DIR)).isNull();
    }

    @Test
    void theDefaultHoldsAtLeastOneFullBatch() {
        assertThat(CloudWatchLogsSinkConfigOptions.MAX_HELD_BYTES.defaultValue().getBytes())
                .isGreaterThanOrEqualTo(BatchCutter.MAX_BATCH_BYTES);
        assertThat(CloudWatchLogsSink.builder()
                        .region("us-east-1")
                        .build()
                        .config()
                        .maxHeldBytes())
                .isEqualTo(CloudWatchLogsSinkConfigOptions.MAX_HELD_BYTES
                        .defaultValue()
                        .getBytes());
    }

    @Test
    void valuesAreReadAsAFlinkConfigurationFileWritesThem() {
        Configuration config = Configuration.fromMap(Map.of(
                "kubelogs.sink.delivery-guarantee", "at-least-once",
                "kubelogs.sink.max-held-bytes", "128 mb",
                "kubelogs.sink.retention-days", "30"));
        assertThat(config.get(CloudWatchLogsSinkConfigOptions.DELIVERY_GUARANTEE))
                .isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
        assertThat(config.get(CloudWatchLogsSinkConfigOptions.MAX_HELD_BYTES)).isEqualTo(MemorySize.ofMebiBytes(128));
        assertThat(config.get(CloudWatchLogsSinkConfigOptions.RETENTION_DAYS)).isEqualTo(30);
    }

    /** A configuration file takes DeliveryGuarantee's own spellings, which the description must therefore give. */
    @Test
    void theDescriptionGivesTheSpellingsAConfigurationFileTakes() {
        String description =
                new HtmlFormatter().format(CloudWatchLogsSinkConfigOptions.DELIVERY_GUARANTEE.description());
        assertThat(description).contains("exactly-once", "at-least-once");
        assertThat(Configuration.fromMap(Map.of("kubelogs.sink.delivery-guarantee", "exactly-once"))
                        .get(CloudWatchLogsSinkConfigOptions.DELIVERY_GUARANTEE))
                .isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        Configuration enumName = Configuration.fromMap(Map.of("kubelogs.sink.delivery-guarantee", "AT_LEAST_ONCE"));
        assertThatThrownBy(() -> enumName.get(CloudWatchLogsSinkConfigOptions.DELIVERY_GUARANTEE))
                .hasMessageContaining("kubelogs.sink.delivery-guarantee")
                .hasStackTraceContaining("at-least-once");
    }

    @Test
    void anUnknownGuaranteeIsAnErrorNamingTheKey() {
        Configuration config = Configuration.fromMap(Map.of("kubelogs.sink.delivery-guarantee", "EXACTLY_TWICE"));
        assertThatThrownBy(() -> config.get(CloudWatchLogsSinkConfigOptions.DELIVERY_GUARANTEE))
                .hasMessageContaining("kubelogs.sink.delivery-guarantee")
                .hasStackTraceContaining("EXACTLY_TWICE");
    }

    @Test
    void aRetentionCloudWatchDoesNotAcceptIsRefusedWithTheAcceptedOnes() {
        Configuration config = Configuration.fromMap(Map.of("kubelogs.sink.retention-days", "2"));
        assertThatThrownBy(() -> CloudWatchLogsSink.builder()
                        .retentionInDays(config.get(CloudWatchLogsSinkConfigOptions.RETENTION_DAYS)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 2")
                .hasMessageContaining("1, 3, 5, 7, 14, 30");
    }
}
