package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SinkEventTest {

    @Test
    void theMessageIsHeldAsUtf8AndCountedInBytes() {
        SinkEvent e = new SinkEvent(5, "é€😀x", "f", 12);
        assertThat(e.utf8()).isEqualTo("é€😀x".getBytes(StandardCharsets.UTF_8));
        assertThat(e.utf8Length()).isEqualTo(10);
        assertThat(e.message()).isEqualTo("é€😀x");
        assertThat(e.timestamp()).isEqualTo(5);
        assertThat(e.sourceId()).isEqualTo("f");
        assertThat(e.sourceOffset()).isEqualTo(12);
    }

    @Test
    void anEventCountsItsBytesPlusTwentySixTowardsTheBatch() {
        // PutLogEvents: the batch size is the sum of all event messages in UTF-8 plus 26 bytes for each event
        assertThat(new SinkEvent(1, "", null, -1).batchBytes()).isEqualTo(26);
        assertThat(new SinkEvent(1, "€", null, -1).batchBytes()).isEqualTo(29);
        String biggest = "x".repeat(BatchCutter.MAX_EVENT_BYTES);
        assertThat(new SinkEvent(1, biggest, null, -1).batchBytes()).isEqualTo(BatchCutter.MAX_BATCH_BYTES);
    }

    @Test
    void anUnpairedSurrogateBecomesAReplacementCharacter() {
        SinkEvent e = new SinkEvent(1, "a\uD83Db", null, -1);
        assertThat(e.message()).isEqualTo("a\uFFFDb");
        assertThat(e.utf8Length()).isEqualTo(5);
    }

    @Test
    void aMissingMessageIsNamed() {
        assertThatThrownBy(() -> new SinkEvent(1, (String) null, null, -1))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("message");
    }

    @Test
    void equalWhenEveryFieldIsEqual() {
        SinkEvent e = new SinkEvent(5, "m", "f", 12);
        assertThat(e)
                .isEqualTo(new SinkEvent(5, "m".getBytes(StandardCharsets.UTF_8), "f", 12))
                .hasSameHashCodeAs(new SinkEvent(5, "m", "f", 12));
        assertThat(e).isNotEqualTo(new SinkEvent(6, "m", "f", 12));
        assertThat(e).isNotEqualTo(new SinkEvent(5, "n", "f", 12));
        assertThat(e).isNotEqualTo(new SinkEvent(5, "m", "g", 12));
        assertThat(e).isNotEqualTo(new SinkEvent(5, "m", null, 12));
        assertThat(e).isNotEqualTo(new SinkEvent(5, "m", "f", 13));
        assertThat(new SinkEvent(5, "m", null, -1)).isEqualTo(new SinkEvent(5, "m", null, -1));
    }

    @Test
    void toStringShortensLongMessages() {
        assertThat(new SinkEvent(7, "short", null, -1).toString()).isEqualTo("@7 short");
        String longMessage = "€".repeat(100);
        assertThat(new SinkEvent(7, longMessage, null, -1).toString())
                .isEqualTo("@7 " + "€".repeat(80) + "…(300 bytes)");
    }
}
