package dev.kubelogs.job.sink.cloudwatch;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Supplier;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer's backpressure on what its subtask holds ({@link HeldBytes}): once more than {@code maxHeldBytes} is
 * held and part of it waits for the committer, {@link #awaitRoom()} does not return before the committer stored it,
 * so the task reads no input meanwhile and Flink's backpressure reaches the sources (as {@code maxBufferedRequests}
 * does for Flink's AsyncSink). It yields to the task's mailbox, where the checkpoint's completion starts the commit and
 * the commit's outcome arrives ({@link CloudWatchLogsCommitterOperator}).
 *
 * <p>The writer's own buffer since the last barrier is not waited on: only the next barrier (in the input it would
 * stop reading) cuts it. A checkpoint that never completes (aborted) would leave its committables until a later one
 * does, which also needs a barrier: so the wait ends after {@code maxWait} at the latest, counted in
 * {@code heldBytesWaitTimeouts}.
 */
final class HeldBytesGate {
    private static final Logger LOG = LoggerFactory.getLogger(HeldBytesGate.class);

    private final HeldBytes held;
    private final long maxHeldBytes;
    private final long maxWaitMillis;
    private final ProcessingTimeService time;
    private final Supplier<MailboxExecutor> mailboxSource;
    private final SinkMetrics metrics;
    private MailboxExecutor mailbox;
    /** The number of the current wait; the wait whose longest wait passed (a timer of an earlier one changes nothing). */
    private long waitNumber;

    private long expiredWait = -1;

    HeldBytesGate(
            HeldBytes held,
            long maxHeldBytes,
            Duration maxWait,
            ProcessingTimeService time,
            Supplier<MailboxExecutor> mailboxSource,
            SinkMetrics metrics) {
        this.held = held;
        this.maxHeldBytes = maxHeldBytes;
        this.maxWaitMillis = maxWait.toMillis();
        this.time = time;
        this.mailboxSource = mailboxSource;
        this.metrics = metrics;
    }

    /** Returns once the subtask holds at most the limit, or nothing it holds waits for the committer. */
    void awaitRoom() throws InterruptedException {
        if (!mustWait()) {
            return;
        }
        long wait = ++waitNumber;
        metrics.heldBytesWaits.inc();
        ScheduledFuture<?> timer =
                time.registerTimer(time.getCurrentProcessingTime() + maxWaitMillis, t -> expiredWait = wait);
        try {
            while (mustWait()) {
                if (expiredWait == wait) {
                    metrics.heldBytesWaitTimeouts.inc();
                    LOG.warn(
                            "sink subtask holds {} bytes ({} cut into committables not stored yet), over the limit of "
                                    + "{}, and no commit came for {} ms: taking input again (is the checkpoint "
                                    + "failing?)",
                            held.total(),
                            held.cut(),
                            maxHeldBytes,
                            maxWaitMillis);
                    return;
                }
                mailbox().yield(); // the checkpoint's completion (the commit) or the timer above
            }
        } finally {
            if (timer != null) {
                timer.cancel(false);
            }
        }
    }

    private boolean mustWait() {
        return held.total() > maxHeldBytes && held.cut() > 0 && held.committerAttached();
    }

    private MailboxExecutor mailbox() {
        if (mailbox == null) {
            mailbox = mailboxSource.get();
        }
        return mailbox;
    }
}
