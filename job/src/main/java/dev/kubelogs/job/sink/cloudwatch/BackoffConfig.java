package dev.kubelogs.job.sink.cloudwatch;

import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter, bounded by a number of attempts and a total time.
 *
 * <p>Delay before retry {@code n} (1-based) is uniform in {@code [0, min(max, initial * 2^(n-1))]}
 * ("full jitter"). Once {@code maxAttempts} calls have failed or {@code maxTotalTime} has elapsed since the
 * first attempt of a batch, the batch fails and the job fails with it (nothing is dropped).
 */
public final class BackoffConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Duration initial;
    private final Duration max;
    private final int maxAttempts;
    private final Duration maxTotalTime;

    public BackoffConfig(Duration initial, Duration max, int maxAttempts, Duration maxTotalTime) {
        if (initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 <= initial <= max, got " + initial + " / " + max);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1");
        }
        if (maxTotalTime.isNegative()) {
            throw new IllegalArgumentException("maxTotalTime must be >= 0");
        }
        this.initial = initial;
        this.max = max;
        this.maxAttempts = maxAttempts;
        this.maxTotalTime = maxTotalTime;
    }

    /** 100 ms initial, 10 s cap, 30 attempts, 5 minutes in all. */
    public static BackoffConfig defaults() {
        return new BackoffConfig(Duration.ofMillis(100), Duration.ofSeconds(10), 30, Duration.ofMinutes(5));
    }

    public Duration initial() {
        return initial;
    }

    public Duration max() {
        return max;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration maxTotalTime() {
        return maxTotalTime;
    }

    /** Jittered delay in ms before the retry that follows failed attempt number {@code failedAttempts} (>= 1). */
    public long delayMillis(int failedAttempts) {
        long cap = max.toMillis();
        long base = initial.toMillis();
        int shift = Math.min(Math.max(failedAttempts - 1, 0), 30);
        long exp = base <= 0 ? 0 : (base > (cap >> shift) ? cap : Math.min(cap, base << shift));
        return exp <= 0 ? 0 : ThreadLocalRandom.current().nextLong(exp + 1);
    }

    @Override
    public String toString() {
        return "Backoff{initial=" + initial + ", max=" + max + ", maxAttempts=" + maxAttempts + ", maxTotalTime="
                + maxTotalTime + '}';
    }
}
