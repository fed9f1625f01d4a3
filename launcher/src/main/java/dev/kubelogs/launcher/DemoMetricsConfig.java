package dev.kubelogs.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.kubelogs.job.metrics.MetricsSetup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's metrics configuration, written in the CloudWatch agent's own two files ({@code cwagentconfig.json} and
 * the {@code prometheus.yaml} it names) so the job reads it exactly as it reads a user's: static_configs targets for
 * every demo collector's {@code /metrics} (job {@value #COLLECTOR_JOB}) and, when the demo runs one, a real nginx
 * exporter (job {@value #NGINX_JOB}), and {@code metric_declaration}s that make CloudWatch metrics of a few of them.
 */
final class DemoMetricsConfig {
    static final String COLLECTOR_JOB = "kubelogs-collector";
    static final String NGINX_JOB = "nginx";
    static final String DIRECTORY = "prometheus";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();

    /** A collector's {@code /metrics} as {@code host:port}, and the node it runs on. */
    record Collector(String address, String node) {}

    private final String cluster;
    private final Duration interval;
    private final List<Collector> collectors;
    private final String nginxExporter;

    /** {@code nginxExporter} is the exporter's {@code host:port}, or null when the demo runs none. */
    DemoMetricsConfig(String cluster, Duration interval, List<Collector> collectors, String nginxExporter) {
        this.cluster = cluster;
        this.interval = interval;
        this.collectors = List.copyOf(collectors);
        this.nginxExporter = nginxExporter;
    }

    /** The scrape jobs, each of which writes one log stream of the prometheus group. */
    List<String> jobs() {
        List<String> jobs = new ArrayList<>();
        if (!collectors.isEmpty()) {
            jobs.add(COLLECTOR_JOB);
        }
        if (nginxExporter != null) {
            jobs.add(NGINX_JOB);
        }
        return jobs;
    }

    /** Writes both files into {@code <work>/prometheus} and returns that directory (--prometheus-config takes it). */
    Path write(Path work) throws IOException {
        Path dir = Files.createDirectories(work.resolve(DIRECTORY));
        JSON.writeValue(dir.resolve(MetricsSetup.AGENT_FILE).toFile(), agentConfig());
        YAML.writeValue(dir.resolve(MetricsSetup.PROMETHEUS_FILE).toFile(), prometheusConfig());
        return dir;
    }

    private Map<String, Object> agentConfig() {
        List<Object> declarations = new ArrayList<>();
        if (!collectors.isEmpty()) {
            declarations.add(declaration(
                    "job",
                    "^" + COLLECTOR_JOB + "$",
                    List.of(List.of("ClusterName", "Namespace", "NodeName", "input")),
                    "^kubelogs_collector_(records|bytes)_read_total$"));
            declarations.add(declaration(
                    "job",
                    "^" + COLLECTOR_JOB + "$",
                    List.of(List.of("ClusterName", "Namespace", "NodeName")),
                    "^kubelogs_collector_segments_written_total$",
                    "^kubelogs_collector_spool_bytes$"));
        }
        if (nginxExporter != null) {
            declarations.add(declaration(
                    "Service",
                    "nginx",
                    List.of(List.of("ClusterName", "Namespace", "Service")),
                    "^nginx_http_requests_total$",
                    "^nginx_connections_(accepted|active)$"));
        }
        Map<String, Object> prometheus = new LinkedHashMap<>();
        prometheus.put("cluster_name", cluster);
        prometheus.put("prometheus_config_path", MetricsSetup.PROMETHEUS_FILE);
        prometheus.put(
                "emf_processor",
                Map.of(
                        "metric_unit",
                        Map.of(
                                "kubelogs_collector_bytes_read_total",
                                "Bytes",
                                "kubelogs_collector_spool_bytes",
                                "Bytes"),
                        "metric_declaration",
                        declarations));
        return Map.of("logs", Map.of("metrics_collected", Map.of("prometheus", prometheus)));
    }

    private static Map<String, Object> declaration(
            String sourceLabel, String matcher, List<List<String>> dimensions, String... selectors) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("source_labels", List.of(sourceLabel));
        d.put("label_matcher", matcher);
        d.put("dimensions", dimensions);
        d.put("metric_selectors", List.of(selectors));
        return d;
    }

    private Map<String, Object> prometheusConfig() {
        String every = interval.toMillis() + "ms";
        List<Object> jobs = new ArrayList<>();
        if (!collectors.isEmpty()) {
            List<Object> groups = new ArrayList<>();
            for (Collector c : collectors) {
                groups.add(Map.of(
                        "targets",
                        List.of(c.address()),
                        "labels",
                        Map.of("Namespace", "amazon-cloudwatch", "NodeName", c.node())));
            }
            jobs.add(job(COLLECTOR_JOB, groups));
        }
        if (nginxExporter != null) {
            jobs.add(job(
                    NGINX_JOB,
                    List.of(Map.of(
                            "targets",
                            List.of(nginxExporter),
                            "labels",
                            Map.of("Service", "nginx", "Namespace", "demo")))));
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("global", Map.of("scrape_interval", every, "scrape_timeout", every));
        config.put("scrape_configs", jobs);
        return config;
    }

    private static Map<String, Object> job(String name, List<Object> staticConfigs) {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("job_name", name);
        job.put("static_configs", staticConfigs);
        return job;
    }
}
