package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.model.CloudWatchEvent;
import org.junit.jupiter.api.Test;

class CloudWatchLogsSinkBuilderTest {

    @Test
    void byDefaultAnOversizeEventIsDeadLetteredWholeNeverCut() {
        BatchCutter cutter = CloudWatchLogsSink.builder()
                .region("us-east-1")
                .build()
                .config()
                .cutter();
        String message = "x".repeat(BatchCutter.MAX_EVENT_BYTES + 1);
        BatchCutter.Prepared p = cutter.prepare(new CloudWatchEvent("g", "s", 1L, message));
        assertThat(p.event).isNull();
        assertThat(p.truncated).isFalse();
        assertThat(p.deadLetter).isEqualTo(DeadLetterReason.OVERSIZE);
        assertThat(p.originalMessage).isEqualTo(message);
    }
}
