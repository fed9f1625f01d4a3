package dev.kubelogs.job.sink.cloudwatch;

import java.time.Instant;

/**
 * How delivery to CloudWatch Logs is going, as one snapshot: for a status line of a local run.
 *
 * <p>{@link #ofThisJvm()} combines every sink writer and committer running in this JVM (a demo or a local job on a
 * MiniCluster, a test). On a cluster each TaskManager only sees its own tasks; read the metrics there (group
 * {@code cloudwatchlogs}: {@code millisSinceLastSuccessfulPut}, {@code eventsWaiting}, {@code failedAttempts},
 * {@code lastErrorKind}).
 *
 * @param lastSuccess when a put last succeeded (or a read-back found a batch stored), null if never
 * @param failingSince when the current run of failed attempts began, null while delivery works
 * @param failedAttempts failed attempts since then (0 while delivery works)
 * @param lastError the last failure, "operation group/stream: error", null if none yet
 * @param lastErrorKind its {@link CloudWatchLogsExceptionClassifier.Kind}, null if none yet
 * @param eventsWaiting events buffered or handed to a committer and not yet stored
 */
public record DeliveryStatus(
        Instant lastSuccess,
        Instant failingSince,
        int failedAttempts,
        String lastError,
        String lastErrorKind,
        long eventsWaiting) {

    /** Nothing running: no success, no failure, nothing waiting. */
    public static final DeliveryStatus IDLE = new DeliveryStatus(null, null, 0, null, null, 0);

    public boolean failing() {
        return failingSince != null;
    }

    /** The sinks of this JVM combined: latest success, earliest failure still going on, its latest error. */
    public static DeliveryStatus ofThisJvm() {
        return DeliveryHealth.combinedStatus();
    }
}
