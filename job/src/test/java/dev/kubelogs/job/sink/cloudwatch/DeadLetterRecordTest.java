package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadLetterRecordTest {

    @Test
    void jsonFieldsInTheDocumentedOrder() {
        DeadLetterRecord r = new DeadLetterRecord(
                DeadLetterReason.OVERSIZE,
                "1048577 bytes",
                "/aws/containerinsights/c/application",
                "node-1",
                1700L,
                "big",
                "s3://b/k",
                99L);
        long before = System.currentTimeMillis();
        Map<String, Object> json = r.toJsonMap();
        long after = System.currentTimeMillis();
        assertThat(json.keySet())
                .containsExactly(
                        "reason",
                        "detail",
                        "logGroup",
                        "logStream",
                        "timestamp",
                        "message",
                        "sourceId",
                        "sourceOffset",
                        "deadLetteredAt");
        assertThat(json)
                .containsEntry("reason", "OVERSIZE")
                .containsEntry("detail", "1048577 bytes")
                .containsEntry("logGroup", "/aws/containerinsights/c/application")
                .containsEntry("logStream", "node-1")
                .containsEntry("timestamp", 1700L)
                .containsEntry("message", "big")
                .containsEntry("sourceId", "s3://b/k")
                .containsEntry("sourceOffset", 99L);
        assertThat((Long) json.get("deadLetteredAt")).isBetween(before, after);
    }

    @Test
    void missingDetailStaysAnExplicitNull() {
        DeadLetterRecord r = new DeadLetterRecord(DeadLetterReason.EMPTY_MESSAGE, null, "g", "s", 1L, "", "src", 0L);
        assertThat(r.toJsonMap()).containsEntry("detail", null).containsEntry("message", "");
    }

    @Test
    void toStringNamesReasonTargetAndTime() {
        DeadLetterRecord r =
                new DeadLetterRecord(DeadLetterReason.INVALID_TARGET, "bad name", "g", "s", 5L, "m", "src", 0L);
        assertThat(r).hasToString("INVALID_TARGET g/s @5 (bad name)");
    }
}
