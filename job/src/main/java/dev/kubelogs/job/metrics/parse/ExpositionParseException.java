package dev.kubelogs.job.metrics.parse;

/**
 * A scrape body that Prometheus would reject: the whole scrape fails. Carries the 1-based line number, a short
 * reason and the start of the offending line (at most {@value #MAX_EXCERPT} bytes, control characters escaped).
 */
public final class ExpositionParseException extends Exception {
    private static final long serialVersionUID = 1L;
    static final int MAX_EXCERPT = 100;

    private final int lineNumber;
    private final String reason;
    private final String excerpt;

    ExpositionParseException(int lineNumber, String reason, String excerpt) {
        super("line " + lineNumber + ": " + reason + ": \"" + excerpt + "\"");
        this.lineNumber = lineNumber;
        this.reason = reason;
        this.excerpt = excerpt;
    }

    public int lineNumber() {
        return lineNumber;
    }

    public String reason() {
        return reason;
    }

    /** The offending line, truncated (ending in {@code ...} when cut) and with control characters escaped. */
    public String excerpt() {
        return excerpt;
    }
}
