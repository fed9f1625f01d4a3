package dev.kubelogs.job.metrics.config;

import java.io.Serializable;

/**
 * The scrape settings of a job beyond {@link ScrapeConfig}'s first fields, as Prometheus defines them (0 = no limit;
 * a job inherits the global limits it does not set): {@code body_size_limit} in bytes (a larger body fails the
 * scrape), {@code label_limit}, {@code label_name_length_limit}, {@code label_value_length_limit} (a sample over one
 * fails the scrape), {@code target_limit} (a job whose relabeled targets exceed it scrapes none of them), and
 * {@code enable_compression} (ask for gzip; default true).
 */
public record ScrapeOptions(
        long bodySizeLimitBytes,
        int labelLimit,
        int labelNameLengthLimit,
        int labelValueLengthLimit,
        int targetLimit,
        boolean enableCompression)
        implements Serializable {

    public static final ScrapeOptions DEFAULTS = new ScrapeOptions(0, 0, 0, 0, 0, true);
}
