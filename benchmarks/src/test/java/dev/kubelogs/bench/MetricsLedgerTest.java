package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.cwlocal.StoredEvent;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;

class MetricsLedgerTest {
    private static StoredEvent event(long timestamp, String message) {
        return new StoredEvent(timestamp, timestamp + 5, message);
    }

    private static String gauges(long timestamp) {
        return "{\"Timestamp\":\"" + timestamp + "\",\"go_goroutines\":1}";
    }

    private static String queue(long timestamp, int q) {
        return "{\"Timestamp\":\"" + timestamp + "\",\"queue\":\"q-" + q + "\",\"queue_depth\":7}";
    }

    @Test
    void everyEventIsCountedAndARepeatedOneIsADuplicate() {
        MetricsLedger ledger = new MetricsLedger();
        ledger.stored("g", "target-1", List.of(event(1_000, gauges(1_000)), event(1_000, queue(1_000, 0))));
        ledger.stored("g", "target-2", List.of(event(1_000, gauges(1_000)), event(1_000, queue(1_000, 0))));
        // a put replayed after a restore: its events again
        ledger.stored("g", "target-1", List.of(event(1_000, gauges(1_000)), event(1_000, queue(1_000, 0))));
        ledger.stored("g", "target-1", List.of(event(3_000, gauges(3_000)), event(3_000, queue(3_000, 1))));

        MetricsLedger.Tally t = ledger.tally(2_000);

        assertThat(t.stored()).isEqualTo(8);
        assertThat(t.distinct()).isEqualTo(6);
        assertThat(t.duplicated()).isEqualTo(2);
        // target-1's first scrape stored twice is one OK scrape, not two
        assertThat(t.processGaugeEvents()).isEqualTo(3);
        assertThat(t.processGaugeEventsFrom()).isEqualTo(1);
        assertThat(t.meanMessageChars()).isGreaterThan(30);
    }

    @Test
    void theSameMessageInAnotherStreamIsAnotherEvent() {
        MetricsLedger ledger = new MetricsLedger();
        ledger.stored("g", "ab", List.of(event(1, "c")));
        ledger.stored("g", "a", List.of(event(1, "bc")));

        assertThat(ledger.tally(0).distinct()).isEqualTo(2);
    }

    @Test
    void theStreamingCheckAgreesWithAReadBackOfTheStore() {
        MetricsLedger live = new MetricsLedger();
        MetricsLedger readBack = new MetricsLedger();
        try (LocalCloudWatchLogs cw = LocalCloudWatchLogs.builder()
                        .port(0)
                        .eventListener(live)
                        .keepEventsFor(Duration.ofMinutes(2))
                        .start();
                CloudWatchLogsClient client = CloudWatchLogsClient.builder()
                        .endpointOverride(cw.endpoint())
                        .region(Region.US_EAST_1)
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
                        .httpClientBuilder(Apache5HttpClient.builder())
                        .build()) {
            client.createLogGroup(b -> b.logGroupName("/aws/containerinsights/bench/prometheus"));
            client.createLogStream(b ->
                    b.logGroupName("/aws/containerinsights/bench/prometheus").logStreamName("t"));
            long now = System.currentTimeMillis();
            client.putLogEvents(b -> b.logGroupName("/aws/containerinsights/bench/prometheus")
                    .logStreamName("t")
                    .logEvents(
                            InputLogEvent.builder()
                                    .timestamp(now)
                                    .message(gauges(now))
                                    .build(),
                            InputLogEvent.builder()
                                    .timestamp(now)
                                    .message(queue(now, 3))
                                    .build(),
                            InputLogEvent.builder()
                                    .timestamp(now)
                                    .message(queue(now, 3))
                                    .build()));
            readBack.readAll(cw);
        }

        assertThat(live.tally(0)).isEqualTo(readBack.tally(0));
        assertThat(live.tally(0).duplicated()).isEqualTo(1);
        assertThat(live.tally(0).processGaugeEvents()).isEqualTo(1);
    }

    @Test
    void theTimestampOfAnAgentFormEventIsRead() {
        assertThat(MetricsLedger.timestampOf(
                        "{\"Namespace\":\"a\",\"Timestamp\":\"1700000000123\",\"go_goroutines\":1}"))
                .isEqualTo(1_700_000_000_123L);
        assertThat(MetricsLedger.timestampOf("{\"go_goroutines\":1}")).isEqualTo(-1);
    }

    @Test
    void messagesDifferingAnywhereHashApart() {
        long h = MetricsLedger.FNV_OFFSET;
        assertThat(MetricsLedger.fnv1a(h, "s\n{\"a\":1}"))
                .isNotEqualTo(MetricsLedger.fnv1a(h, "s\n{\"a\":2}"))
                .isNotEqualTo(MetricsLedger.fnv1a(h, "s\n{\"a\":1} "))
                .isEqualTo(MetricsLedger.fnv1a(h, "s\n{\"a\":1}"));
    }
}
