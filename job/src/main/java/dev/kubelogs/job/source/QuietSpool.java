package dev.kubelogs.job.source;

import java.io.Serializable;
import java.time.Duration;

/**
 * Checkpoints every {@code quietCheckpointInterval} instead of every {@code checkpointInterval} while the spool is quiet
 * ({@link SpoolPace}: below {@code belowBytesPerSecond} of new segments over a {@code window}). The enumerator asks for the longer interval
 * the only way Flink takes one at run time: it reports its source as processing backlog (FLIP-309), and Flink then
 * triggers checkpoints every {@code execution.checkpointing.interval-during-backlog}.
 */
record QuietSpool(
        long belowBytesPerSecond, Duration checkpointInterval, Duration quietCheckpointInterval, Duration window)
        implements Serializable {

    QuietSpool(long belowBytesPerSecond, Duration checkpointInterval, Duration quietCheckpointInterval) {
        this(belowBytesPerSecond, checkpointInterval, quietCheckpointInterval, SpoolPace.WINDOW);
    }

    QuietSpool {
        if (belowBytesPerSecond <= 0) {
            throw new IllegalArgumentException(
                    "the quiet rate must be above 0 bytes a second, was " + belowBytesPerSecond);
        }
        if (quietCheckpointInterval.compareTo(checkpointInterval) < 0) {
            throw new IllegalArgumentException("the quiet checkpoint interval " + quietCheckpointInterval
                    + " is shorter than the checkpoint interval " + checkpointInterval);
        }
    }

    SpoolPace pace() {
        return new SpoolPace(belowBytesPerSecond, window);
    }

    /** The checkpoint interval while the spool is {@code quiet} or not. */
    Duration interval(boolean quiet) {
        return quiet ? quietCheckpointInterval : checkpointInterval;
    }
}
