package dev.kubelogs.job.metrics.scrape;

import dev.kubelogs.job.metrics.config.Authorization;
import dev.kubelogs.job.metrics.config.KubernetesSdConfig;
import dev.kubelogs.job.metrics.config.RelabelConfig;
import dev.kubelogs.job.metrics.config.ScrapeConfig;
import dev.kubelogs.job.metrics.config.ScrapeOptions;
import dev.kubelogs.job.metrics.config.StaticConfig;
import dev.kubelogs.job.metrics.config.TlsConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Builds {@link ScrapeConfig}s for tests, with Prometheus' defaults unless changed. */
public final class ScrapeConfigs {
    private String jobName = "test-job";
    private Duration interval = Duration.ofMinutes(1);
    private Duration timeout = Duration.ofSeconds(10);
    private int sampleLimit;
    private boolean honorLabels;
    private boolean honorTimestamps = true;
    private List<KubernetesSdConfig> kubernetesSdConfigs = List.of();
    private List<StaticConfig> staticConfigs = List.of();
    private List<RelabelConfig> relabelConfigs = List.of();
    private List<RelabelConfig> metricRelabelConfigs = List.of();
    private TlsConfig tls = TlsConfig.NONE;
    private Authorization authorization;
    private ScrapeOptions options = ScrapeOptions.DEFAULTS;

    public static ScrapeConfigs job(String name) {
        ScrapeConfigs b = new ScrapeConfigs();
        b.jobName = name;
        return b;
    }

    public ScrapeConfigs interval(Duration value) {
        interval = value;
        return this;
    }

    public ScrapeConfigs timeout(Duration value) {
        timeout = value;
        return this;
    }

    public ScrapeConfigs sampleLimit(int value) {
        sampleLimit = value;
        return this;
    }

    public ScrapeConfigs honorLabels(boolean value) {
        honorLabels = value;
        return this;
    }

    public ScrapeConfigs honorTimestamps(boolean value) {
        honorTimestamps = value;
        return this;
    }

    public ScrapeConfigs staticConfigs(StaticConfig... value) {
        staticConfigs = List.of(value);
        return this;
    }

    /** As given: null is a job whose file has no {@code static_configs} key. */
    public ScrapeConfigs staticConfigs(List<StaticConfig> value) {
        staticConfigs = value;
        return this;
    }

    /** As given: null is a job whose file has no {@code kubernetes_sd_configs} key. */
    public ScrapeConfigs kubernetesSdConfigs(List<KubernetesSdConfig> value) {
        kubernetesSdConfigs = value;
        return this;
    }

    public ScrapeConfigs relabelConfigs(RelabelConfig... value) {
        relabelConfigs = List.of(value);
        return this;
    }

    public ScrapeConfigs metricRelabelConfigs(RelabelConfig... value) {
        metricRelabelConfigs = List.of(value);
        return this;
    }

    public ScrapeConfigs tls(TlsConfig value) {
        tls = value;
        return this;
    }

    public ScrapeConfigs authorization(Authorization value) {
        authorization = value;
        return this;
    }

    public ScrapeConfigs options(ScrapeOptions value) {
        options = value;
        return this;
    }

    public ScrapeConfig build() {
        return new ScrapeConfig(
                jobName,
                interval,
                timeout,
                "/metrics",
                "http",
                Map.of(),
                sampleLimit,
                honorLabels,
                honorTimestamps,
                kubernetesSdConfigs,
                staticConfigs,
                relabelConfigs,
                metricRelabelConfigs,
                tls,
                authorization,
                options);
    }
}
