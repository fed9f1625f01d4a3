package dev.kubelogs.job.metrics.parse;

import java.util.Locale;

/** The two text exposition formats a target may answer with. */
public enum ExpositionFormat {
    /** Prometheus text format 0.0.4 ({@code text/plain; version=0.0.4}). */
    TEXT_0_0_4,
    /** OpenMetrics 1.0 text ({@code application/openmetrics-text; version=1.0.0}). */
    OPENMETRICS_1_0;

    private static final String OPENMETRICS_MEDIA_TYPE = "application/openmetrics-text";

    /**
     * The format of a response from its {@code Content-Type}: OpenMetrics for {@code application/openmetrics-text}
     * (any parameters), else the text format, which is what Prometheus falls back to (and what the CloudWatch agent
     * configures as its fallback) for a missing, blank or unknown content type.
     */
    public static ExpositionFormat fromContentType(String contentType) {
        if (contentType == null) {
            return TEXT_0_0_4;
        }
        int semicolon = contentType.indexOf(';');
        String mediaType = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
        return OPENMETRICS_MEDIA_TYPE.equals(mediaType.trim().toLowerCase(Locale.ROOT)) ? OPENMETRICS_1_0 : TEXT_0_0_4;
    }
}
