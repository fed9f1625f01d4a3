package dev.kubelogs.launcher.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.job.metrics.DefaultScrapeJobs;
import dev.kubelogs.job.metrics.LoggedMetrics;
import dev.kubelogs.job.metrics.MetricsPipelines;
import dev.kubelogs.job.metrics.MetricsSetup;
import dev.kubelogs.job.metrics.PipelineRuns;
import dev.kubelogs.job.metrics.source.ScrapeSourceConfigOptions;
import dev.kubelogs.launcher.exporters.HaproxyExporter;
import dev.kubelogs.launcher.exporters.InstalledExporters;
import dev.kubelogs.launcher.exporters.JmxExporterJvm;
import dev.kubelogs.launcher.exporters.NginxExporter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real exporters scraped with the agent's default configuration, adapted only in discovery: the default jobs'
 * blocks of the shipped prometheus.yaml (metric_relabel_configs included) over static targets that carry the labels
 * the jobs' relabeling gives, and the shipped 14 declarations. What matches and what does not:
 *
 * <ul>
 *   <li>haproxy's built-in exporter, as {@code kubernetes-service-endpoints} finds HAProxy ingress: declaration #5
 *       selects the six frontend counters and {@code haproxy_frontend_current_sessions} ({@code proxy} renamed
 *       {@code frontend} by the job's metric relabeling). #3 ({@code haproxy_frontend_http_responses_total}) names
 *       only haproxy-ingress' generated frontends ({@code httpfront-*}, {@code _front_http}), so a plain haproxy's
 *       {@code web} frontend gets no metric from it.
 *   <li>nginx with Debian's {@code prometheus-nginx-exporter}: the NGINX declarations select the ingress-nginx
 *       controller's {@code nginx_ingress_controller_*} names, which the stub_status exporter does not have; its
 *       events are plain.
 *   <li>the JMX exporter 0.20 agent, as {@code kubernetes-pod-jmx}: #12 selects {@code jvm_threads_current} and
 *       {@code jvm_threads_daemon}, #13 {@code jvm_memory_bytes_used} per {@code area}, #14
 *       {@code jvm_memory_pool_bytes_used} per {@code pool}. #12's {@code jvm_classes_loaded} is
 *       {@code jvm_classes_loaded_total} (a counter) and {@code jvm_classes_currently_loaded} there, so it matches
 *       nothing; its {@code java_lang_operatingsystem_*} need the exporter configured with lowercase names and
 *       typed rules (with the default configuration they are {@code java_lang_OperatingSystem_*} and untyped, which
 *       is dropped); its {@code jvm_gc_collection_seconds_*} are dropped by the job's own metric relabeling.
 * </ul>
 */
@Timeout(180)
class RealExportersITCase {
    private static final String ENDPOINTS_JOB = "kubernetes-service-endpoints";
    private static final String JMX_JOB = "kubernetes-pod-jmx";
    private static final String HAPROXY_SERVICE = "my-haproxy-ingress-controller-metrics";
    private static final String NGINX_SERVICE = "my-nginx-ingress-nginx-controller-metrics";
    private static final int SCRAPES = 3;
    private static final Duration INTERVAL = Duration.ofSeconds(1);
    /** The JMX exporter reads every MBean on each scrape: hundreds of milliseconds on a busy machine. */
    private static final Duration JMX_INTERVAL = Duration.ofSeconds(2);

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = PipelineRuns.miniCluster(1, new Configuration());

    @TempDir
    Path tmp;

    @Test
    void theDefaultDeclarationsSelectTheRealExportersMetricsTheyName() throws Exception {
        InstalledExporters.require(HaproxyExporter.installed(), "Debian's haproxy");
        InstalledExporters.require(NginxExporter.installed(), "Debian's nginx and prometheus-nginx-exporter");
        try (HaproxyExporter haproxy = HaproxyExporter.start(tmp.resolve("haproxy"));
                NginxExporter nginx = NginxExporter.start(tmp.resolve("nginx"));
                JmxExporterJvm jvm = JmxExporterJvm.start(tmp.resolve("jvm"));
                LocalCloudWatchLogs endpoint = LocalCloudWatchLogs.start(0, null);
                LoggedMetrics logged = new LoggedMetrics(endpoint.endpoint())) {
            // its first answer, which loads the MBeans, is the slowest: not within a scrape's timeout
            assertThat(ExporterScrapes.exporterValue(jvm.metricsUri(), "jvm_threads_current"))
                    .isPositive();
            Map<String, Map<String, String>> services = new LinkedHashMap<>();
            services.put(haproxy.exporterAddress(), serviceLabels(HAPROXY_SERVICE, "haproxy-ingress-sample"));
            services.put(nginx.exporterAddress(), serviceLabels(NGINX_SERVICE, "nginx-ingress-sample"));
            MetricsSetup setup = ExporterScrapes.withDefaultDeclarations(
                    DefaultScrapeJobs.overStaticTargets(ENDPOINTS_JOB, INTERVAL, services),
                    DefaultScrapeJobs.overStaticTargets(
                            JMX_JOB,
                            JMX_INTERVAL,
                            Map.of(
                                    jvm.exporterAddress(),
                                    Map.of(
                                            "Namespace",
                                            "javajmx-sample",
                                            "pod_name",
                                            "tomcat-0",
                                            "container_name",
                                            "tomcat",
                                            "pod_phase",
                                            "Running"))));
            Configuration settings = new Configuration();
            settings.set(ScrapeSourceConfigOptions.SCRAPES_PER_TARGET, SCRAPES);
            StreamExecutionEnvironment env = PipelineRuns.environment(2, 200);
            MetricsPipelines.create(
                            settings, setup, PipelineRuns.sink(endpoint.endpoint(), tmp.resolve("dead-letters")))
                    .build(env);
            env.execute("real-exporters-it");

            List<JsonNode> endpointsEvents = logged.json(ExporterScrapes.GROUP, ENDPOINTS_JOB);
            assertHaproxy(endpointsEvents);
            assertNginx(endpointsEvents);
            assertJmx(logged.json(ExporterScrapes.GROUP, JMX_JOB));
        }
    }

    private static void assertHaproxy(List<JsonNode> events) {
        List<JsonNode> frontend = of(events, Map.of("Service", HAPROXY_SERVICE, "frontend", "web"));
        JsonNode counters = only(frontend, "haproxy_frontend_http_requests_total");
        assertThat(counters.has("proxy")).isFalse();
        assertThat(directiveMetrics(counters))
                .containsExactly(
                        "haproxy_frontend_bytes_in_total",
                        "haproxy_frontend_bytes_out_total",
                        "haproxy_frontend_connections_total",
                        "haproxy_frontend_http_requests_total",
                        "haproxy_frontend_request_errors_total",
                        "haproxy_frontend_requests_denied_total");
        assertThat(dimensions(counters)).containsExactly(List.of("ClusterName", "Namespace", "Service"));
        assertThat(directiveMetrics(only(frontend, "haproxy_frontend_current_sessions")))
                .containsExactly("haproxy_frontend_current_sessions");
        JsonNode responses = LoggedMetrics.withField(
                        frontend, "haproxy_frontend_http_responses_total", Map.of("code", "2xx"))
                .get(0);
        assertThat(responses.has("CloudWatchMetrics")).isFalse();
    }

    private static void assertNginx(List<JsonNode> events) {
        List<JsonNode> nginx = of(events, Map.of("Service", NGINX_SERVICE));
        assertThat(LoggedMetrics.withField(nginx, "nginx_http_requests_total", Map.of()))
                .isNotEmpty();
        assertThat(LoggedMetrics.withField(nginx, "nginx_connections_active", Map.of()))
                .isNotEmpty();
        assertThat(nginx).noneMatch(e -> e.has("CloudWatchMetrics"));
    }

    private static void assertJmx(List<JsonNode> events) {
        JsonNode threads = only(events, "jvm_threads_current");
        assertThat(directiveMetrics(threads)).containsExactly("jvm_threads_current", "jvm_threads_daemon");
        assertThat(dimensions(threads)).containsExactly(List.of("ClusterName", "Namespace"));
        JsonNode heap = only(of(events, Map.of("area", "heap")), "jvm_memory_bytes_used");
        assertThat(directiveMetrics(heap)).containsExactly("jvm_memory_bytes_used");
        assertThat(dimensions(heap)).containsExactly(List.of("ClusterName", "Namespace", "area"));
        List<JsonNode> pools = LoggedMetrics.withField(events, "jvm_memory_pool_bytes_used", Map.of());
        assertThat(pools).isNotEmpty().allSatisfy(p -> {
            assertThat(p.has("pool")).isTrue();
            assertThat(dimensions(p)).containsExactly(List.of("ClusterName", "Namespace", "pool"));
        });
        JsonNode classes = only(events, "jvm_classes_loaded_total");
        assertThat(directiveMetrics(classes)).doesNotContain("jvm_classes_loaded_total");
        assertThat(events)
                .allSatisfy(e -> assertThat(fields(e))
                        .noneMatch(f -> f.startsWith("jvm_gc_collection_seconds") || f.startsWith("java_lang_")));
    }

    /** What a default endpoints job's relabeling gives an annotated service's endpoint. */
    private static Map<String, String> serviceLabels(String service, String namespace) {
        return Map.of(
                "Service",
                service,
                "Namespace",
                namespace,
                "pod_name",
                service + "-0",
                "container_name",
                "metrics",
                "kubernetes_node",
                "ip-10-0-0-1.ec2.internal");
    }

    private static List<JsonNode> of(List<JsonNode> events, Map<String, String> labels) {
        return events.stream()
                .filter(e -> labels.entrySet().stream()
                        .allMatch(l -> l.getValue().equals(e.path(l.getKey()).asText(null))))
                .toList();
    }

    /** The last event with {@code field} (there is one per scrape, or per scrape after the priming one). */
    private static JsonNode only(List<JsonNode> events, String field) {
        List<JsonNode> with = LoggedMetrics.withField(events, field, Map.of());
        assertThat(with).as(field).isNotEmpty();
        return with.get(with.size() - 1);
    }

    private static Set<String> directiveMetrics(JsonNode event) {
        Set<String> names = new TreeSet<>();
        event.path("CloudWatchMetrics")
                .forEach(d ->
                        d.path("Metrics").forEach(m -> names.add(m.get("Name").asText())));
        return names;
    }

    private static List<List<String>> dimensions(JsonNode event) {
        List<List<String>> sets = new ArrayList<>();
        event.path("CloudWatchMetrics")
                .forEach(d -> d.path("Dimensions").forEach(set -> {
                    List<String> names = new ArrayList<>();
                    set.forEach(n -> names.add(n.asText()));
                    sets.add(names);
                }));
        return sets;
    }

    private static List<String> fields(JsonNode event) {
        List<String> names = new ArrayList<>();
        event.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
