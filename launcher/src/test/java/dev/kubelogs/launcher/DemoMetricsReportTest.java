package dev.kubelogs.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoMetricsReportTest {
    private static final String DIRECTIVE = "{\"CloudWatchMetrics\":[{\"Namespace\":\"ContainerInsights/Prometheus\","
            + "\"Dimensions\":[[\"ClusterName\"]],\"Metrics\":[{\"Name\":\"m\"}]}],\"m\":1}";

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    private static String nginx(long delta) {
        return "{\"CloudWatchMetrics\":[],\"Service\":\"nginx\",\"nginx_http_requests_total\":" + delta + "}";
    }

    private static DemoMetricsReport report(Map<String, List<String>> events) {
        return new DemoMetricsReport("/aws/containerinsights/c/prometheus", events);
    }

    @Test
    void aStreamWithoutEventsOrWithoutDirectivesFailsTheCheck() {
        DemoMetricsReport report = report(Map.of("a", List.of(DIRECTIVE), "b", List.of("{\"m\":1}")));

        assertThat(report.check(List.of("a"), true, "nginx", null, out)).isTrue();
        assertThat(report.check(List.of("a", "b"), true, "nginx", null, out)).isFalse();
        assertThat(report.check(List.of("a", "b"), false, "nginx", null, out)).isTrue();
        assertThat(report.check(List.of("a", "c"), false, "nginx", null, out)).isFalse();
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains(
                        "METRICS MISSING: no event of stream b carries a CloudWatchMetrics directive",
                        "METRICS MISSING: no events in /aws/containerinsights/c/prometheus, stream c");
    }

    @Test
    void theNginxDeltasMustAddUpToNginxsCountAndToTheDemosRequestsPlusOneReadPerLaterScrape() {
        // scrapes at counts 100 (primes), 111, 125: the demo sent 10 + 13, the exporter read twice after the first
        DemoMetricsReport report = report(Map.of("nginx", List.of(nginx(11), nginx(14), "{\"nginx_up\":1}")));

        assertThat(report.check(
                        List.of("nginx"), false, "nginx", new DemoMetricsReport.NginxCounts(100, 125, 23, null), out))
                .isTrue();
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("the job's 2 deltas sum to 25; nginx counted 25 "
                        + "requests between the job's first and last scrape (23 from the demo + 2 stub_status reads");
        assertThat(report.check(
                        List.of("nginx"), false, "nginx", new DemoMetricsReport.NginxCounts(100, 126, 23, null), out))
                .isFalse();
        assertThat(report.check(
                        List.of("nginx"), false, "nginx", new DemoMetricsReport.NginxCounts(100, 125, 24, null), out))
                .isFalse();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("NGINX MISMATCH");
    }

    @Test
    void anNginxRunTheDemoCouldNotMeasureFailsTheCheckSayingWhy() {
        DemoMetricsReport report = report(Map.of("nginx", List.of(nginx(1))));

        assertThat(report.check(
                        List.of("nginx"), false, "nginx", new DemoMetricsReport.NginxCounts(-1, 5, 0, null), out))
                .isFalse();
        assertThat(report.check(
                        List.of("nginx"),
                        false,
                        "nginx",
                        new DemoMetricsReport.NginxCounts(1, 5, 0, "java.net.ConnectException"),
                        out))
                .isFalse();
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains(
                        "the job did not scrape the nginx exporter while the demo sent requests",
                        "the demo's requests to nginx failed: java.net.ConnectException");
    }
}
