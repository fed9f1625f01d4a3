package dev.kubelogs.collector.spool;

import dev.kubelogs.collector.metrics.CollectorMetrics;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Back-pressure: reading pauses while the local spool holds at least its limit, until the job consumes segments;
 * nothing is dropped. Keeps the backpressure gauge and the paused-seconds counter. Tail thread only.
 */
public final class SpoolPressure {
    private static final Logger LOG = LoggerFactory.getLogger(SpoolPressure.class);

    private final Path directory;
    private final long maxBytes;
    private final CollectorMetrics metrics;
    private boolean paused;
    private long pausedSinceNanos;
    /** Sealing or stopping: read what is there regardless of the limit (bounded by what exists). */
    private boolean finalDrain;

    public SpoolPressure(Path directory, long maxBytes, CollectorMetrics metrics) {
        this.directory = directory;
        this.maxBytes = maxBytes;
        this.metrics = metrics;
    }

    public boolean paused() {
        return paused;
    }

    /** From now on the limit no longer pauses reading: the last pass before a seal or stop. */
    public void finalDrain() {
        finalDrain = true;
        paused = false;
    }

    /** Pauses or resumes for the spool's current size; true if reading has just paused. */
    public boolean update(long spoolBytes) {
        boolean full = spoolBytes >= maxBytes && !finalDrain;
        if (full && !paused) {
            paused = true;
            pausedSinceNanos = System.nanoTime();
            metrics.backpressure.set(1);
            LOG.warn(
                    "spool {} holds {} bytes >= limit {}: tailing paused until the job consumes segments (nothing is "
                            + "dropped)",
                    directory,
                    spoolBytes,
                    maxBytes);
            return true;
        }
        if (!full && paused) {
            paused = false;
            metrics.backpressureSeconds.inc(Math.max(0, System.nanoTime() - pausedSinceNanos) / 1e9);
            metrics.backpressure.set(0);
            LOG.info("spool below its limit again ({} bytes): tailing resumed", spoolBytes);
        }
        return false;
    }

    /** Adds the time paused so far to the counter, so that a long pause shows while it lasts. */
    public void countPausedTime() {
        if (paused) {
            long t = System.nanoTime();
            metrics.backpressureSeconds.inc(Math.max(0, t - pausedSinceNanos) / 1e9);
            pausedSinceNanos = t;
        }
    }
}
