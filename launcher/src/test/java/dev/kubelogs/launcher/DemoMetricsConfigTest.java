package dev.kubelogs.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.MetricsSetup;
import dev.kubelogs.job.metrics.config.MetricDeclaration;
import dev.kubelogs.job.metrics.config.ScrapeConfig;
import dev.kubelogs.job.metrics.config.StaticConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's files, read by the job's own loader as it reads a user's --prometheus-config. */
class DemoMetricsConfigTest {
    @TempDir
    Path work;

    private static final List<DemoMetricsConfig.Collector> COLLECTORS = List.of(
            new DemoMetricsConfig.Collector("127.0.0.1:4001", "node-a"),
            new DemoMetricsConfig.Collector("127.0.0.1:4002", "node-b"));

    @Test
    void theJobReadsEveryCollectorAndTheNginxExporterAsStaticTargets() throws Exception {
        DemoMetricsConfig config = new DemoMetricsConfig("c1", Duration.ofSeconds(1), COLLECTORS, "127.0.0.1:5000");
        Path dir = config.write(work);

        MetricsSetup setup = MetricsSetup.load(dir.toString(), null, name -> null);

        assertThat(dir).isEqualTo(work.resolve("prometheus"));
        assertThat(setup.clusterName()).isEqualTo("c1");
        assertThat(setup.logGroup()).isEqualTo("/aws/containerinsights/c1/prometheus");
        assertThat(config.jobs()).containsExactly("kubelogs-collector", "nginx");
        List<ScrapeConfig> jobs = setup.prometheus().scrapeConfigs();
        assertThat(jobs).extracting(ScrapeConfig::jobName).containsExactly("kubelogs-collector", "nginx");
        assertThat(jobs).allSatisfy(j -> {
            assertThat(j.scrapeInterval()).isEqualTo(Duration.ofSeconds(1));
            assertThat(j.scrapeTimeout()).isEqualTo(Duration.ofSeconds(1));
            assertThat(j.kubernetesSdConfigs()).isNullOrEmpty();
        });
        List<StaticConfig> collectors = jobs.get(0).staticConfigs();
        assertThat(collectors)
                .extracting(StaticConfig::targets)
                .containsExactly(List.of("127.0.0.1:4001"), List.of("127.0.0.1:4002"));
        assertThat(collectors.get(1).labels().get("NodeName")).isEqualTo("node-b");
        assertThat(collectors.get(1).labels().get("Namespace")).isEqualTo("amazon-cloudwatch");
        StaticConfig nginx = jobs.get(1).staticConfigs().get(0);
        assertThat(nginx.targets()).containsExactly("127.0.0.1:5000");
        assertThat(nginx.labels().get("Service")).isEqualTo("nginx");
        assertThat(nginx.labels().get("Namespace")).isEqualTo("demo");

        List<MetricDeclaration> declarations = setup.agent().emfProcessor().metricDeclarations();
        assertThat(declarations).hasSize(3);
        assertThat(declarations.get(0).dimensions())
                .containsExactly(List.of("ClusterName", "Namespace", "NodeName", "input"));
        assertThat(declarations.get(2).sourceLabels()).containsExactly("Service");
        assertThat(declarations.get(2).metricSelectors()).contains("^nginx_http_requests_total$");
    }

    @Test
    void withoutAnExporterOnlyTheCollectorsAreScraped() throws Exception {
        DemoMetricsConfig config = new DemoMetricsConfig("c1", Duration.ofMillis(500), COLLECTORS, null);

        MetricsSetup setup = MetricsSetup.load(config.write(work).toString(), null, name -> null);

        assertThat(config.jobs()).containsExactly("kubelogs-collector");
        assertThat(setup.prometheus().scrapeConfigs()).singleElement().satisfies(j -> {
            assertThat(j.jobName()).isEqualTo("kubelogs-collector");
            assertThat(j.scrapeInterval()).isEqualTo(Duration.ofMillis(500));
        });
        assertThat(setup.agent().emfProcessor().metricDeclarations())
                .hasSize(2)
                .allSatisfy(d -> assertThat(d.sourceLabels()).containsExactly("job"));
    }
}
