package dev.kubelogs.job.metrics.discovery;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one list/watch: every error is counted, but logged only when the watch goes from working to failing,
 * and once more when it works again, so a long outage does not flood the log. Targets stay as last known meanwhile.
 */
final class WatchHealth {
    private static final Logger LOG = LoggerFactory.getLogger(WatchHealth.class);

    private final String watched;
    private final AtomicLong errors = new AtomicLong();
    private boolean failing;

    WatchHealth(String watched) {
        this.watched = watched;
    }

    void failed(Throwable error) {
        errors.incrementAndGet();
        synchronized (this) {
            if (failing) {
                return;
            }
            failing = true;
        }
        LOG.warn(
                "Kubernetes reads of {} failed; keeping the last known targets and retrying: {}",
                watched,
                describe(error));
    }

    /** A list (or read) worked: returns whether it had been failing until now. */
    boolean listed() {
        synchronized (this) {
            if (!failing) {
                return false;
            }
            failing = false;
        }
        LOG.info("Kubernetes reads of {} work again", watched);
        return true;
    }

    private static String describe(Throwable error) {
        StringBuilder sb = new StringBuilder(String.valueOf(error));
        for (Throwable cause = error.getCause(); cause != null && cause != error; cause = cause.getCause()) {
            sb.append("; caused by ").append(cause);
            error = cause;
        }
        return sb.toString();
    }

    long errors() {
        return errors.get();
    }

    synchronized boolean failing() {
        return failing;
    }
}
