package dev.kubelogs.job.metrics.target;

/**
 * A discovered target that relabeling kept but that cannot be scraped (Prometheus logs these as "instance N in group
 * ..." and skips them). The {@link Reason} is what the caller counts.
 */
public final class TargetBuildException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the target was refused. */
    public enum Reason {
        NO_ADDRESS,
        INVALID_ADDRESS,
        INVALID_SCHEME,
        INVALID_INTERVAL,
        INVALID_TIMEOUT,
        TIMEOUT_EXCEEDS_INTERVAL,
        INVALID_LABEL_VALUE
    }

    private final Reason reason;

    public TargetBuildException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
