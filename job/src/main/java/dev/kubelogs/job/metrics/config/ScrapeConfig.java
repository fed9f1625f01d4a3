package dev.kubelogs.job.metrics.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One {@code scrape_configs} entry with the global defaults applied (interval 1m, timeout 10s, path
 * {@code /metrics}, scheme {@code http}, honor_labels false, honor_timestamps true, sample_limit 0 = none) and the
 * further settings in {@link ScrapeOptions}.
 */
public record ScrapeConfig(
        String jobName,
        Duration scrapeInterval,
        Duration scrapeTimeout,
        String metricsPath,
        String scheme,
        Map<String, List<String>> params,
        int sampleLimit,
        boolean honorLabels,
        boolean honorTimestamps,
        List<KubernetesSdConfig> kubernetesSdConfigs,
        List<StaticConfig> staticConfigs,
        List<RelabelConfig> relabelConfigs,
        List<RelabelConfig> metricRelabelConfigs,
        TlsConfig tlsConfig,
        Authorization authorization,
        ScrapeOptions options)
        implements Serializable {

    /** A job with {@link ScrapeOptions#DEFAULTS}. */
    public ScrapeConfig(
            String jobName,
            Duration scrapeInterval,
            Duration scrapeTimeout,
            String metricsPath,
            String scheme,
            Map<String, List<String>> params,
            int sampleLimit,
            boolean honorLabels,
            boolean honorTimestamps,
            List<KubernetesSdConfig> kubernetesSdConfigs,
            List<StaticConfig> staticConfigs,
            List<RelabelConfig> relabelConfigs,
            List<RelabelConfig> metricRelabelConfigs,
            TlsConfig tlsConfig,
            Authorization authorization) {
        this(
                jobName,
                scrapeInterval,
                scrapeTimeout,
                metricsPath,
                scheme,
                params,
                sampleLimit,
                honorLabels,
                honorTimestamps,
                kubernetesSdConfigs,
                staticConfigs,
                relabelConfigs,
                metricRelabelConfigs,
                tlsConfig,
                authorization,
                ScrapeOptions.DEFAULTS);
    }
}
