package dev.kubelogs.job.metrics.delta;

/** Why the delta stage dropped a sample; each reason has its own counter {@code samplesDropped_<id>}. */
public enum DropReason {
    /** The value is NaN (not the stale marker); a counter's previous value is forgotten too. */
    NAN("nan", false),
    /** The value is +Inf or -Inf; a counter's previous value is forgotten too. */
    INFINITE("infinite", false),
    /** Prometheus' stale marker (the NaN 0x7ff0000000000002): the series ended; its previous value is forgotten. */
    STALE_MARKER("stale_marker", false),
    /** A counter sample not newer than the stored one: no delta can be taken without counting twice. */
    STALE_TIMESTAMP("stale_timestamp", true),
    /** The same metric twice in one group: only the first counts. */
    DUPLICATE("duplicate", true),
    /** Untyped, info or stateset samples, which the reader filters out before this stage. */
    UNSUPPORTED_TYPE("unsupported_type", true),
    /** A group whose values or bucket bounds are not one per name (a bug upstream). */
    MALFORMED_GROUP("malformed_group", true);

    private final String id;
    private final boolean warning;

    DropReason(String id, boolean warning) {
        this.id = id;
        this.warning = warning;
    }

    public String id() {
        return id;
    }

    /** True if the reason points at a problem upstream (logged as a warning), false if exporters do it routinely. */
    boolean warning() {
        return warning;
    }
}
