package dev.kubelogs.job.source.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.junit.jupiter.api.Test;

class KinesisSourceConfigOptionsTest {
    @Test
    void theSettingsReachTheSource() {
        Configuration config = new Configuration();
        config.set(KinesisSourceConfigOptions.STREAM, "segments");
        config.set(KinesisSourceConfigOptions.REGION, "eu-west-1");
        config.set(KinesisSourceConfigOptions.INITIAL_POSITION, InitialPosition.LATEST);
        config.set(KinesisSourceConfigOptions.IDLE_POLL_INTERVAL, Duration.ofMillis(300));

        KinesisStreamSettings settings =
                KinesisSourceConfigOptions.source(config).settings();

        assertThat(settings.stream()).isEqualTo("segments");
        assertThat(settings.region()).isEqualTo("eu-west-1");
        assertThat(settings.endpoint()).isNull();
        assertThat(settings.localCredentials()).isFalse();
        assertThat(settings.initialPosition()).isEqualTo(InitialPosition.LATEST);
        assertThat(settings.idlePollInterval()).isEqualTo(Duration.ofMillis(300));
        assertThat(settings.shardDiscoveryInterval())
                .isEqualTo(KinesisSourceConfigOptions.SHARD_DISCOVERY_INTERVAL.defaultValue());
    }

    @Test
    void anArnNamesItsRegion() {
        assertThat(KinesisSourceConfigOptions.defaultRegion("arn:aws:kinesis:ap-south-1:123456789012:stream/segments"))
                .isEqualTo("ap-south-1");
    }

    @Test
    void withoutAStreamThereIsNothingToRead() {
        assertThatThrownBy(() -> KinesisSourceConfigOptions.source(new Configuration()))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining(KinesisSourceConfigOptions.STREAM.key());
    }

    @Test
    void aZeroPollIntervalIsRefusedNamingIt() {
        Configuration config = new Configuration();
        config.set(KinesisSourceConfigOptions.STREAM, "segments");
        config.set(KinesisSourceConfigOptions.IDLE_POLL_INTERVAL, Duration.ZERO);
        assertThatThrownBy(() -> KinesisSourceConfigOptions.source(config))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining(KinesisSourceConfigOptions.IDLE_POLL_INTERVAL.key());
    }
}
