package dev.kubelogs.job.metrics.model;

/**
 * A metric family's type from its {@code # TYPE} line (text format 0.0.4 or OpenMetrics); {@link #UNTYPED} when the
 * exposition says nothing. {@link #promMetricType()} is the value of the event field {@code prom_metric_type}.
 */
public enum MetricType {
    COUNTER("counter"),
    GAUGE("gauge"),
    SUMMARY("summary"),
    HISTOGRAM("histogram"),
    GAUGE_HISTOGRAM("gaugehistogram"),
    INFO("info"),
    STATESET("stateset"),
    UNTYPED("untyped");

    private final String promMetricType;

    MetricType(String promMetricType) {
        this.promMetricType = promMetricType;
    }

    public String promMetricType() {
        return promMetricType;
    }

    /** The type named on a {@code # TYPE} line (either format's spelling), or {@link #UNTYPED} if unknown. */
    public static MetricType fromExposition(String name) {
        switch (name) {
            case "counter":
                return COUNTER;
            case "gauge":
                return GAUGE;
            case "summary":
                return SUMMARY;
            case "histogram":
                return HISTOGRAM;
            case "gaugehistogram":
                return GAUGE_HISTOGRAM;
            case "info":
                return INFO;
            case "stateset":
                return STATESET;
            default:
                return UNTYPED;
        }
    }
}
