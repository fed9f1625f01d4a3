package dev.kubelogs.job.metrics.scrape;

/**
 * Why a sample of a successful scrape was not emitted; {@link #id()} names its counter ({@code dropped_<id>}) in the
 * {@code metrics_scrape} metric group. The types the agent drops (#399, #575) are counted here instead of only
 * debug-logged.
 */
public enum SampleDropReason {
    UNTYPED("untyped"),
    INFO("info"),
    STATESET("stateset"),
    GAUGE_HISTOGRAM("gaugehistogram"),
    /** The same name and labels a second time in one scrape: one value is kept, as {@code SeriesGrouping} says. */
    DUPLICATE_SERIES("duplicate_series"),
    /** A {@code metric_relabel_configs} rule dropped it. */
    METRIC_RELABEL("metric_relabel"),
    /** Its own timestamp (honor_timestamps) is more than 10 minutes after the scrape: Prometheus refuses it too. */
    OUT_OF_BOUNDS("out_of_bounds"),
    /**
     * An OpenMetrics {@code _created} sample of a counter, summary or histogram: the start time of the series, not a
     * measurement. The agent emits none (it finds no type for them, #221); as a field it would be a constant timestamp.
     */
    CREATED_TIMESTAMP("created_timestamp");

    private final String id;

    SampleDropReason(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
