package dev.kubelogs.job.metrics.model;

import java.io.Serializable;

/**
 * One target after discovery and {@code relabel_configs}: the scrape job it belongs to, the URL to scrape (scheme,
 * address, metrics path and params resolved from {@code __scheme__}, {@code __address__}, {@code __metrics_path__},
 * {@code __param_*}), its final target labels (no {@code __}-prefixed label left; {@code job} and {@code instance}
 * included), and its interval and timeout in milliseconds ({@code __scrape_interval__}, {@code __scrape_timeout__}).
 * Two targets of one job with equal labels are the same target (Prometheus' scrape pool keeps one), so
 * {@link #id()} is the job and the labels.
 */
public record ScrapeTarget(String jobName, String url, Labels labels, long intervalMs, long timeoutMs)
        implements Serializable {

    public String id() {
        return jobName + labels;
    }
}
