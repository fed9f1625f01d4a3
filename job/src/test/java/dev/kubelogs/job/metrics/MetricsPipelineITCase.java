package dev.kubelogs.job.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.job.JobCommand;
import dev.kubelogs.job.metrics.scrape.MetricsEndpoint;
import dev.kubelogs.job.metrics.source.ScrapeSourceConfigOptions;
import dev.kubelogs.spool.SpoolPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;

/**
 * The metrics pipeline end to end on a MiniCluster: the agent's two files (read by {@link MetricsSetup#load}) with a
 * static target, a local HTTP server whose counter, gauge, summary and histogram take scripted values scrape by
 * scrape, the exactly-once sink into the local CloudWatch Logs endpoint, the events read back through the AWS SDK.
 * The source is bounded (scrapes-per-target), so the job runs to its end and every event is committed.
 */
@Timeout(180)
class MetricsPipelineITCase {
    private static final String CLUSTER = "it-cluster";
    private static final String JOB = "app";
    private static final String GROUP = "/aws/containerinsights/" + CLUSTER + "/prometheus";
    private static final int SCRAPES = 5;
    private static final Map<String, String> OK_REQUESTS = Map.of("code", "200");

    /** app_requests_total{code="200"} per scrape: increases of 3, 7, 0 and 21 after the first. */
    private static final long[] REQUESTS = {100, 103, 110, 110, 131};

    private static final double[] TEMPERATURE = {21.5, 22.25, -3, 4, 0};
    private static final double[] MEDIAN = {0.2, 0.25, 0.125, 0.5, 0.375};
    /** Observations added to the duration histogram's buckets (le 0.1, le 1, above 1) before each scrape. */
    private static final int[][] OBSERVED = {{5, 2, 2}, {2, 3, 1}, {0, 4, 0}, {0, 0, 0}, {1, 0, 2}};

    private static final double[] OBSERVED_SUM = {10, 2.5, 1.5, 0, 5.25};

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = PipelineRuns.miniCluster(1, new Configuration());

    @TempDir
    Path tmp;

    /** The exposition of scrape {@code n} (the last one again after the script's end). */
    static String exposition(int scrape) {
        int n = Math.min(scrape, SCRAPES - 1);
        long le01 = 0;
        long le1 = 0;
        long all = 0;
        double sum = 0;
        for (int i = 0; i <= n; i++) {
            le01 += OBSERVED[i][0];
            le1 += OBSERVED[i][0] + OBSERVED[i][1];
            all += OBSERVED[i][0] + OBSERVED[i][1] + OBSERVED[i][2];
            sum += OBSERVED_SUM[i];
        }
        return "# HELP app_requests_total Requests served.\n"
                + "# TYPE app_requests_total counter\n"
                + "app_requests_total{code=\"200\"} " + REQUESTS[n] + "\n"
                + "# TYPE app_temperature_celsius gauge\n"
                + "app_temperature_celsius " + TEMPERATURE[n] + "\n"
                + "# TYPE app_latency_seconds summary\n"
                + "app_latency_seconds{quantile=\"0.5\"} " + MEDIAN[n] + "\n"
                + "app_latency_seconds_sum " + (2.0 * n) + "\n"
                + "app_latency_seconds_count " + (4 * n) + "\n"
                + "# TYPE app_request_duration_seconds histogram\n"
                + "app_request_duration_seconds_bucket{le=\"0.1\"} " + le01 + "\n"
                + "app_request_duration_seconds_bucket{le=\"1\"} " + le1 + "\n"
                + "app_request_duration_seconds_bucket{le=\"+Inf\"} " + all + "\n"
                + "app_request_duration_seconds_sum " + sum + "\n"
                + "app_request_duration_seconds_count " + all + "\n";
    }

    /** A target serving the script, one exposition per request in order. */
    static MetricsEndpoint scriptedTarget() throws Exception {
        AtomicInteger served = new AtomicInteger();
        return MetricsEndpoint.start(
                exchange -> MetricsEndpoint.respond(200, MetricsEndpoint.TEXT, exposition(served.getAndIncrement()))
                        .handle(exchange));
    }

    /** The agent's two files in {@code dir}: one static job, declarations for the counter and the histogram. */
    static Path agentFiles(Path dir, String target) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(
                dir.resolve(MetricsSetup.PROMETHEUS_FILE),
                String.join(
                        "\n",
                        "global:",
                        "  scrape_interval: 1m",
                        "  scrape_timeout: 10s",
                        "scrape_configs:",
                        "- job_name: " + JOB,
                        // a generous timeout: a scrape that times out on a busy machine would take a step of the script
                        "  scrape_interval: 1s",
                        "  scrape_timeout: 900ms",
                        "  static_configs:",
                        "  - targets: ['" + target + "']",
                        "    labels:",
                        "      Service: app-svc",
                        "      Namespace: shop",
                        ""));
        Files.writeString(dir.resolve(MetricsSetup.AGENT_FILE), """
                {"logs": {"metrics_collected": {"prometheus": {
                  "cluster_name": "%s",
                  "prometheus_config_path": "prometheus.yaml",
                  "emf_processor": {"metric_declaration": [
                    {"source_labels": ["job"], "label_matcher": "^app$",
                     "dimensions": [["Service", "ClusterName", "code"]],
                     "metric_selectors": ["^app_requests_total$"]},
                    {"source_labels": ["Service"], "label_matcher": "app",
                     "dimensions": [["ClusterName", "Service"]],
                     "metric_selectors": ["^app_request_duration_seconds$"]}
                  ]}
                }}}}
                """.formatted(CLUSTER));
        return dir;
    }

    @Test
    void scriptedScrapesBecomeTheAgentsEventsWithDeltasGaugesAndHistograms() throws Exception {
        try (MetricsEndpoint target = scriptedTarget();
                LocalCloudWatchLogs endpoint = LocalCloudWatchLogs.start(0, null);
                LoggedMetrics logged = new LoggedMetrics(endpoint.endpoint())) {
            MetricsSetup setup = MetricsSetup.load(
                    agentFiles(tmp.resolve("agent"), target.address()).toString(), null, name -> null);
            Configuration settings = new Configuration();
            settings.set(ScrapeSourceConfigOptions.SCRAPES_PER_TARGET, SCRAPES);
            StreamExecutionEnvironment env = PipelineRuns.environment(2, 200);
            MetricsPipelines.create(
                            settings, setup, PipelineRuns.sink(endpoint.endpoint(), tmp.resolve("dead-letters")))
                    .build(env);
            env.execute("metrics-pipeline-it");

            assertThat(target.requests()).hasSize(SCRAPES);
            assertThat(endpoint.logStreams(GROUP)).extracting(s -> s.name()).containsExactly(JOB);
            List<OutputLogEvent> raw = logged.events(GROUP, JOB);
            List<JsonNode> events =
                    raw.stream().map(e -> LoggedMetrics.parse(e.message())).toList();

            // a declared counter: EMF v0 with its directive, byte for byte; the delta of the first scrape after the
            // priming one, stamped with its scrape time
            List<OutputLogEvent> counters = raw.stream()
                    .filter(e -> e.message().contains("\"app_requests_total\":"))
                    .toList();
            assertThat(counters).hasSize(SCRAPES - 1);
            OutputLogEvent first = counters.get(0);
            assertThat(first.message())
                    .isEqualTo("{\"CloudWatchMetrics\":[{\"Namespace\":"
                            + "\"ContainerInsights/Prometheus\",\"Dimensions\":[[\"ClusterName\",\"Service\",\"code\"]],"
                            + "\"Metrics\":[{\"Name\":\"app_requests_total\",\"Unit\":\"\",\"StorageResolution\":60}]}],\"ClusterName\":\""
                            + CLUSTER + "\","
                            + "\"Namespace\":\"shop\",\"Service\":\"app-svc\",\"Timestamp\":\"" + first.timestamp()
                            + "\","
                            + "\"Version\":\"0\",\"code\":\"200\",\"instance\":\""
                            + target.address() + "\",\"job\":\"app\",\"prom_metric_type\":\"counter\","
                            + "\"app_requests_total\":3}");
            assertThat(LoggedMetrics.withField(events, "app_requests_total", OK_REQUESTS))
                    .extracting(e -> e.get("app_requests_total").asLong())
                    .containsExactly(3L, 7L, 0L, 21L);
            assertThat(LoggedMetrics.sum(events, "app_requests_total", OK_REQUESTS))
                    .isEqualTo(REQUESTS[SCRAPES - 1] - REQUESTS[0]);

            // an undeclared gauge: a plain event, every scrape's value as it is (the first one included)
            List<OutputLogEvent> gauges = raw.stream()
                    .filter(e -> e.message().contains("\"app_temperature_celsius\":"))
                    .toList();
            assertThat(gauges.get(0).message())
                    .isEqualTo("{\"ClusterName\":\"" + CLUSTER + "\","
                            + "\"Namespace\":\"shop\",\"Service\":\"app-svc\",\"Timestamp\":\""
                            + gauges.get(0).timestamp()
                            + "\",\"Version\":\"0\",\"app_temperature_celsius\":21.5,\"instance\":\"" + target.address()
                            + "\","
                            + "\"job\":\"app\",\"prom_metric_type\":\"gauge\"}");
            assertThat(gauges)
                    .extracting(e -> LoggedMetrics.parse(e.message())
                            .get("app_temperature_celsius")
                            .asDouble())
                    .containsExactly(boxed(TEMPERATURE));

            // a summary: the quantile as it is, _sum and _count as deltas
            assertThat(LoggedMetrics.withField(events, "app_latency_seconds", Map.of("quantile", "0.5")))
                    .extracting(e -> e.get("app_latency_seconds").asDouble())
                    .containsExactly(boxed(MEDIAN));
            assertThat(LoggedMetrics.withField(events, "app_latency_seconds_count", Map.of()))
                    .extracting(e -> e.get("app_latency_seconds_count").asDouble())
                    .containsExactly(4.0, 4.0, 4.0, 4.0);

            // the histogram: each scrape's new observations as Values/Counts, with the declared directive
            List<JsonNode> histograms = LoggedMetrics.withField(
                    events, "app_request_duration_seconds_count", Map.of("prom_metric_type", "histogram"));
            assertThat(histograms)
                    .extracting(e -> e.get("app_request_duration_seconds_count").asInt())
                    .containsExactly(6, 4, 0, 3);
            List<String> distributions = new ArrayList<>();
            for (JsonNode h : histograms) {
                distributions.add(String.valueOf(h.get("app_request_duration_seconds")));
            }
            assertThat(distributions)
                    .containsExactly(
                            "{\"Values\":[0.05,0.55,1],\"Counts\":[2,3,1],\"Max\":1,\"Min\":0.05,\"Count\":6,\"Sum\":2.5}",
                            "{\"Values\":[0.55],\"Counts\":[4],\"Max\":0.55,\"Min\":0.55,\"Count\":4,\"Sum\":1.5}",
                            "null",
                            "{\"Values\":[0.05,1],\"Counts\":[1,2],\"Max\":1,\"Min\":0.05,\"Count\":3,\"Sum\":5.25}");
            assertThat(histograms.get(0).get("CloudWatchMetrics").toString())
                    .isEqualTo(
                            "[{\"Namespace\":"
                                    + "\"ContainerInsights/Prometheus\",\"Dimensions\":[[\"ClusterName\",\"Service\"]],"
                                    + "\"Metrics\":[{\"Name\":\"app_request_duration_seconds\",\"Unit\":\"\",\"StorageResolution\":60}]}]");
            assertThat(histograms.get(2).has("CloudWatchMetrics")).isFalse();

            // nothing else: 5 gauges, 5 quantiles, 4 of each delta group
            assertThat(events).hasSize(5 + 5 + 4 + 4 + 4);
        }
    }

    @Test
    void theJobCommandRunsThePipelineFromTheAgentsDirectoryAndDropsUndeclaredMetrics() throws Exception {
        try (MetricsEndpoint target = scriptedTarget();
                LocalCloudWatchLogs endpoint = LocalCloudWatchLogs.start(0, null);
                LoggedMetrics logged = new LoggedMetrics(endpoint.endpoint())) {
            Path agent = agentFiles(tmp.resolve("agent"), target.address());
            // the log pipeline beside it: one node that sealed an empty spool, so it ends at once
            Path spool = tmp.resolve("spool");
            Files.createDirectories(SpoolPaths.nodeDirectory(spool, CLUSTER, "node-1"));
            Files.writeString(SpoolPaths.nodeDirectory(spool, CLUSTER, "node-1").resolve(SpoolPaths.SEALED), "");
            JobCommand command = new JobCommand();
            new CommandLine(command)
                    .parseArgs(
                            "--spool",
                            spool.toString(),
                            "--until-sealed",
                            "--metadata-wait",
                            "0s",
                            "--cloudwatch-endpoint",
                            endpoint.endpoint().toString(),
                            "--region",
                            "us-east-1",
                            "--dead-letter-dir",
                            tmp.resolve("dead-letters").toString(),
                            "--checkpoint-interval",
                            "200ms",
                            "--parallelism",
                            "2",
                            "--prometheus-config",
                            agent.toString(),
                            "--drop-undeclared-metrics");
            Configuration cluster = new Configuration();
            cluster.set(ScrapeSourceConfigOptions.SCRAPES_PER_TARGET, SCRAPES);
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.getExecutionEnvironment(command.flinkConfiguration());
            command.newJob(cluster).build(env);
            env.execute("metrics-job-command-it");

            List<JsonNode> events = logged.json(GROUP, JOB);
            assertThat(LoggedMetrics.sum(events, "app_requests_total", OK_REQUESTS))
                    .isEqualTo(REQUESTS[SCRAPES - 1] - REQUESTS[0]);
            // only declared metrics: 4 counter events, and the 3 histogram events that had observations
            assertThat(events).hasSize(4 + 3);
            assertThat(events).allSatisfy(e -> {
                assertThat(e.has("CloudWatchMetrics")).isTrue();
                List<String> fields = new ArrayList<>();
                e.fieldNames().forEachRemaining(fields::add);
                assertThat(fields)
                        .filteredOn(f -> f.startsWith("app_"))
                        .isSubsetOf("app_requests_total", "app_request_duration_seconds");
            });
        }
    }

    private static Double[] boxed(double[] values) {
        return java.util.Arrays.stream(values).boxed().toArray(Double[]::new);
    }
}
