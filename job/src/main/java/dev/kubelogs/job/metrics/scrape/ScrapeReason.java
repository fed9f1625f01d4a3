package dev.kubelogs.job.metrics.scrape;

import java.util.Locale;

/** How a scrape ended; {@link #id()} names its counter in the {@code metrics_scrape} metric group. */
public enum ScrapeReason {
    OK,
    TIMEOUT,
    CONNECT_REFUSED,
    HTTP_STATUS,
    TLS_ERROR,
    BODY_TOO_LARGE,
    PARSE_ERROR,
    SAMPLE_LIMIT_EXCEEDED,
    /** A sample over {@code label_limit}, {@code label_name_length_limit} or {@code label_value_length_limit}. */
    LABEL_LIMIT_EXCEEDED,
    /** {@code metric_relabel_configs} removed a sample's {@code __name__}: Prometheus fails the scrape for it. */
    MISSING_METRIC_NAME,
    /** The connection broke after the response had begun: the target went away mid-body. */
    TARGET_GONE,
    IO_ERROR;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
