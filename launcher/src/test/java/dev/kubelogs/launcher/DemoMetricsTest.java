package dev.kubelogs.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.collector.local.LoopbackPorts;
import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.launcher.exporters.InstalledExporters;
import dev.kubelogs.launcher.exporters.NginxExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The metrics part of {@code ./pipeline demo}, through the command itself and read back through the AWS SDK. */
class DemoMetricsTest {
    private static final String GROUP = "/aws/containerinsights/demo/prometheus";

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void everyScrapeJobOfTheDemoWritesEmfEventsWithMetricDirectives() {
        try (LocalCloudWatchLogs cw = LocalCloudWatchLogs.start(0, null)) {
            DemoRun run = DemoRun.run(
                    tmp.resolve("work"), "--cloudwatch-endpoint", cw.endpoint().toString());

            assertThat(run.exit()).as(run.out()).isZero();
            Map<String, List<String>> streams =
                    DemoMetricsReport.read(cw.endpoint(), "us-west-2", GROUP).events();
            List<String> expected = NginxExporter.installed()
                    ? List.of(DemoMetricsConfig.COLLECTOR_JOB, DemoMetricsConfig.NGINX_JOB)
                    : List.of(DemoMetricsConfig.COLLECTOR_JOB);
            assertThat(streams.keySet()).containsExactlyInAnyOrderElementsOf(expected);
            streams.forEach((stream, events) -> assertThat(events)
                    .as(stream)
                    .anySatisfy(
                            e -> assertThat(DemoMetricsReport.hasDirective(e)).isTrue()));
            assertThat(streams.get(DemoMetricsConfig.COLLECTOR_JOB))
                    .anySatisfy(e -> assertThat(e)
                            .contains(
                                    "\"kubelogs_collector_records_read_total\"",
                                    "\"NodeName\":\"ip-10-0-1-10.us-west-2.compute.internal\"",
                                    "\"ClusterName\":\"demo\""));
            assertThat(run.out())
                    .contains(
                            GROUP + "  (metrics pipeline: " + expected.size() + " streams",
                            "Every scrape job wrote EMF events with CloudWatch metric directives",
                            "Every generated line arrived exactly once");

            InstalledExporters.require(NginxExporter.installed(), "Debian's nginx and prometheus-nginx-exporter");
            assertThat(run.out())
                    .contains("nginx nginx_http_requests_total: the job's")
                    .doesNotContain("MISMATCH");
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void kubernetesDiscoveryWithoutAReachableApiServerIsRefusedBeforeAnythingRuns() throws Exception {
        int port = LoopbackPorts.pick(); // no API server there
        Path agent = Files.createDirectories(tmp.resolve("agent"));
        Files.writeString(
                agent.resolve("cwagentconfig.json"),
                "{\"logs\":{\"metrics_collected\":{\"prometheus\":{\"cluster_name\":\"demo\"}}}}");
        Files.writeString(
                agent.resolve("prometheus.yaml"),
                String.join(
                        "\n",
                        "scrape_configs:",
                        "- job_name: pods",
                        "  kubernetes_sd_configs:",
                        "  - role: pod",
                        "    api_server: http://127.0.0.1:" + port,
                        ""));

        DemoRun run = DemoRun.run(tmp.resolve("work"), "--prometheus-config", agent.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err())
                .contains(
                        "demo: --prometheus-config: scrape job pods uses kubernetes_sd_configs, but no "
                                + "Kubernetes API server answers at http://127.0.0.1:" + port,
                        "--no-metrics");
        assertThat(tmp.resolve("work")).doesNotExist();
    }

    @Test
    void eachTargetIsScrapedForTheRunsLengthAndThreeTimesMore() {
        assertThat(DemoMetrics.scrapes(Duration.ofSeconds(5), Duration.ofSeconds(1)))
                .isEqualTo(8);
        assertThat(DemoMetrics.scrapes(Duration.ofMillis(1500), Duration.ofSeconds(1)))
                .isEqualTo(5);
        assertThat(DemoMetrics.scrapes(Duration.ofSeconds(10), Duration.ofMinutes(1)))
                .isEqualTo(4);
    }
}
