package dev.kubelogs.job.metrics.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CloudWatchAgentConfigParserTest {

    @Test
    void theShippedDefaultHasTheAgentsFourteenDeclarations() {
        List<String> warnings = new ArrayList<>();
        CloudWatchAgentConfigParser.Result r = CloudWatchAgentConfigParser.parse(
                PrometheusConfigParser.resource(CloudWatchAgentConfigParser.DEFAULT_RESOURCE), "d.json", warnings::add);
        CloudWatchAgentConfig c = r.prometheus();
        // the manifest's {{...}} placeholders read as unset: cluster from the job, log group from the cluster
        assertThat(r.region()).isNull();
        assertThat(c.clusterName()).isNull();
        assertThat(c.logGroupName()).isNull();
        assertThat(c.prometheusConfigPath()).isEqualTo("/etc/prometheusconfig/prometheus.yaml");
        assertThat(warnings)
                .hasSize(4)
                .anyMatch(w -> w.contains("agent.region \"{{region_name}}\" is an unfilled"))
                .anyMatch(w -> w.contains("logs.force_flush_interval has no effect"));
        EmfProcessorConfig emf = c.emfProcessor();
        assertThat(emf.metricNamespace()).isEqualTo("ContainerInsights/Prometheus");
        assertThat(emf.metricUnit()).isEmpty();
        List<MetricDeclaration> d = emf.metricDeclarations();
        assertThat(d).hasSize(14);
        // reference §4, in file order: the source labels and matcher of each, and its selector count
        assertThat(d)
                .extracting(x -> x.sourceLabels() + " " + x.labelMatcher() + " "
                        + x.metricSelectors().size())
                .containsExactly(
                        "[Service] .*nginx.* 6",
                        "[Service] .*nginx.* 1",
                        "[Service, frontend] .*haproxy-ingress-.*metrics;(httpfront-shared-frontend"
                                + "|httpfront-default-backend|httpsfront|_front_http) 1",
                        "[Service, backend] .*haproxy-ingress-.*metrics 1",
                        "[Service] .*haproxy-ingress-.*metrics 12",
                        "[Service] .*memcached.* 5",
                        "[Service, status, command] .*memcached.*;hit;get 1",
                        "[Service, command] .*memcached.*;(get|set) 1",
                        "[container_name] ^envoy$ 11",
                        "[container_name] ^envoy$ 1",
                        "[container_name] ^fluent-bit.*$ 6",
                        "[job] ^kubernetes-pod-jmx$ 6",
                        "[job] ^kubernetes-pod-jmx$ 1",
                        "[job] ^kubernetes-pod-jmx$ 1");
        assertThat(d.get(1).dimensions())
                .containsExactly(
                        List.of("Service", "Namespace", "ClusterName", "ingress"),
                        List.of("Service", "Namespace", "ClusterName", "status"));
        assertThat(d.get(9).dimensions())
                .containsExactly(List.of(
                        "ClusterName", "Namespace", "envoy_http_conn_manager_prefix", "envoy_response_code_class"));
        assertThat(d).allSatisfy(x -> assertThat(x.labelSeparator()).isEqualTo(";"));
        assertThat(CloudWatchAgentConfigParser.parseDefault().prometheus()).isEqualTo(c);
    }

    @Test
    void filledInValuesAndUnits() {
        CloudWatchAgentConfigParser.Result r = parse("""
                {"agent": {"region": "eu-west-1"},
                 "logs": {"metrics_collected": {"prometheus": {
                   "cluster_name": "prod",
                   "log_group_name": "/custom/group",
                   "prometheus_config_path": "env:PROMETHEUS_CONFIG_CONTENT",
                   "disable_metric_extraction": false,
                   "emf_processor": {
                     "metric_namespace": "My/Prometheus",
                     "metric_declaration_dedup": false,
                     "metric_unit": {"jvm_memory_bytes_used": "Bytes", "http_rate": "Count/Second"},
                     "metric_declaration": [{"source_labels": ["job"], "label_separator": "|",
                       "metric_selectors": ["^a$"]}]}}}}}
                """);
        assertThat(r.region()).isEqualTo("eu-west-1");
        CloudWatchAgentConfig c = r.prometheus();
        assertThat(c.clusterName()).isEqualTo("prod");
        assertThat(c.logGroupName()).isEqualTo("/custom/group");
        assertThat(c.prometheusConfigPath()).isEqualTo("env:PROMETHEUS_CONFIG_CONTENT");
        assertThat(c.emfProcessor().metricNamespace()).isEqualTo("My/Prometheus");
        assertThat(c.emfProcessor().metricUnit())
                .isEqualTo(Map.of("jvm_memory_bytes_used", "Bytes", "http_rate", "Count/Second"));
        // label_matcher defaults to .*, label_separator is not passed on by the agent's translator
        assertThat(c.emfProcessor().metricDeclarations())
                .containsExactly(new MetricDeclaration(List.of("job"), ";", ".*", List.of("^a$"), List.of()));
    }

    @Test
    void unitsThatAreNotCloudWatchUnitsAreDroppedAsTheAgentDropsThem() {
        List<String> warnings = new ArrayList<>();
        CloudWatchAgentConfig c = CloudWatchAgentConfigParser.parse(
                        prometheus("\"emf_processor\": {\"metric_unit\": {\"a\": \"Seconds\", \"b\": \"seconds\"}}"),
                        "c.json",
                        warnings::add)
                .prometheus();
        assertThat(c.emfProcessor().metricUnit()).isEqualTo(Map.of("a", "Seconds"));
        assertThat(warnings)
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("emf_processor.metric_unit.b \"seconds\" is not a CloudWatch unit")
                .endsWith("dropped, as the agent drops it");
    }

    @Test
    void declarationsAreReadAsTheAgentReadsThem() {
        assertError(
                declaration("\"metric_selectors\": [\"^a$\", \"(b\"]"),
                "metric_declaration[0].metric_selectors[1]",
                "invalid regular expression \"(b\"");
        assertError(
                declaration("\"source_labels\": [\"job\"], \"metric_selectors\": [\"a\"], \"unit\": \"x\""),
                "metric_declaration[0].unit",
                "unknown key");
        String dims = java.util.stream.IntStream.rangeClosed(1, 11)
                .mapToObj(i -> "\"d" + i + "\"")
                .collect(Collectors.joining(","));
        List<String> warnings = new ArrayList<>();
        List<MetricDeclaration> kept = CloudWatchAgentConfigParser.parse(
                        prometheus("\"emf_processor\": {\"metric_declaration\": ["
                                // dropped: no selectors; an empty label list; an empty matcher; a bad matcher
                                + "{\"source_labels\": [\"job\"]},"
                                + "{\"source_labels\": [], \"label_matcher\": \"x\", \"metric_selectors\": [\"a\"]},"
                                + "{\"source_labels\": [\"job\"], \"label_matcher\": \"\", \"metric_selectors\": [\"a\"]},"
                                + "{\"source_labels\": [\"job\"], \"label_matcher\": \"[x\", \"metric_selectors\": [\"a\"]},"
                                // kept with the default matcher and the 11-name set dropped; the separator ignored;
                                // dropped without source_labels
                                + "{\"source_labels\": [\"job\"], \"metric_selectors\": [\"b\"],"
                                + " \"dimensions\": [[\"a\"],[" + dims + "]]},"
                                + "{\"source_labels\": [\"a\", \"b\"], \"label_separator\": \"|\","
                                + " \"label_matcher\": \"^1;2$\", \"metric_selectors\": [\"c\"]},"
                                + "{\"label_matcher\": \"x\", \"metric_selectors\": [\"d\"]}]}"),
                        "c.json",
                        warnings::add)
                .prometheus()
                .emfProcessor()
                .metricDeclarations();
        assertThat(kept)
                .containsExactly(
                        new MetricDeclaration(List.of("job"), ";", ".*", List.of("b"), List.of(List.of("a"))),
                        new MetricDeclaration(List.of("a", "b"), ";", "^1;2$", List.of("c"), List.of()));
        assertThat(warnings).hasSize(7);
        assertThat(String.join("\n", warnings))
                .contains("metric_declaration[0] has no metric_selectors; dropped")
                .contains("metric_declaration[1].source_labels is empty; the declaration is dropped")
                .contains("metric_declaration[2].label_matcher is empty; the declaration is dropped")
                .contains("metric_declaration[3].label_matcher invalid regular expression \"[x\"")
                .contains("metric_declaration[4].dimensions[1] has 11 dimensions; dropped")
                .contains("metric_declaration[5].label_separator has no effect")
                .contains("metric_declaration[6] has no source_labels; dropped");
    }

    @Test
    void agentKeysThatAreNotImplementedAreErrors() {
        assertError(
                prometheus("\"ecs_service_discovery\": {\"sd_frequency\": \"1m\"}"),
                "logs.metrics_collected.prometheus.ecs_service_discovery",
                "is ECS only");
        assertError(
                prometheus("\"disable_metric_extraction\": true"),
                "logs.metrics_collected.prometheus.disable_metric_extraction",
                "true is not implemented");
        assertError(
                "{\"agent\": {\"credentials\": {\"role_arn\": \"r\"}}, " + LOGS + "}",
                "agent.credentials",
                "its own AWS credentials");
        assertError(
                "{\"logs\": {\"logs_collected\": {}, \"metrics_collected\": {\"prometheus\": {}}}}",
                "logs.logs_collected",
                "node collector");
        assertError(
                "{\"logs\": {\"metrics_collected\": {\"prometheus\": {}, \"emf\": {}}}}",
                "logs.metrics_collected.emf",
                "unknown key");
        assertError("{\"logs\": {\"metrics_collected\": {}}}", "logs.metrics_collected.prometheus", "is required");
        assertError(
                prometheus("\"emf_processor\": {\"metric_namespace\": \"AWS/Mine\"}"),
                "logs.metrics_collected.prometheus.emf_processor.metric_namespace",
                "not start with AWS/");
        assertError(
                prometheus("\"prometheus_config_path\": \"env:\""),
                "logs.metrics_collected.prometheus.prometheus_config_path",
                "is empty");
        assertError("{\"logs\": {\"metrics_collected\": {\"prometheus\": {}}}, \"logs\": {}}", "logs", "duplicate key");
    }

    @Test
    void keysWithoutEffectAreWarned() {
        List<String> warnings = new ArrayList<>();
        CloudWatchAgentConfigParser.parse(
                "{\"agent\": {\"debug\": true, \"region\": \"us-east-1\"},\n"
                        + "\"logs\": {\"force_flush_interval\": 5, \"metrics_collected\": {\"prometheus\": {}}}}",
                "c.json",
                warnings::add);
        assertThat(warnings)
                .containsExactly(
                        "c.json:1: agent.debug has no effect on Prometheus collection; accepted and ignored",
                        "c.json:2: logs.force_flush_interval has no effect: events are written when a checkpoint completes;"
                                + " accepted and ignored");
    }

    @Test
    void errorsNameTheLine() {
        assertThatThrownBy(() -> CloudWatchAgentConfigParser.parse(
                        "{\n\"logs\": {\n\"metrics_collected\": {\n" + "\"prometheus\": {\n\"clustername\": \"x\"}}}}",
                        "c.json",
                        w -> {}))
                .isInstanceOf(MetricsConfigException.class)
                .hasMessage("c.json:5: logs.metrics_collected.prometheus.clustername: unknown key");
        assertThatThrownBy(() -> CloudWatchAgentConfigParser.parse("{\"logs\": [}", "c.json", w -> {}))
                .isInstanceOf(MetricsConfigException.class)
                .hasMessageStartingWith("c.json:1: cannot be read");
    }

    private static final String LOGS = "\"logs\": {\"metrics_collected\": {\"prometheus\": {}}}";

    private static String prometheus(String body) {
        return "{\"logs\": {\"metrics_collected\": {\"prometheus\": {" + body + "}}}}";
    }

    private static String declaration(String body) {
        return prometheus("\"emf_processor\": {\"metric_declaration\": [{" + body + "}]}");
    }

    private static CloudWatchAgentConfigParser.Result parse(String json) {
        return CloudWatchAgentConfigParser.parse(json, "c.json", w -> {});
    }

    private static void assertError(String json, String pathSuffix, String message) {
        assertThatThrownBy(() -> parse(json)).isInstanceOfSatisfying(MetricsConfigException.class, e -> {
            assertThat(e.file()).isEqualTo("c.json");
            assertThat(e.path()).endsWith(pathSuffix);
            assertThat(e.getMessage()).contains(message);
            assertThat(e.line()).isPositive();
        });
    }
}
