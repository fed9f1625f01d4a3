package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

class CloudWatchLogsSinkConfigTest {
    private static final String APPLICATION = "/aws/containerinsights/prod/application";
    private static final String HOST = "/aws/containerinsights/prod/host";

    private static CloudWatchLogsSinkBuilder builder() {
        return CloudWatchLogsSink.builder()
                .region("eu-west-1")
                .endpoint("http://127.0.0.1:1")
                .staticCredentials("AKIAEXAMPLEKEY", "very-secret-key")
                .deadLetterToLog();
    }

    @Test
    void groupsNeverExpireUnlessARetentionIsSet() {
        CloudWatchLogsSinkConfig config = builder().build().config();
        assertThat(config.retentionFor(APPLICATION)).isNull();
    }

    @Test
    void aGroupsOwnRetentionWinsOverTheDefault() {
        CloudWatchLogsSinkConfig config =
                builder().retentionInDays(30).retentionInDays(HOST, 7).build().config();
        assertThat(config.retentionFor(HOST)).isEqualTo(7);
        assertThat(config.retentionFor(APPLICATION)).isEqualTo(30);

        CloudWatchLogsSinkConfig onlyOne =
                builder().retentionInDays(HOST, 400).build().config();
        assertThat(onlyOne.retentionFor(HOST)).isEqualTo(400);
        assertThat(onlyOne.retentionFor(APPLICATION)).isNull();
    }

    @Test
    void aBuiltConfigDoesNotChangeWithTheBuilder() {
        CloudWatchLogsSinkBuilder b = builder().retentionInDays(HOST, 7);
        CloudWatchLogsSinkConfig config = b.build().config();
        b.retentionInDays(HOST, 14).retentionInDays(APPLICATION, 1);
        assertThat(config.retentionFor(HOST)).isEqualTo(7);
        assertThat(config.retentionFor(APPLICATION)).isNull();
        assertThatThrownBy(() -> config.retentionDaysByGroup.put(APPLICATION, 1))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void everyBuiltSinkHasItsOwnId() {
        CloudWatchLogsSinkBuilder b = builder();
        assertThat(b.build().config().sinkId).isNotEqualTo(b.build().config().sinkId);
    }

    @Test
    void itTravelsToTheTaskManagersWhole() throws Exception {
        CloudWatchLogsSinkConfig config = builder()
                .deliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .retentionInDays(HOST, 7)
                .maxHeldBytes(5L << 20)
                .readBackSettleDelay(Duration.ofMillis(250))
                .build()
                .config();
        CloudWatchLogsSinkConfig copy =
                InstantiationUtil.clone(config, CloudWatchLogsSinkConfigTest.class.getClassLoader());
        assertThat(copy.deliveryGuarantee()).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
        assertThat(copy.retentionFor(HOST)).isEqualTo(7);
        assertThat(copy.maxHeldBytes()).isEqualTo(5L << 20);
        assertThat(copy.readBackSettleDelay()).isEqualTo(Duration.ofMillis(250));
        assertThat(copy.sinkId).isEqualTo(config.sinkId);
        assertThat(copy.toString()).isEqualTo(config.toString());
    }

    @Test
    void theDescriptionInLogsNeverShowsTheSecretKey() {
        String text = builder().build().config().toString();
        assertThat(text).doesNotContain("very-secret-key").contains("eu-west-1", "http://127.0.0.1:1");
    }
}
