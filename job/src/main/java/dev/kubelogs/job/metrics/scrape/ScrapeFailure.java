package dev.kubelogs.job.metrics.scrape;

/** A scrape that failed, with the counted reason (and the HTTP status for {@link ScrapeReason#HTTP_STATUS}). */
public final class ScrapeFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final ScrapeReason reason;
    private final int httpStatus;

    public ScrapeFailure(ScrapeReason reason, String message) {
        this(reason, 0, message, null);
    }

    public ScrapeFailure(ScrapeReason reason, String message, Throwable cause) {
        this(reason, 0, message, cause);
    }

    public ScrapeFailure(ScrapeReason reason, int httpStatus, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.httpStatus = httpStatus;
    }

    public ScrapeReason reason() {
        return reason;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
