package dev.kubelogs.job.metrics.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.job.metrics.model.Labels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrometheusConfigParserTest {
    @TempDir
    Path tmp;

    @Test
    void theShippedDefaultHasTheAgentsFourJobs() {
        PrometheusConfig c = PrometheusConfigParser.parseDefault();
        assertThat(c.scrapeInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.scrapeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.scrapeConfigs())
                .extracting(ScrapeConfig::jobName)
                .containsExactly(
                        "kubernetes-pod-appmesh-envoy",
                        "kubernetes-pod-fluentbit-plugin",
                        "kubernetes-service-endpoints",
                        "kubernetes-pod-jmx");
        assertThat(c.scrapeConfigs())
                .extracting(ScrapeConfig::metricsPath)
                .containsExactly("/stats/prometheus", "/api/v1/metrics/prometheus", "/metrics", "/metrics");
        assertThat(c.scrapeConfigs())
                .extracting(j -> j.kubernetesSdConfigs().get(0).role())
                .containsExactly(KubernetesRole.POD, KubernetesRole.POD, KubernetesRole.ENDPOINTS, KubernetesRole.POD);
        assertThat(c.scrapeConfigs()).allSatisfy(j -> {
            assertThat(j.sampleLimit()).isEqualTo(10_000);
            assertThat(j.scrapeInterval()).isEqualTo(Duration.ofMinutes(1));
            assertThat(j.scrapeTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(j.scheme()).isEqualTo("http");
            assertThat(j.honorTimestamps()).isTrue();
            assertThat(j.honorLabels()).isFalse();
            assertThat(j.options()).isEqualTo(ScrapeOptions.DEFAULTS);
        });
        assertThat(c.scrapeConfigs()).extracting(j -> j.relabelConfigs().size()).containsExactly(9, 10, 10, 8);
        assertThat(c.scrapeConfigs())
                .extracting(j -> j.metricRelabelConfigs().size())
                .containsExactly(0, 0, 5, 1);
        RelabelConfig address = c.scrapeConfigs().get(0).relabelConfigs().get(1);
        assertThat(address)
                .isEqualTo(new RelabelConfig(
                        List.of("__address__", "__meta_kubernetes_pod_annotation_prometheus_io_port"),
                        ";",
                        "([^:]+)(?::\\d+)?;(\\d+)",
                        0,
                        "__address__",
                        "${1}:9901",
                        RelabelAction.REPLACE));
        RelabelConfig labeldrop =
                c.scrapeConfigs().get(2).metricRelabelConfigs().get(4);
        assertThat(labeldrop)
                .isEqualTo(new RelabelConfig(List.of(), ";", "proxy", 0, "", "$1", RelabelAction.LABELDROP));
    }

    @Test
    void jobsInheritTheGlobalIntervalAndTimeout() {
        PrometheusConfig c = parse("""
                global:
                  scrape_interval: 30s
                scrape_configs:
                - job_name: a
                - job_name: b
                  scrape_interval: 5s
                - job_name: c
                  scrape_interval: 1h30m
                  scrape_timeout: 500ms
                """);
        assertThat(c.scrapeTimeout()).isEqualTo(Duration.ofSeconds(10));
        ScrapeConfig a = c.scrapeConfigs().get(0);
        assertThat(a.scrapeInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(a.metricsPath()).isEqualTo("/metrics");
        assertThat(a.params()).isEmpty();
        assertThat(a.authorization()).isNull();
        assertThat(a.tlsConfig()).isEqualTo(TlsConfig.NONE);
        // a global timeout longer than the job's interval is cut to the interval, as Prometheus does
        assertThat(c.scrapeConfigs().get(1).scrapeTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.scrapeConfigs().get(2).scrapeInterval()).isEqualTo(Duration.ofMinutes(90));
        assertThat(c.scrapeConfigs().get(2).scrapeTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(parse("global:\n  scrape_interval: 5s\n").scrapeTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(parse("global:\n  scrape_interval: 1d\n").scrapeInterval()).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void timeoutsLongerThanTheIntervalAreRefused() {
        assertError(
                "global:\n  scrape_interval: 10s\n  scrape_timeout: 20s\n",
                3,
                "global.scrape_timeout",
                "global scrape timeout greater than scrape interval");
        assertError(
                "scrape_configs:\n- job_name: x\n  scrape_interval: 5s\n  scrape_timeout: 6s\n",
                4,
                "scrape_configs[0].scrape_timeout",
                "scrape timeout greater than scrape interval for scrape config with job name \"x\"");
    }

    @Test
    void badDurationsNameTheKey() {
        assertError("global:\n  scrape_interval: 1.5m\n", 2, "global.scrape_interval", "unknown unit \".\"");
        assertError(
                "scrape_configs:\n- job_name: x\n  scrape_timeout: 10\n",
                3,
                "scrape_configs[0].scrape_timeout",
                "not a valid duration string: \"10\"");
    }

    @Test
    void unknownKeysAreErrors() {
        assertError(
                "scrape_configs:\n- job_name: x\n  metric_path: /m\n",
                3,
                "scrape_configs[0].metric_path",
                "unknown key");
        assertError("globals: {}\n", 1, "globals", "unknown key");
        assertError(
                "scrape_configs:\n- job_name: x\n  relabel_configs:\n  - action: keep\n    regexp: a\n",
                5,
                "scrape_configs[0].relabel_configs[0].regexp",
                "unknown key");
    }

    @Test
    void prometheusKeysThatAreNotImplementedAreErrors() {
        assertError(
                "scrape_configs:\n- job_name: x\n  file_sd_configs: [{files: [a.json]}]\n",
                3,
                "scrape_configs[0].file_sd_configs",
                "is not implemented: kubernetes_sd_configs and static_configs");
        assertError(
                "scrape_configs:\n- job_name: x\n  ec2_sd_configs: []\n",
                3,
                "scrape_configs[0].ec2_sd_configs",
                "is not implemented");
        assertError(
                "scrape_configs:\n- job_name: x\n  basic_auth: {username: u}\n",
                3,
                "scrape_configs[0].basic_auth",
                "kubelogs does not implement");
        for (String key : List.of(
                "oauth2: {}",
                "proxy_url: http://p",
                "follow_redirects: false",
                "enable_http2: false",
                "keep_dropped_targets: 1")) {
            assertError(
                    "scrape_configs:\n- job_name: x\n  " + key + "\n",
                    3,
                    "scrape_configs[0]." + key.substring(0, key.indexOf(':')),
                    "kubelogs does not implement");
        }
        assertError("global:\n  external_labels: {cluster: a}\n", 2, "global.external_labels", "use relabel_configs");
        assertError("remote_write: []\n", 1, "remote_write", "kubelogs does not implement");
        assertError(
                "scrape_configs:\n- job_name: x\n  kubernetes_sd_configs:\n  - role: pod\n"
                        + "    kubeconfig_file: /k\n",
                5,
                "scrape_configs[0].kubernetes_sd_configs[0].kubeconfig_file",
                "kubelogs does not implement");
        assertError(
                "scrape_configs:\n- job_name: x\n  tls_config:\n    ca: PEM\n",
                4,
                "scrape_configs[0].tls_config.ca",
                "kubelogs does not implement");
        assertError(
                "global:\n  metric_name_validation_scheme: legacy\n",
                2,
                "global.metric_name_validation_scheme",
                "legacy name validation is not implemented");
    }

    @Test
    void keysWithoutMeaningForAScraperAreAcceptedWithAWarning() {
        List<String> warnings = new ArrayList<>();
        PrometheusConfigParser.parse("""
                global:
                  evaluation_interval: 15s
                rule_files: [rules.yml]
                alerting: {alertmanagers: []}
                scrape_configs:
                - job_name: x
                  track_timestamps_staleness: true
                  metric_name_validation_scheme: utf8
                """, "p.yaml", warnings::add);
        assertThat(warnings)
                .containsExactly(
                        "p.yaml:3: rule_files has no effect: kubelogs evaluates no rules or alerts; accepted and ignored",
                        "p.yaml:4: alerting has no effect: kubelogs evaluates no rules or alerts; accepted and ignored",
                        "p.yaml:2: global.evaluation_interval has no effect on scraping; accepted and ignored",
                        "p.yaml:7: scrape_configs[0].track_timestamps_staleness has no effect: kubelogs writes no staleness"
                                + " markers; accepted and ignored");
    }

    @Test
    void bodySizeLimitIsReadAsUnitsParseBase2Bytes() {
        // alecthomas/units: fractions, a sign, IEC units or the older ones but not both, powers of 1024
        assertThat(bodySizeLimit("1.5MB")).isEqualTo(1_572_864L);
        assertThat(bodySizeLimit(".5KiB")).isEqualTo(512L);
        assertThat(bodySizeLimit("1KB512B")).isEqualTo(1536L);
        assertThat(bodySizeLimit("-1MB")).isEqualTo(-1_048_576L);
        assertError(
                "scrape_configs:\n- job_name: a\n  body_size_limit: 1MiB512KB\n",
                3,
                "scrape_configs[0].body_size_limit",
                "units: unknown unit MiB in 1MiB512KB");
    }

    private static long bodySizeLimit(String value) {
        return parse("scrape_configs:\n- job_name: a\n  body_size_limit: " + value + "\n")
                .scrapeConfigs()
                .get(0)
                .options()
                .bodySizeLimitBytes();
    }

    @Test
    void limitsAndCompressionWithGlobalInheritance() {
        PrometheusConfig c = parse("""
                global:
                  sample_limit: 500
                  label_limit: 30
                  body_size_limit: 1MB
                scrape_configs:
                - job_name: a
                - job_name: b
                  sample_limit: 10
                  body_size_limit: 2GiB512MiB
                  label_limit: 5
                  label_name_length_limit: 100
                  label_value_length_limit: 200
                  target_limit: 7
                  enable_compression: false
                """);
        ScrapeConfig a = c.scrapeConfigs().get(0);
        assertThat(a.sampleLimit()).isEqualTo(500);
        assertThat(a.options()).isEqualTo(new ScrapeOptions(1 << 20, 30, 0, 0, 0, true));
        ScrapeConfig b = c.scrapeConfigs().get(1);
        assertThat(b.sampleLimit()).isEqualTo(10);
        assertThat(b.options()).isEqualTo(new ScrapeOptions((2L << 30) + (512L << 20), 5, 100, 200, 7, false));
        assertError(
                "scrape_configs:\n- job_name: a\n  body_size_limit: 10\n",
                3,
                "scrape_configs[0].body_size_limit",
                "must be a size such as 10MB");
        assertError(
                "scrape_configs:\n- job_name: a\n  sample_limit: -1\n",
                3,
                "scrape_configs[0].sample_limit",
                "must be a non-negative whole number");
        assertError(
                "scrape_configs:\n- job_name: a\n  enable_compression: yes please\n",
                3,
                "scrape_configs[0].enable_compression",
                "must be true or false");
    }

    @Test
    void relabelRulesAreCheckedWhereTheyAreWritten() {
        assertError(
                """
                scrape_configs:
                - job_name: x
                  relabel_configs:
                  - action: keep
                    regex: a
                  - source_labels: [a]
                    action: Replace
                """,
                6,
                "scrape_configs[0].relabel_configs[1].target_label",
                "relabel configuration for replace action requires 'target_label' value");
        assertError("""
                scrape_configs:
                - job_name: x
                  metric_relabel_configs:
                  - source_labels: [a]
                    regex: (unclosed
                    action: drop
                """, 5, "scrape_configs[0].metric_relabel_configs[0].regex", "invalid regular expression");
        assertError(
                "scrape_configs:\n- job_name: x\n  relabel_configs:\n  - action: explode\n",
                4,
                "scrape_configs[0].relabel_configs[0].action",
                "unknown relabel action \"explode\"");
        assertError(
                "scrape_configs:\n- job_name: x\n  relabel_configs:\n  - action: hashmod\n    target_label: t\n",
                4,
                "scrape_configs[0].relabel_configs[0].modulus",
                "requires non-zero modulus");
    }

    @Test
    void relabelDefaultsAndCaseInsensitiveActions() {
        RelabelConfig r = parse("""
                scrape_configs:
                - job_name: x
                  relabel_configs:
                  - source_labels: [a, b]
                    separator: ","
                    action: HashMod
                    modulus: 18446744073709551615
                    target_label: t
                  - target_label: u
                    regex:
                """).scrapeConfigs().get(0).relabelConfigs().get(0);
        assertThat(r)
                .isEqualTo(new RelabelConfig(List.of("a", "b"), ",", "(.*)", -1L, "t", "$1", RelabelAction.HASHMOD));
    }

    @Test
    void relabelKeysGivenWithoutAValueAreEmptyNotDefaulted() {
        // yaml.v2 zeroes a field for a null value, after relabel.Config took its defaults
        RelabelConfig r = parse("""
                scrape_configs:
                - job_name: x
                  relabel_configs:
                  - source_labels: [a, b]
                    separator:
                    target_label: t
                    replacement:
                """).scrapeConfigs().get(0).relabelConfigs().get(0);
        assertThat(r).isEqualTo(new RelabelConfig(List.of("a", "b"), "", "(.*)", 0, "t", "", RelabelAction.REPLACE));
        assertError(
                "scrape_configs:\n- job_name: x\n  relabel_configs:\n  - action:\n    target_label: t\n",
                4,
                "scrape_configs[0].relabel_configs[0].action",
                "relabel action cannot be empty");
        assertError(
                "scrape_configs:\n- job_name: x\n  relabel_configs:\n  - source_labels: [a, '']\n    target_label: t\n",
                4,
                "scrape_configs[0].relabel_configs[0].source_labels[1]",
                "\"\" is not a valid label name");
    }

    @Test
    void keysPrometheusRefusesByTheirPresenceAreRefused() {
        // relabel.Config.Validate compares the regex by pointer and source_labels against nil
        assertError(
                "scrape_configs:\n- job_name: x\n  relabel_configs:\n  - action: keepequal\n    source_labels: [a]\n"
                        + "    target_label: b\n    regex: (.*)\n",
                7,
                "scrape_configs[0].relabel_configs[0].regex",
                "keepequal action requires only 'source_labels' and `target_label`, and no other fields");
        assertError(
                "scrape_configs:\n- job_name: x\n  relabel_configs:\n  - action: labeldrop\n    source_labels: []\n"
                        + "    regex: tmp_.*\n",
                5,
                "scrape_configs[0].relabel_configs[0].source_labels",
                "labeldrop action requires only 'regex', and no other fields");
        assertThat(parse("scrape_configs:\n- job_name: x\n  relabel_configs:\n  - action: labelkeep\n"
                                + "    source_labels:\n    regex: a\n")
                        .scrapeConfigs()
                        .get(0)
                        .relabelConfigs())
                .hasSize(1);
    }

    @Test
    void aStaticTargetWithASlashIsAcceptedWhenRelabelingMayFixTheAddress() {
        // config.go checkStaticTargets runs only when the job has no relabel_configs
        StaticConfig s = parse("""
                scrape_configs:
                - job_name: x
                  static_configs:
                  - targets: ['http://h:1/metrics']
                  relabel_configs:
                  - source_labels: [__address__]
                    regex: 'https?://([^/]+)/.*'
                    target_label: __address__
                """).scrapeConfigs().get(0).staticConfigs().get(0);
        assertThat(s.targets()).containsExactly("http://h:1/metrics");
    }

    @Test
    void booleansAreReadAsYaml11AsPrometheusReadsThem() {
        // yaml.v2 accepts y/yes/on/true and n/no/off/false, each in lower, Title and UPPER case, for a bool field
        ScrapeConfig job = parse("""
                scrape_configs:
                - job_name: x
                  honor_labels: True
                  honor_timestamps: off
                  enable_compression: NO
                  tls_config:
                    insecure_skip_verify: yes
                """).scrapeConfigs().get(0);
        assertThat(job.honorLabels()).isTrue();
        assertThat(job.honorTimestamps()).isFalse();
        assertThat(job.options().enableCompression()).isFalse();
        assertThat(job.tlsConfig().insecureSkipVerify()).isTrue();
        assertError(
                "scrape_configs:\n- job_name: x\n  honor_labels: tRUE\n",
                3,
                "scrape_configs[0].honor_labels",
                "must be true or false");
    }

    @Test
    void jobNamesAreRequiredAndUnique() {
        assertError("scrape_configs:\n- scrape_interval: 1m\n", 2, "scrape_configs[0].job_name", "job_name is empty");
        assertError(
                "scrape_configs:\n- job_name: a\n- job_name: a\n",
                3,
                "scrape_configs[1].job_name",
                "found multiple scrape configs with job name \"a\"");
        assertError(
                "scrape_configs:\n- job_name: a\n  job_name: b\n", 3, "scrape_configs[0].job_name", "duplicate key");
        assertThat(parse("scrape_configs:\n- job_name: a\n  scheme: HTTPS\n")
                        .scrapeConfigs()
                        .get(0)
                        .scheme())
                .isEqualTo("HTTPS");
        assertError(
                "scrape_configs:\n- job_name: a\n  scheme: ftp\n",
                3,
                "scrape_configs[0].scheme",
                "must be http or https");
    }

    @Test
    void kubernetesDiscovery() {
        KubernetesSdConfig sd =
                parse("""
                scrape_configs:
                - job_name: x
                  kubernetes_sd_configs:
                  - role: endpoints
                    api_server: https://k8s.example:6443
                    namespaces:
                      own_namespace: true
                      names: [a, b]
                    selectors:
                    - role: endpoints
                      label: app=web
                      field: metadata.name=web
                """).scrapeConfigs().get(0).kubernetesSdConfigs().get(0);
        assertThat(sd)
                .isEqualTo(new KubernetesSdConfig(
                        KubernetesRole.ENDPOINTS,
                        List.of("a", "b"),
                        true,
                        "app=web",
                        "metadata.name=web",
                        "https://k8s.example:6443"));
        KubernetesSdConfig ingress =
                parse("""
                scrape_configs:
                - job_name: x
                  kubernetes_sd_configs:
                  - role: ingress
                    selectors:
                    - role: ingress
                      label: app=web
                """).scrapeConfigs().get(0).kubernetesSdConfigs().get(0);
        assertThat(ingress)
                .isEqualTo(new KubernetesSdConfig(KubernetesRole.INGRESS, List.of(), false, "app=web", null, null));
        String job = "scrape_configs:\n- job_name: x\n  kubernetes_sd_configs:\n";
        assertError(
                job + "  - namespaces: {names: [a]}\n",
                4,
                "scrape_configs[0].kubernetes_sd_configs[0].role",
                "role missing or unknown");
        assertError(
                job + "  - role: ingresses\n",
                4,
                "scrape_configs[0].kubernetes_sd_configs[0].role",
                "role missing or unknown (one of: pod, service, endpoints, endpointslice, node, ingress)");
        assertError(
                job + "  - role: pod\n    selectors:\n    - role: service\n",
                6,
                "scrape_configs[0].kubernetes_sd_configs[0].selectors[0].role",
                "selector role \"service\" is not allowed for pod role");
        assertError(
                job + "  - role: endpoints\n    selectors:\n    - role: pod\n      label: a=b\n",
                6,
                "scrape_configs[0].kubernetes_sd_configs[0].selectors[0].role",
                "selectors for role pod in a endpoints discovery are not implemented");
        assertError(
                job + "  - role: pod\n    selectors:\n    - role: pod\n    - role: pod\n",
                7,
                "scrape_configs[0].kubernetes_sd_configs[0].selectors[1].role",
                "duplicated selector role: pod");
        assertError(
                job + "  - role: pod\n    attach_metadata: {node: true}\n",
                5,
                "scrape_configs[0].kubernetes_sd_configs[0].attach_metadata",
                "kubelogs does not implement");
    }

    @Test
    void staticTargetsAndTheirLabels() {
        StaticConfig s = parse("""
                scrape_configs:
                - job_name: x
                  static_configs:
                  - targets: ['localhost:9100', '10.0.0.1:80']
                    labels: {env: prod, "dotted.name": v}
                """).scrapeConfigs().get(0).staticConfigs().get(0);
        assertThat(s)
                .isEqualTo(new StaticConfig(
                        List.of("localhost:9100", "10.0.0.1:80"), Labels.of("env", "prod", "dotted.name", "v")));
        assertError(
                "scrape_configs:\n- job_name: x\n  static_configs:\n  - labels: {\"\": v}\n",
                4,
                "scrape_configs[0].static_configs[0].labels.",
                "\"\" is not a valid label name");
        assertError(
                "scrape_configs:\n- job_name: x\n  kubernetes_sd_configs:\n  - role: pod\n"
                        + "    namespaces: {own: true}\n",
                5,
                "scrape_configs[0].kubernetes_sd_configs[0].namespaces.own",
                "unknown key");
        assertError(
                "scrape_configs:\n- job_name: x\n  body_size_limit: 99999999999EB\n",
                3,
                "scrape_configs[0].body_size_limit",
                "units: overflow parsing unit");
        assertError(
                "scrape_configs:\n- job_name: x\n  static_configs:\n  - targets: ['h:1/metrics']\n",
                4,
                "scrape_configs[0].static_configs[0].targets[0]",
                "\"h:1/metrics\" is not a valid hostname");
    }

    @Test
    void paramsAuthorizationAndTls() {
        ScrapeConfig j = parse("""
                scrape_configs:
                - job_name: x
                  scheme: https
                  params: {module: [http_2xx, b]}
                  bearer_token_file: /var/run/secrets/token
                  tls_config:
                    ca_file: /ca.pem
                    cert_file: /c.pem
                    key_file: /k.pem
                    server_name: s
                    insecure_skip_verify: true
                """).scrapeConfigs().get(0);
        assertThat(j.params()).isEqualTo(Map.of("module", List.of("http_2xx", "b")));
        assertThat(j.authorization()).isEqualTo(new Authorization("Bearer", null, "/var/run/secrets/token"));
        assertThat(j.tlsConfig()).isEqualTo(new TlsConfig("/ca.pem", "/c.pem", "/k.pem", "s", true));
        List<ScrapeConfig> all = parse("""
                scrape_configs:
                - job_name: y
                  authorization:
                    credentials: secret
                - job_name: z
                  authorization:
                    type: Token
                    credentials_file: /t
                """).scrapeConfigs();
        assertThat(all.get(0).authorization()).isEqualTo(new Authorization("Bearer", "secret", null));
        assertThat(all.get(1).authorization()).isEqualTo(new Authorization("Token", null, "/t"));
        String job = "scrape_configs:\n- job_name: x\n";
        assertError(
                job + "  bearer_token: a\n  bearer_token_file: b\n",
                4,
                "scrape_configs[0].bearer_token_file",
                "at most one of bearer_token & bearer_token_file");
        assertError(
                job + "  bearer_token: a\n  authorization: {credentials: b}\n",
                4,
                "scrape_configs[0].authorization",
                "at most one of bearer_token, bearer_token_file & authorization");
        assertError(
                job + "  authorization: {type: Basic, credentials: b}\n",
                3,
                "scrape_configs[0].authorization.type",
                "use \"basic_auth\" instead");
        assertError(
                job + "  authorization: {credentials: a, credentials_file: b}\n",
                3,
                "scrape_configs[0].authorization",
                "at most one of authorization credentials & credentials_file");
        assertError(
                job + "  tls_config: {cert_file: /c}\n",
                3,
                "scrape_configs[0].tls_config",
                "cert_file and key_file must be configured together");
    }

    @Test
    void loadsFromAFileOrAnEnvironmentVariable() throws Exception {
        Path file = tmp.resolve("prometheus.yaml");
        Files.writeString(file, "scrape_configs:\n- job_name: from-file\n");
        assertThat(PrometheusConfigParser.load(file.toString(), name -> null)
                        .scrapeConfigs()
                        .get(0)
                        .jobName())
                .isEqualTo("from-file");
        assertThat(PrometheusConfigParser.load("env:PROM", Map.of("PROM", "scrape_configs:\n- job_name: e\n")::get)
                        .scrapeConfigs()
                        .get(0)
                        .jobName())
                .isEqualTo("e");
        assertThatThrownBy(() -> PrometheusConfigParser.load("env:PROM", name -> null))
                .isInstanceOf(MetricsConfigException.class)
                .hasMessage("env:PROM: environment variable PROM is not set or empty");
        assertThatThrownBy(() ->
                        PrometheusConfigParser.load(tmp.resolve("absent.yaml").toString(), name -> null))
                .isInstanceOf(MetricsConfigException.class)
                .hasMessageContaining("absent.yaml: cannot be read: ")
                .hasMessageContaining("NoSuchFileException");
        assertThatThrownBy(() -> PrometheusConfigParser.parse("scrape_configs: [\n", "broken.yaml"))
                .isInstanceOf(MetricsConfigException.class)
                .hasMessageStartingWith("broken.yaml:")
                .hasMessageContaining("cannot be read");
    }

    @Test
    void anEmptyFileHasNoJobs() {
        assertThat(parse("").scrapeConfigs()).isEmpty();
        assertThat(parse("").scrapeInterval()).isEqualTo(Duration.ofMinutes(1));
    }

    private static PrometheusConfig parse(String yaml) {
        return PrometheusConfigParser.parse(yaml, "p.yaml", w -> {});
    }

    private static void assertError(String yaml, int line, String path, String message) {
        assertThatThrownBy(() -> parse(yaml)).isInstanceOfSatisfying(MetricsConfigException.class, e -> {
            assertThat(e.file()).isEqualTo("p.yaml");
            assertThat(e.path()).isEqualTo(path);
            assertThat(e.getMessage()).contains(message);
            assertThat(e.line()).isEqualTo(line);
        });
    }
}
