package dev.kubelogs.job.metrics.model;

import java.io.Serializable;

/**
 * One target after discovery and {@code relabel_configs}: the scrape job it belongs to, the URL to scrape (scheme,
 * address, metrics path and params resolved from {@code __scheme__}, {@code __address__}, {@code __metrics_path__},
 * {@code __param_*}), its final target labels (no {@code __}-prefixed label left; {@code job} and {@code instance}
 * included, and the CloudWatch agent's {@code cwagent_saved_scrape_job}/{@code _instance} unless the job's rules
 * removed them), and its interval and timeout in milliseconds ({@code __scrape_interval__},
 * {@code __scrape_timeout__}). Two targets of one job with equal labels are the same target (Prometheus' scrape pool
 * keeps one), so {@link #id()} is the job and the labels.
 *
 * @param discoveredAddress the {@code __address__} discovery gave, before any rule: the agent finds a target's
 *     metadata by it; null for a target restored from a checkpoint written before it was kept
 */
public record ScrapeTarget(
        String jobName, String url, Labels labels, long intervalMs, long timeoutMs, String discoveredAddress)
        implements Serializable {

    /** A target restored from a checkpoint that did not keep the discovered address. */
    public ScrapeTarget(String jobName, String url, Labels labels, long intervalMs, long timeoutMs) {
        this(jobName, url, labels, intervalMs, timeoutMs, null);
    }

    public String id() {
        return jobName + labels;
    }
}
