package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.cwlocal.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadLetterWriterTest {
    @TempDir
    Path tmp;

    @Test
    void anOversizeRecordGoesToTheDeadLetterGroupWholeInParts() throws Exception {
        String message = "{\"log\":\"" + "é".repeat(700_000) + "\"}";
        try (LocalCloudWatchLogs cw = LocalCloudWatchLogs.start(0, null)) {
            CloudWatchLogsSinkConfig config = SinkTestSupport.localBuilder(cw.endpoint(), tmp)
                    .deadLetterLogGroup("kubelogs-dead-letter")
                    .build()
                    .config();
            try (CloudWatchLogsClientConfig.Client client = config.client().createClient();
                    DeadLetterWriter writer = DeadLetterWriter.open(
                            config.deadLetter(),
                            "writer",
                            0,
                            config,
                            client.api(),
                            UnregisteredMetricsGroup.createOperatorMetricGroup())) {
                writer.write(List.of(new DeadLetterRecord(
                        DeadLetterReason.OVERSIZE,
                        "message is 1400008 bytes UTF-8",
                        "/aws/containerinsights/prod/application",
                        "s",
                        1L,
                        message,
                        "f",
                        7)));
            }
            List<StoredEvent> parts = cw.events("kubelogs-dead-letter", "dead-letter-writer-0");
            // the job writes non-ASCII as Fluent Bit does, as 6-byte escapes (backslash, u, 4 hex digits): ~4.2 MB in 1
            // MB parts
            assertThat(parts).hasSize(5);
            assertThat(parts)
                    .allSatisfy(p -> assertThat(p.message().getBytes(StandardCharsets.UTF_8).length)
                            .isLessThanOrEqualTo(BatchCutter.defaults().maxEventBytes()));
            ObjectMapper json = new ObjectMapper();
            StringBuilder joined = new StringBuilder();
            for (StoredEvent part : parts) {
                Map<?, ?> record = json.readValue(part.message(), Map.class);
                assertThat(record.get("reason")).isEqualTo("OVERSIZE");
                assertThat(record.get("logGroup")).isEqualTo("/aws/containerinsights/prod/application");
                joined.append(record.get("message"));
            }
            assertThat(joined.toString()).isEqualTo(message);
        }
    }
}
