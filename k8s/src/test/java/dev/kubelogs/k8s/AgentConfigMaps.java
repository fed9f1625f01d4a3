package dev.kubelogs.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The CloudWatch agent's two Prometheus files as the manifests ship them (11-prometheus-agent-config.yaml): the
 * ConfigMap names and keys are the agent's, so users can apply their own ConfigMaps in their place.
 */
final class AgentConfigMaps {

    static final String CWAGENT_CONFIG_MAP = "prometheus-cwagentconfig";
    static final String CWAGENT_KEY = "cwagentconfig.json";
    static final String PROMETHEUS_CONFIG_MAP = "prometheus-config";
    static final String PROMETHEUS_KEY = "prometheus.yaml";

    /**
     * Ports of the annotated-Service job (kubernetes-service-endpoints), which takes each target's port from the
     * Service's {@code prometheus.io/port}: the values the agent's docs install NGINX ingress, Memcached and HAProxy
     * with (DOCS/ContainerInsights-Prometheus-Sample-Workloads-{nginx,memcached,haproxy}, prometheus-reference §2).
     */
    static final Set<Integer> ANNOTATED_SERVICE_PORTS = Set.of(10254, 9150, 9101);

    private static final Pattern REPLACED_PORT = Pattern.compile(".*:(\\d+)");
    private static final Pattern KEPT_PORT = Pattern.compile("\\.\\*:(\\d+)\\$");

    final String cwagentJson;
    final String prometheusYaml;

    private AgentConfigMaps(String cwagentJson, String prometheusYaml) {
        this.cwagentJson = cwagentJson;
        this.prometheusYaml = prometheusYaml;
    }

    static AgentConfigMaps load(List<ManifestDoc> docs) {
        ConfigMap cwagent = Manifests.one(docs, ConfigMap.class, CWAGENT_CONFIG_MAP);
        ConfigMap prometheus = Manifests.one(docs, ConfigMap.class, PROMETHEUS_CONFIG_MAP);
        return new AgentConfigMaps(
                cwagent.getData().get(CWAGENT_KEY), prometheus.getData().get(PROMETHEUS_KEY));
    }

    /** {@code logs.metrics_collected.prometheus} of cwagentconfig.json. */
    JsonNode prometheusSection() {
        return Manifests.LENIENT.readTree(cwagentJson).at("/logs/metrics_collected/prometheus");
    }

    JsonNode scrapeConfigs() {
        return Manifests.YAML.readTree(prometheusYaml).get("scrape_configs");
    }

    /** The kubernetes_sd_configs roles the scrape jobs use. */
    Set<String> discoveryRoles() {
        Set<String> roles = new TreeSet<>();
        for (JsonNode job : scrapeConfigs()) {
            job.path("kubernetes_sd_configs")
                    .forEach(sd -> roles.add(sd.get("role").asString()));
        }
        return roles;
    }

    /**
     * The port each scrape job reaches its targets on: the port its relabeling writes into {@code __address__}, or
     * the one its {@code keep} rule on {@code __address__} requires, or, for a job whose port comes from the Service's
     * {@code prometheus.io/port} annotation, {@link #ANNOTATED_SERVICE_PORTS}. A job with none of them fails.
     */
    Map<String, Set<Integer>> scrapePorts() {
        Map<String, Set<Integer>> out = new LinkedHashMap<>();
        for (JsonNode job : scrapeConfigs()) {
            Set<Integer> ports = new TreeSet<>();
            boolean annotated = false;
            for (JsonNode rule : job.path("relabel_configs")) {
                List<String> sources = IamPolicyTest.strings(rule.get("source_labels"));
                String action = rule.path("action").asString("replace");
                if (action.equals("replace")
                        && rule.path("target_label").asString().equals("__address__")) {
                    annotated |= sources.contains("__meta_kubernetes_service_annotation_prometheus_io_port");
                    Matcher m = REPLACED_PORT.matcher(rule.path("replacement").asString());
                    if (m.matches()) {
                        ports.add(Integer.parseInt(m.group(1)));
                    }
                } else if (action.equals("keep") && sources.equals(List.of("__address__"))) {
                    Matcher m = KEPT_PORT.matcher(rule.path("regex").asString());
                    if (m.matches()) {
                        ports.add(Integer.parseInt(m.group(1)));
                    }
                }
            }
            if (annotated) {
                ports.addAll(ANNOTATED_SERVICE_PORTS);
            }
            if (ports.isEmpty()) {
                throw new AssertionError("no scrape port found for job " + job.get("job_name"));
            }
            out.put(job.get("job_name").asString(), ports);
        }
        return out;
    }

    Set<Integer> allScrapePorts() {
        Set<Integer> all = new TreeSet<>();
        scrapePorts().values().forEach(all::addAll);
        return all;
    }
}
