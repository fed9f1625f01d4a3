package dev.kubelogs.job.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class QuietSpoolTest {
    private static final Duration FIVE = Duration.ofSeconds(5);
    private static final Duration TEN = Duration.ofSeconds(10);

    @Test
    void theLongerIntervalWhileQuietTheCheckpointIntervalOtherwise() {
        QuietSpool q = new QuietSpool(384 * 1024, FIVE, TEN);
        assertThat(q.interval(true)).isEqualTo(TEN);
        assertThat(q.interval(false)).isEqualTo(FIVE);
        assertThat(q.window()).isEqualTo(SpoolPace.WINDOW);
    }

    @Test
    void aShorterQuietIntervalOrNoRateIsRefused() {
        assertThatThrownBy(() -> new QuietSpool(1, TEN, FIVE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shorter than the checkpoint interval");
        assertThatThrownBy(() -> new QuietSpool(0, FIVE, TEN)).isInstanceOf(IllegalArgumentException.class);
    }
}
