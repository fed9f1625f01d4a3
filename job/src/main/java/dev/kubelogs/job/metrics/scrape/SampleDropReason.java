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
    CREATED_TIMESTAMP("created_timestamp"),
    /**
     * A {@code metric_relabel_configs} rule removed {@code cwagent_saved_scrape_name} ({@code labelkeep},
     * {@code labeldrop}, a {@code replace} to ""): the CloudWatch agent looks the sample's type up by that label, finds
     * none and drops it ({@code metrics_type_handler.go}: "metric_type ERROR").
     */
    SAVED_NAME_REMOVED("saved_name_removed"),
    /**
     * The scrape's saved job and instance ({@code cwagent_saved_scrape_job}, {@code cwagent_saved_scrape_instance})
     * were removed or changed by the job's rules, so the CloudWatch agent finds no target to take the metadata from
     * and drops every sample of the scrape ({@code metrics_type_handler.go}).
     */
    SAVED_TARGET_NOT_FOUND("saved_target_not_found");

    private final String id;

    SampleDropReason(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
