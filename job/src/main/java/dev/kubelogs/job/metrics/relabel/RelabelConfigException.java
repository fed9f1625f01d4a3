package dev.kubelogs.job.metrics.relabel;

/**
 * A relabel rule Prometheus would refuse: which rule (0-based, in its list), which field, and why. The config parser
 * adds the file, line and key path.
 */
public final class RelabelConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int ruleIndex;
    private final String field;
    private final String reason;

    public RelabelConfigException(int ruleIndex, String field, String reason) {
        super("relabel rule " + ruleIndex + ", " + field + ": " + reason);
        this.ruleIndex = ruleIndex;
        this.field = field;
        this.reason = reason;
    }

    public int ruleIndex() {
        return ruleIndex;
    }

    /** The YAML key at fault ({@code regex}, {@code target_label}, ...). */
    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}
