package dev.kubelogs.job.metrics.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.model.Labels;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

class ScrapeConfigTest {

    @Test
    void aJobWithoutFurtherSettingsHasTheDefaultOptions() {
        ScrapeConfig job = new ScrapeConfig(
                "app",
                Duration.ofSeconds(30),
                Duration.ofSeconds(5),
                "/metrics",
                "https",
                Map.of("format", List.of("prometheus")),
                100,
                true,
                false,
                List.of(),
                List.of(new StaticConfig(List.of("localhost:9100"), Labels.of("env", "demo"))),
                List.of(),
                List.of(),
                TlsConfig.NONE,
                new Authorization(null, "token", null));

        assertThat(job.options()).isSameAs(ScrapeOptions.DEFAULTS);
        assertThat(job.options().targetLimit()).isZero();
        assertThat(job.options().enableCompression()).isTrue();
        assertThat(job.scheme()).isEqualTo("https");
        assertThat(job.sampleLimit()).isEqualTo(100);
        assertThat(job.honorLabels()).isTrue();
        assertThat(job.honorTimestamps()).isFalse();
    }

    @Test
    void everyShippedJobCrossesJavaSerializationUnchanged() throws Exception {
        // the jobs go to the JobManager and the task managers inside the source
        List<ScrapeConfig> jobs = PrometheusConfigParser.parseDefault().scrapeConfigs();
        assertThat(jobs).isNotEmpty();

        for (ScrapeConfig job : jobs) {
            ScrapeConfig copy = InstantiationUtil.clone(job, getClass().getClassLoader());
            assertThat(copy).as(job.jobName()).isEqualTo(job);
            assertThat(copy.relabelConfigs()).as(job.jobName()).isEqualTo(job.relabelConfigs());
        }
    }

    @Test
    void aParsedJobWithEverySectionCrossesJavaSerializationUnchanged() throws Exception {
        ScrapeConfig job = PrometheusConfigParser.parse("""
                        scrape_configs:
                          - job_name: full
                            scheme: https
                            params: {module: [http_2xx]}
                            sample_limit: 10
                            authorization: {credentials: secret}
                            tls_config: {insecure_skip_verify: true}
                            kubernetes_sd_configs:
                              - role: pod
                                namespaces: {names: [shop]}
                            static_configs:
                              - targets: ['localhost:9100']
                                labels: {env: demo}
                            relabel_configs:
                              - source_labels: [__meta_kubernetes_pod_name]
                                target_label: pod
                            metric_relabel_configs:
                              - action: labeldrop
                                regex: tmp_.*
                        """, "prometheus.yaml")
                .scrapeConfigs()
                .get(0);

        assertThat(InstantiationUtil.clone(job, getClass().getClassLoader())).isEqualTo(job);
    }
}
