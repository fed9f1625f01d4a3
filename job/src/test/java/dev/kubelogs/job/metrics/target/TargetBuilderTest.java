package dev.kubelogs.job.metrics.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.job.metrics.config.PrometheusConfigParser;
import dev.kubelogs.job.metrics.config.RelabelAction;
import dev.kubelogs.job.metrics.config.RelabelConfig;
import dev.kubelogs.job.metrics.config.ScrapeConfig;
import dev.kubelogs.job.metrics.config.TlsConfig;
import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.ScrapeTarget;
import dev.kubelogs.job.metrics.target.TargetBuildException.Reason;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TargetBuilderTest {
    /** The agent's default jobs (reference §2), from the shipped default prometheus.yaml. */
    private static final Map<String, ScrapeConfig> DEFAULT_JOBS =
            PrometheusConfigParser.parseDefault().scrapeConfigs().stream()
                    .collect(Collectors.toMap(ScrapeConfig::jobName, j -> j));

    @Test
    void envoyJobScrapesTheEnvoyContainerOnTheAnnotatedPort() {
        TargetBuilder envoy = new TargetBuilder(DEFAULT_JOBS.get("kubernetes-pod-appmesh-envoy"));
        ScrapeTarget t = envoy.build(
                pod("envoy", "10.0.1.5:15000").with("__meta_kubernetes_pod_annotation_prometheus_io_port", "9901"));
        assertThat(t.url()).isEqualTo("http://10.0.1.5:9901/stats/prometheus");
        assertThat(t.labels())
                .isEqualTo(Labels.of(
                        "Namespace",
                        "appmesh-demo",
                        "app",
                        "front",
                        "pod_template_hash",
                        "7d9c",
                        "container_name",
                        "envoy",
                        "instance",
                        "10.0.1.5:9901",
                        "job",
                        "kubernetes-pod-appmesh-envoy",
                        "pod_controller_kind",
                        "ReplicaSet",
                        "pod_controller_name",
                        "front-7d9c",
                        "pod_name",
                        "front-7d9c-abcde",
                        "pod_phase",
                        "Running",
                        // the agent's saved labels: the job's name and the address as discovered, before the rules
                        "cwagent_saved_scrape_job",
                        "kubernetes-pod-appmesh-envoy",
                        "cwagent_saved_scrape_instance",
                        "10.0.1.5:15000"));
        assertThat(t.discoveredAddress()).isEqualTo("10.0.1.5:15000");
        // without the annotation the address rule does not match (it needs ";<port>") and the address stays
        assertThat(envoy.build(pod("envoy", "10.0.1.5:15000")).url())
                .isEqualTo("http://10.0.1.5:15000/stats/prometheus");
        assertThat(envoy.build(pod("app", "10.0.1.5:8080"))).isNull();
    }

    @Test
    void fluentBitJobScrapesPort2020WithTheNodeName() {
        TargetBuilder fluentBit = new TargetBuilder(DEFAULT_JOBS.get("kubernetes-pod-fluentbit-plugin"));
        ScrapeTarget t = fluentBit.build(pod("fluent-bit", "10.0.2.7"));
        assertThat(t.url()).isEqualTo("http://10.0.2.7:2020/api/v1/metrics/prometheus");
        assertThat(t.labels().get("NodeName")).isEqualTo("ip-10-0-1-1.ec2.internal");
        assertThat(t.labels().get("instance")).isEqualTo("10.0.2.7:2020");
        assertThat(fluentBit.build(pod("fluent-bit-sidecar", "10.0.2.7:8080")).url())
                .isEqualTo("http://10.0.2.7:2020/api/v1/metrics/prometheus");
        assertThat(fluentBit.build(pod("fluentd", "10.0.2.7"))).isNull();
    }

    @Test
    void jmxJobKeepsOnlyPort9404() {
        TargetBuilder jmx = new TargetBuilder(DEFAULT_JOBS.get("kubernetes-pod-jmx"));
        ScrapeTarget t = jmx.build(pod("tomcat", "10.0.3.9:9404"));
        assertThat(t.url()).isEqualTo("http://10.0.3.9:9404/metrics");
        assertThat(t.labels().get("job")).isEqualTo("kubernetes-pod-jmx");
        assertThat(t.labels().get("container_name")).isEqualTo("tomcat");
        assertThat(jmx.build(pod("tomcat", "10.0.3.9:8080"))).isNull();
        assertThat(jmx.build(pod("tomcat", "10.0.3.9"))).isNull();
    }

    @Test
    void serviceEndpointsJobFollowsTheServiceAnnotations() {
        TargetBuilder endpoints = new TargetBuilder(DEFAULT_JOBS.get("kubernetes-service-endpoints"));
        Labels endpoint = Labels.of(
                "__address__",
                "10.0.4.2:80",
                "__meta_kubernetes_namespace",
                "ingress",
                "__meta_kubernetes_service_name",
                "nginx-ingress-controller",
                "__meta_kubernetes_service_annotation_prometheus_io_scrape",
                "true",
                "__meta_kubernetes_service_annotation_prometheus_io_port",
                "10254",
                "__meta_kubernetes_service_label_app_kubernetes_io_name",
                "ingress-nginx",
                "__meta_kubernetes_endpoint_port_name",
                "http",
                "__meta_kubernetes_pod_node_name",
                "ip-10-0-1-1.ec2.internal",
                "__meta_kubernetes_pod_name",
                "nginx-ingress-controller-5f7b",
                "__meta_kubernetes_pod_container_name",
                "controller");
        ScrapeTarget t = endpoints.build(endpoint);
        assertThat(t.url()).isEqualTo("http://10.0.4.2:10254/metrics");
        assertThat(t.labels())
                .isEqualTo(Labels.of(
                        "Namespace",
                        "ingress",
                        "Service",
                        "nginx-ingress-controller",
                        "app_kubernetes_io_name",
                        "ingress-nginx",
                        "container_name",
                        "controller",
                        "instance",
                        "10.0.4.2:10254",
                        "job",
                        "kubernetes-service-endpoints",
                        "kubernetes_node",
                        "ip-10-0-1-1.ec2.internal",
                        "pod_name",
                        "nginx-ingress-controller-5f7b",
                        "cwagent_saved_scrape_job",
                        "kubernetes-service-endpoints",
                        "cwagent_saved_scrape_instance",
                        "10.0.4.2:80"));
        ScrapeTarget secure =
                endpoints.build(endpoint.with("__meta_kubernetes_service_annotation_prometheus_io_scheme", "https")
                        .with("__meta_kubernetes_service_annotation_prometheus_io_path", "/custom/metrics"));
        assertThat(secure.url()).isEqualTo("https://10.0.4.2:10254/custom/metrics");
        assertThat(endpoints.build(endpoint.without("__meta_kubernetes_service_annotation_prometheus_io_scrape")))
                .isNull();
        assertThat(endpoints.build(endpoint.with("__meta_kubernetes_service_annotation_prometheus_io_scrape", "false")))
                .isNull();
    }

    /** The labels, and the agent's two saved target labels with the job's name and the discovered address. */
    private static Labels withSavedLabels(String jobName, String discoveredAddress, String... namesAndValues) {
        return Labels.of(namesAndValues)
                .with("cwagent_saved_scrape_job", jobName)
                .with("cwagent_saved_scrape_instance", discoveredAddress);
    }

    /** A pod-role target as Prometheus' kubernetes_sd builds it for one container (port). */
    private static Labels pod(String container, String address) {
        return Labels.of(
                "__address__",
                address,
                "__meta_kubernetes_namespace",
                "appmesh-demo",
                "__meta_kubernetes_pod_name",
                "front-7d9c-abcde",
                "__meta_kubernetes_pod_ip",
                address.split(":")[0],
                "__meta_kubernetes_pod_label_app",
                "front",
                "__meta_kubernetes_pod_labelpresent_app",
                "true",
                "__meta_kubernetes_pod_label_pod_template_hash",
                "7d9c",
                "__meta_kubernetes_pod_container_name",
                container,
                "__meta_kubernetes_pod_container_init",
                "false",
                "__meta_kubernetes_pod_controller_name",
                "front-7d9c",
                "__meta_kubernetes_pod_controller_kind",
                "ReplicaSet",
                "__meta_kubernetes_pod_phase",
                "Running",
                "__meta_kubernetes_pod_ready",
                "true",
                "__meta_kubernetes_pod_node_name",
                "ip-10-0-1-1.ec2.internal");
    }

    @Test
    void addsTheJobsDefaultsAndDropsReservedLabels() {
        ScrapeTarget t = new TargetBuilder(job(List.of(), Map.of()))
                .build(Labels.of("__address__", "10.0.0.1:9100", "__meta_kubernetes_pod_name", "p", "team", "a"));
        assertThat(t.jobName()).isEqualTo("j");
        assertThat(t.url()).isEqualTo("http://10.0.0.1:9100/metrics");
        assertThat(t.labels())
                .isEqualTo(withSavedLabels("j", "10.0.0.1:9100", "instance", "10.0.0.1:9100", "job", "j", "team", "a"));
        assertThat(t.intervalMs()).isEqualTo(60_000);
        assertThat(t.timeoutMs()).isEqualTo(10_000);
    }

    @Test
    void discoveredLabelsWinOverTheDefaults() {
        ScrapeTarget t = new TargetBuilder(job(List.of(), Map.of()))
                .build(Labels.of(
                        "__address__",
                        "h:1",
                        "__metrics_path__",
                        "/x",
                        "__scheme__",
                        "https",
                        "job",
                        "other",
                        "__scrape_interval__",
                        "30s",
                        "__scrape_timeout__",
                        "5s",
                        "instance",
                        "mine"));
        assertThat(t.url()).isEqualTo("https://h:1/x");
        // the saved job is the scrape config's name, whatever the discovered job label says
        assertThat(t.labels()).isEqualTo(withSavedLabels("j", "h:1", "instance", "mine", "job", "other"));
        assertThat(t.intervalMs()).isEqualTo(30_000);
        assertThat(t.timeoutMs()).isEqualTo(5_000);
        assertThat(t.jobName()).isEqualTo("j"); // the scrape config's name, whatever the job label says
    }

    @Test
    void noDefaultPortIsAdded() {
        assertThat(new TargetBuilder(job(List.of(), Map.of()))
                        .build(Labels.of("__address__", "example.com"))
                        .url())
                .isEqualTo("http://example.com/metrics");
    }

    @Test
    void paramLabelsReplaceTheFirstConfiguredValue() {
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("module", List.of("http_2xx", "second"));
        params.put("target", List.of("a b&c"));
        List<RelabelConfig> rules = List.of(
                replace(List.of("__meta_module"), "__param_module"), replace(List.of("__meta_extra"), "__param_extra"));
        ScrapeTarget t = new TargetBuilder(job(rules, params))
                .build(Labels.of("__address__", "h:1", "__meta_module", "tcp", "__meta_extra", "ü"));
        assertThat(t.url()).isEqualTo("http://h:1/metrics?extra=%C3%BC&module=tcp&module=second&target=a+b%26c");
        assertThat(t.labels().has("__param_module")).isFalse();
    }

    @Test
    void pathIsEscapedAsGoDoes() {
        ScrapeTarget t = new TargetBuilder(job(List.of(), Map.of()))
                .build(Labels.of("__address__", "h:1", "__metrics_path__", "stats/a b?c:d"));
        assertThat(t.url()).isEqualTo("http://h:1/stats/a%20b%3Fc:d");
    }

    @Test
    void relabelingJobOrInstanceToEmptyRemovesJobAndDefaultsInstanceToTheAddress() {
        // scrape/target.go PopulateLabels: an empty value deletes the label, then "if v := lb.Get(InstanceLabel);
        // v == "" { lb.Set(InstanceLabel, addr) }"; job gets no such default once relabeling emptied it
        RelabelConfig emptyJob = new RelabelConfig(List.of(), ";", "(.*)", 0, "job", "", RelabelAction.REPLACE);
        RelabelConfig emptyInstance =
                new RelabelConfig(List.of(), ";", "(.*)", 0, "instance", "", RelabelAction.REPLACE);
        ScrapeTarget t = new TargetBuilder(job(List.of(emptyJob, emptyInstance), Map.of()))
                .build(Labels.of("__address__", "h:1", "instance", "given"));
        assertThat(t.labels()).isEqualTo(withSavedLabels("j", "h:1", "instance", "h:1"));
        assertThat(t.jobName()).isEqualTo("j");
    }

    @Test
    void droppedByRelabelingIsNull() {
        RelabelConfig keep = new RelabelConfig(List.of("__meta_keep"), ";", "yes", 0, "", "$1", RelabelAction.KEEP);
        assertThat(new TargetBuilder(job(List.of(keep), Map.of())).build(Labels.of("__address__", "h:1")))
                .isNull();
    }

    @Test
    void aTargetWithoutAddressIsRefused() {
        assertRefused(job(List.of(), Map.of()), Labels.of("x", "1"), Reason.NO_ADDRESS, "no address");
    }

    @Test
    void anAddressWithAPathIsRefused() {
        assertRefused(
                job(List.of(), Map.of()),
                Labels.of("__address__", "h:1/metrics"),
                Reason.INVALID_ADDRESS,
                "\"h:1/metrics\" is not a valid hostname");
        assertRefused(
                job(List.of(), Map.of()),
                Labels.of("__address__", "bad host:1"),
                Reason.INVALID_ADDRESS,
                "not a valid host:port");
        assertRefused(
                job(List.of(), Map.of()),
                Labels.of("__address__", "under_score:1x"),
                Reason.INVALID_ADDRESS,
                "\"under_score:1x\" is not a valid host:port");
        assertRefused(
                job(List.of(), Map.of()), Labels.of("__address__", ":1"), Reason.INVALID_ADDRESS, "not a valid host");
    }

    @Test
    void aHostNameGoAcceptsAndJavaNetUriDoesNotIsATarget() {
        // Kubernetes DNS names may hold '_'; Go's url.Parse takes them, and so does Prometheus
        for (String address : new String[] {"under_score:1", "my_exporter.ns.svc:9100", "-edge-:80", "a.1b", "x_y"}) {
            ScrapeTarget t = new TargetBuilder(job(List.of(), Map.of())).build(Labels.of("__address__", address));
            assertThat(t.url()).isEqualTo("http://" + address + "/metrics");
            assertThat(t.labels().get("instance")).isEqualTo(address);
        }
    }

    @Test
    void relabeledIntervalAndTimeoutAreChecked() {
        assertRefused(
                job(List.of(), Map.of()),
                Labels.of("__address__", "h:1", "__scrape_interval__", "1x"),
                Reason.INVALID_INTERVAL,
                "error parsing scrape interval: unknown unit \"x\"");
        assertRefused(
                job(List.of(), Map.of()),
                Labels.of("__address__", "h:1", "__scrape_interval__", "0"),
                Reason.INVALID_INTERVAL,
                "scrape interval cannot be 0");
        assertRefused(
                job(List.of(), Map.of()),
                Labels.of("__address__", "h:1", "__scrape_timeout__", "10"),
                Reason.INVALID_TIMEOUT,
                "error parsing scrape timeout: not a valid duration string");
        assertRefused(
                job(List.of(), Map.of()),
                Labels.of("__address__", "h:1", "__scrape_timeout__", "0s"),
                Reason.INVALID_TIMEOUT,
                "scrape timeout cannot be 0");
        assertRefused(
                job(List.of(), Map.of()),
                Labels.of("__address__", "h:1", "__scrape_timeout__", "2m"),
                Reason.TIMEOUT_EXCEEDS_INTERVAL,
                "scrape timeout cannot be greater than scrape interval (\"2m\" > \"1m\")");
    }

    @Test
    void theSchemeIsCaseInsensitiveAndTheUrlUsesItLowercased() {
        // Prometheus requests Target.URL().String(), which Go's url.Parse reads back with the scheme lowercased
        ScrapeTarget t = new TargetBuilder(job(List.of(), Map.of()))
                .build(Labels.of("__address__", "h:1", "__scheme__", "HTTPS"));
        assertThat(t.url()).isEqualTo("https://h:1/metrics");
    }

    @Test
    void aSchemeOtherThanHttpIsRefused() {
        assertRefused(
                job(List.of(), Map.of()),
                Labels.of("__address__", "h:1", "__scheme__", "ftp"),
                Reason.INVALID_SCHEME,
                "scheme \"ftp\" is neither http nor https");
    }

    @Test
    void anInvalidLabelValueIsRefused() {
        assertRefused(
                job(List.of(), Map.of()),
                Labels.of("__address__", "h:1", "bad", "x\uD800"),
                Reason.INVALID_LABEL_VALUE,
                "invalid label value for \"bad\"");
    }

    private static void assertRefused(ScrapeConfig config, Labels discovered, Reason reason, String message) {
        assertThatThrownBy(() -> new TargetBuilder(config).build(discovered))
                .isInstanceOfSatisfying(TargetBuildException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.getMessage()).contains(message);
                });
    }

    private static RelabelConfig replace(List<String> source, String target) {
        return new RelabelConfig(source, ";", "(.*)", 0, target, "$1", RelabelAction.REPLACE);
    }

    static ScrapeConfig job(List<RelabelConfig> relabel, Map<String, List<String>> params) {
        return new ScrapeConfig(
                "j",
                Duration.ofMinutes(1),
                Duration.ofSeconds(10),
                "/metrics",
                "http",
                params,
                0,
                false,
                true,
                List.of(),
                List.of(),
                relabel,
                List.of(),
                TlsConfig.NONE,
                null);
    }
}
