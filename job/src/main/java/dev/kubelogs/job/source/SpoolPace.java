package dev.kubelogs.job.source;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * Whether the spool is quiet: how many bytes of new segments discovery found lately, against a rate.
 *
 * <p>A quiet spool is one where checkpoints are worth taking less often. Each checkpoint costs the cluster a fixed
 * number of S3 requests (its {@code _metadata}, the HA store's copy, their checks and deletion), whatever it carries,
 * while a quiet node's lines already wait for its collector's segment age; on a busy spool the same requests are a
 * small share of what the cluster ingests, and the checkpoint interval is most of a line's wait.
 *
 * <p>The spool turns quiet once discovery found less than {@code quietBelow} bytes a second over a whole window (a
 * minute unless told), and busy again once it found half as much again over the last half of one: segments arrive in
 * bursts (each node rolls one at its age, discovery looks every few seconds), so a spool a little under the rate would
 * otherwise be taken for busy every few minutes and flap. It starts busy (a restored job first reads what piled up
 * during the restart).
 *
 * <p>Times are milliseconds on one monotonic clock. Not thread-safe: the enumerator uses it on its coordinator thread.
 */
final class SpoolPace {
    static final Duration WINDOW = Duration.ofMinutes(1);
    /** Busy again at this many times the quiet rate. */
    static final double BUSY_FACTOR = 1.5;

    private final long quietBelowBytesPerSecond;
    private final long quietWindowMillis;
    private final long busyWindowMillis;
    /** Discoveries of the last quiet window: when, and the bytes of new segments each found. */
    private final ArrayDeque<long[]> found = new ArrayDeque<>();

    private long busySince = Long.MIN_VALUE;
    private boolean quiet;

    SpoolPace(long quietBelowBytesPerSecond) {
        this(quietBelowBytesPerSecond, WINDOW);
    }

    SpoolPace(long quietBelowBytesPerSecond, Duration window) {
        if (quietBelowBytesPerSecond <= 0) {
            throw new IllegalArgumentException(
                    "the quiet rate must be above 0 bytes a second, was " + quietBelowBytesPerSecond);
        }
        if (window.toMillis() < 2) {
            throw new IllegalArgumentException("the quiet window must be at least 2 ms, was " + window);
        }
        this.quietBelowBytesPerSecond = quietBelowBytesPerSecond;
        this.quietWindowMillis = window.toMillis();
        this.busyWindowMillis = quietWindowMillis / 2;
    }

    /**
     * A discovery at {@code now} found {@code newBytes} of segments it had not seen before.
     *
     * @return whether the spool turned quiet or busy with it
     */
    boolean discovered(long now, long newBytes) {
        if (busySince == Long.MIN_VALUE) {
            busySince = now;
        }
        found.addLast(new long[] {now, newBytes});
        while (now - found.peekFirst()[0] > quietWindowMillis) {
            found.removeFirst();
        }
        boolean wasQuiet = quiet;
        if (quiet) {
            quiet = bytesSince(now - busyWindowMillis) * 1000.0
                    < quietBelowBytesPerSecond * BUSY_FACTOR * busyWindowMillis;
            if (!quiet) {
                busySince = now;
            }
        } else {
            quiet = now - busySince >= quietWindowMillis
                    && bytesSince(now - quietWindowMillis) * 1000 < quietBelowBytesPerSecond * quietWindowMillis;
        }
        return quiet != wasQuiet;
    }

    boolean quiet() {
        return quiet;
    }

    /** Bytes a second found over the last quiet window up to {@code now}, for the log. */
    long bytesPerSecond(long now) {
        return bytesSince(now - quietWindowMillis) * 1000 / quietWindowMillis;
    }

    private long bytesSince(long from) {
        long sum = 0;
        for (long[] f : found) {
            if (f[0] > from) {
                sum += f[1];
            }
        }
        return sum;
    }
}
