package dev.kubelogs.job.metrics.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogLimiterTest {
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final LogLimiter limiter = new LogLimiter(60_000, clock::get);

    @Test
    void oncePerMinutePerTargetAndReasonWithTheCountHeldBack() {
        assertThat(limiter.admit("t1", "timeout")).isZero();
        assertThat(limiter.admit("t1", "timeout")).isEqualTo(LogLimiter.SUPPRESSED);
        assertThat(limiter.admit("t1", "parse_error")).as("another reason").isZero();
        assertThat(limiter.admit("t2", "timeout")).as("another target").isZero();
        clock.addAndGet(30_000);
        assertThat(limiter.admit("t1", "timeout")).isEqualTo(LogLimiter.SUPPRESSED);

        clock.addAndGet(30_000);
        assertThat(limiter.admit("t1", "timeout")).isEqualTo(2);
        assertThat(limiter.admit("t1", "timeout")).isEqualTo(LogLimiter.SUPPRESSED);
    }

    @Test
    void aForgottenTargetIsLoggedAgainAtOnce() {
        limiter.admit("t1", "timeout");
        limiter.forget("t1");

        assertThat(limiter.admit("t1", "timeout")).isZero();
    }
}
