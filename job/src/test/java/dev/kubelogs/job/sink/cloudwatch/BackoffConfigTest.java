package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffConfigTest {

    @Test
    void delayStaysWithinTheDoublingCeilingCappedAtMax() {
        BackoffConfig b = new BackoffConfig(Duration.ofMillis(100), Duration.ofMillis(1000), 10, Duration.ofMinutes(1));
        long[] ceilings = {100, 200, 400, 800, 1000, 1000};
        for (int attempt = 1; attempt <= ceilings.length; attempt++) {
            for (int i = 0; i < 500; i++) {
                assertThat(b.delayMillis(attempt)).isBetween(0L, ceilings[attempt - 1]);
            }
        }
    }

    @Test
    void manyFailedAttemptsNeitherOverflowNorExceedMax() {
        BackoffConfig b = new BackoffConfig(Duration.ofMillis(3), Duration.ofDays(365), 10, Duration.ofMinutes(1));
        for (int attempt : new int[] {31, 63, 64, 1_000, Integer.MAX_VALUE}) {
            assertThat(b.delayMillis(attempt)).isBetween(0L, 3L << 30);
        }
        assertThat(b.delayMillis(0)).isBetween(0L, 3L);
    }

    @Test
    void zeroInitialMeansNoDelay() {
        BackoffConfig b = new BackoffConfig(Duration.ZERO, Duration.ofSeconds(1), 3, Duration.ZERO);
        assertThat(b.delayMillis(1)).isZero();
        assertThat(b.delayMillis(20)).isZero();
    }

    @Test
    void equalInitialAndMaxIsAllowed() {
        BackoffConfig b = new BackoffConfig(Duration.ofMillis(5), Duration.ofMillis(5), 1, Duration.ZERO);
        assertThat(b.delayMillis(7)).isBetween(0L, 5L);
        assertThat(b.maxAttempts()).isEqualTo(1);
    }

    @Test
    void invalidSettingsAreRejectedWithTheValues() {
        assertThatThrownBy(() -> new BackoffConfig(Duration.ofSeconds(2), Duration.ofSeconds(1), 3, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("need 0 <= initial <= max, got PT2S / PT1S");
        assertThatThrownBy(() -> new BackoffConfig(Duration.ofMillis(-1), Duration.ofSeconds(1), 3, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BackoffConfig(Duration.ZERO, Duration.ofSeconds(1), 0, Duration.ZERO))
                .hasMessage("maxAttempts must be >= 1");
        assertThatThrownBy(() -> new BackoffConfig(Duration.ZERO, Duration.ofSeconds(1), 1, Duration.ofMillis(-1)))
                .hasMessage("maxTotalTime must be >= 0");
    }

    @Test
    void defaults() {
        BackoffConfig d = BackoffConfig.defaults();
        assertThat(d.initial()).isEqualTo(Duration.ofMillis(100));
        assertThat(d.max()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.maxAttempts()).isEqualTo(30);
        assertThat(d.maxTotalTime()).isEqualTo(Duration.ofMinutes(5));
    }
}
