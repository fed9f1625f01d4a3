package dev.kubelogs.job.metrics.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/** The agent's {@code prometheus.yaml}: the global defaults and the scrape jobs (defaults already applied). */
public record PrometheusConfig(Duration scrapeInterval, Duration scrapeTimeout, List<ScrapeConfig> scrapeConfigs)
        implements Serializable {}
