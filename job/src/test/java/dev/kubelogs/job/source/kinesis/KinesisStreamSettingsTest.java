package dev.kubelogs.job.source.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;

class KinesisStreamSettingsTest {
    private static final String ARN = "arn:aws:kinesis:eu-west-1:123456789012:stream/kubelogs-segments";

    private static KinesisStreamSettings settings(String stream, String endpoint) {
        return new KinesisStreamSettings(
                stream,
                "eu-west-1",
                endpoint,
                endpoint != null,
                InitialPosition.TRIM_HORIZON,
                Duration.ofSeconds(10),
                Duration.ofMillis(200));
    }

    @Test
    void aStreamNameIsSentAsAName() {
        KinesisStreamSettings s = settings("kubelogs-segments", null);
        ListShardsRequest list = s.naming(ListShardsRequest.builder()).build();
        assertThat(list.streamName()).isEqualTo("kubelogs-segments");
        assertThat(list.streamARN()).isNull();
        GetShardIteratorRequest iterator =
                s.naming(GetShardIteratorRequest.builder()).build();
        assertThat(iterator.streamName()).isEqualTo("kubelogs-segments");
        assertThat(iterator.streamARN()).isNull();
    }

    @Test
    void aStreamArnIsSentAsAnArn() {
        KinesisStreamSettings s = settings(ARN, null);
        ListShardsRequest list = s.naming(ListShardsRequest.builder()).build();
        assertThat(list.streamARN()).isEqualTo(ARN);
        assertThat(list.streamName()).isNull();
        GetShardIteratorRequest iterator =
                s.naming(GetShardIteratorRequest.builder()).build();
        assertThat(iterator.streamARN()).isEqualTo(ARN);
        assertThat(iterator.streamName()).isNull();
    }

    @Test
    void requiredSettingsAreNamed() {
        assertThatThrownBy(() -> new KinesisStreamSettings(
                        null, "eu-west-1", null, false, InitialPosition.LATEST, Duration.ZERO, Duration.ZERO))
                .hasMessage("stream");
        assertThatThrownBy(() -> new KinesisStreamSettings(
                        "s", null, null, false, InitialPosition.LATEST, Duration.ZERO, Duration.ZERO))
                .hasMessage("region");
        assertThatThrownBy(() ->
                        new KinesisStreamSettings("s", "eu-west-1", null, false, null, Duration.ZERO, Duration.ZERO))
                .hasMessage("initialPosition");
        assertThatThrownBy(() -> new KinesisStreamSettings(
                        "s", "eu-west-1", null, false, InitialPosition.LATEST, null, Duration.ZERO))
                .hasMessage("shardDiscoveryInterval");
        assertThatThrownBy(() -> new KinesisStreamSettings(
                        "s", "eu-west-1", null, false, InitialPosition.LATEST, Duration.ZERO, null))
                .hasMessage("idlePollInterval");
    }

    @Test
    void aMalformedEndpointFailsAtOnce() {
        assertThatThrownBy(() -> settings("s", "http://local host:4566"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("local host");
    }

    @Test
    void itTravelsToTheTaskManagersWhole() throws Exception {
        KinesisStreamSettings s = settings(ARN, "http://127.0.0.1:4566");
        assertThat(InstantiationUtil.clone(s, getClass().getClassLoader())).isEqualTo(s);
    }

    @Test
    void theDescriptionNamesTheStreamAndWhereItIs() {
        assertThat(settings("kubelogs-segments", null).toString())
                .isEqualTo("KinesisStreamSettings[stream=kubelogs-segments, region=eu-west-1, endpoint=<aws>, "
                        + "initialPosition=TRIM_HORIZON]");
        assertThat(settings("kubelogs-segments", "http://127.0.0.1:4566").toString())
                .contains("endpoint=http://127.0.0.1:4566");
    }
}
