package dev.kubelogs.job.metrics.config;

import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.relabel.RelabelConfigException;
import dev.kubelogs.job.metrics.relabel.Relabeler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the agent's {@code prometheus.yaml} (Prometheus' configuration file) strictly: every key it accepts is
 * implemented, with Prometheus' defaults and checks; a Prometheus key that is not implemented, or an unknown key, is
 * an error naming the file, the line and the key path. Keys that cannot change what a scraper does and that
 * Prometheus itself accepts ({@code rule_files}, {@code alerting}, {@code global.evaluation_interval},
 * {@code global.rule_query_offset}, {@code global.query_log_file}, {@code track_timestamps_staleness}) are accepted
 * with a warning, so an unchanged Prometheus file still loads. {@code global.external_labels} is refused: Prometheus
 * adds them only when talking to other systems, and a user carrying them most likely expects them on every event
 * (add them with {@code relabel_configs} instead).
 */
public final class PrometheusConfigParser {
    private static final Logger LOG = LoggerFactory.getLogger(PrometheusConfigParser.class);
    private static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final String ENV_PREFIX = "env:";
    private static final YAMLFactory YAML = new YAMLFactory();
    /** The shipped default: the agent's EKS {@code prometheus.yaml} (four jobs). */
    public static final String DEFAULT_RESOURCE = "/metrics/default-prometheus.yaml";

    private static final Set<String> LIMITS = Set.of(
            "body_size_limit",
            "sample_limit",
            "label_limit",
            "label_name_length_limit",
            "label_value_length_limit",
            "target_limit");
    private static final Set<String> TOP = Set.of("global", "scrape_configs");
    private static final Set<String> TOP_WARNED = Set.of("rule_files", "alerting");
    private static final Map<String, String> TOP_REFUSED =
            refused("remote_write", "remote_read", "scrape_config_files", "storage", "tracing", "otlp", "runtime");
    private static final Set<String> GLOBAL =
            union(LIMITS, Set.of("scrape_interval", "scrape_timeout", "metric_name_validation_scheme"));
    private static final Set<String> GLOBAL_WARNED =
            Set.of("evaluation_interval", "rule_query_offset", "query_log_file");
    private static final Map<String, String> GLOBAL_REFUSED = merge(
            refused(
                    "scrape_protocols",
                    "keep_dropped_targets",
                    "scrape_failure_log_file",
                    "always_scrape_classic_histograms",
                    "convert_classic_histograms_to_nhcb",
                    "metric_name_escaping_scheme",
                    "scrape_native_histograms"),
            Map.of(
                    "external_labels",
                    "is not implemented: Prometheus adds external labels only when it talks to other"
                            + " systems; to put a label on every event use relabel_configs (target_label + replacement)"));
    private static final Set<String> JOB = union(
            LIMITS,
            Set.of(
                    "job_name",
                    "honor_labels",
                    "honor_timestamps",
                    "scheme",
                    "metrics_path",
                    "params",
                    "scrape_interval",
                    "scrape_timeout",
                    "enable_compression",
                    "relabel_configs",
                    "metric_relabel_configs",
                    "kubernetes_sd_configs",
                    "static_configs",
                    "tls_config",
                    "authorization",
                    "bearer_token",
                    "bearer_token_file",
                    "metric_name_validation_scheme"));
    private static final Set<String> JOB_WARNED = Set.of("track_timestamps_staleness");
    private static final Map<String, String> JOB_REFUSED = refused(
            "basic_auth",
            "oauth2",
            "proxy_url",
            "no_proxy",
            "proxy_from_environment",
            "proxy_connect_header",
            "follow_redirects",
            "enable_http2",
            "http_headers",
            "scrape_protocols",
            "fallback_scrape_protocol",
            "keep_dropped_targets",
            "native_histogram_bucket_limit",
            "native_histogram_min_bucket_factor",
            "scrape_classic_histograms",
            "always_scrape_classic_histograms",
            "convert_classic_histograms_to_nhcb",
            "scrape_native_histograms",
            "metric_name_escaping_scheme",
            "scrape_failure_log_file");
    private static final Set<String> RELABEL =
            Set.of("source_labels", "separator", "regex", "modulus", "target_label", "replacement", "action");
    private static final Set<String> KUBERNETES = Set.of("role", "namespaces", "selectors", "api_server");
    private static final Map<String, String> KUBERNETES_REFUSED = refused(
            "kubeconfig_file",
            "attach_metadata",
            "basic_auth",
            "authorization",
            "oauth2",
            "bearer_token",
            "bearer_token_file",
            "tls_config",
            "proxy_url",
            "no_proxy",
            "proxy_from_environment",
            "proxy_connect_header",
            "follow_redirects",
            "enable_http2",
            "http_headers");
    private static final Set<String> TLS =
            Set.of("ca_file", "cert_file", "key_file", "server_name", "insecure_skip_verify");
    private static final Map<String, String> TLS_REFUSED = refused("ca", "cert", "key", "min_version", "max_version");
    private final Consumer<String> warnings;

    private PrometheusConfigParser(Consumer<String> warnings) {
        this.warnings = warnings;
    }

    /** Parses {@code yaml}; {@code file} names it in errors. Warnings are logged. */
    public static PrometheusConfig parse(String yaml, String file) {
        return parse(yaml, file, LOG::warn);
    }

    /** Parses {@code yaml}, handing each warning (about a key accepted without effect) to {@code warnings}. */
    public static PrometheusConfig parse(String yaml, String file, Consumer<String> warnings) {
        return new PrometheusConfigParser(warnings).config(ConfigNode.parse(YAML, yaml, file));
    }

    /** The shipped default ({@link #DEFAULT_RESOURCE}). */
    public static PrometheusConfig parseDefault() {
        return parse(resource(DEFAULT_RESOURCE), "default-prometheus.yaml");
    }

    public static PrometheusConfig parseFile(Path file) {
        return parse(read(file), file.toString());
    }

    /**
     * Loads the file the agent's {@code prometheus_config_path} names: a path, or {@code env:NAME} for the YAML held
     * in environment variable {@code NAME} (as the agent reads it).
     */
    public static PrometheusConfig load(String prometheusConfigPath, Function<String, String> environment) {
        if (prometheusConfigPath.startsWith(ENV_PREFIX)) {
            String name = prometheusConfigPath.substring(ENV_PREFIX.length());
            String yaml = environment.apply(name);
            if (yaml == null || yaml.isBlank()) {
                throw new MetricsConfigException(
                        prometheusConfigPath, 0, "", "environment variable " + name + " is not set or empty");
            }
            return parse(yaml, prometheusConfigPath);
        }
        return parseFile(Path.of(prometheusConfigPath));
    }

    static String resource(String name) {
        try (InputStream in = PrometheusConfigParser.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the job's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + name, e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MetricsConfigException(file.toString(), 0, "", "cannot be read: " + e);
        }
    }

    private PrometheusConfig config(ConfigNode root) {
        warn(root.checkKeys(TOP, TOP_WARNED, TOP_REFUSED), "has no effect: kubelogs evaluates no rules or alerts");
        ConfigNode global = root.get("global");
        warn(global.checkKeys(GLOBAL, GLOBAL_WARNED, GLOBAL_REFUSED), "has no effect on scraping");
        validationScheme(global.get("metric_name_validation_scheme"));
        Duration interval = duration(global.get("scrape_interval"), DEFAULT_INTERVAL);
        Duration timeout = duration(global.get("scrape_timeout"), null);
        if (timeout == null) {
            timeout = DEFAULT_TIMEOUT.compareTo(interval) > 0 ? interval : DEFAULT_TIMEOUT;
        } else if (timeout.compareTo(interval) > 0) {
            throw global.get("scrape_timeout").error("global scrape timeout greater than scrape interval");
        }
        ScrapeOptions globalOptions = options(global, ScrapeOptions.DEFAULTS);
        long globalSampleLimit = global.get("sample_limit").count(0);

        List<ScrapeConfig> jobs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ConfigNode job : root.get("scrape_configs").list()) {
            ScrapeConfig c = job(job, interval, timeout, globalSampleLimit, globalOptions);
            if (!names.add(c.jobName())) {
                throw job.get("job_name").error("found multiple scrape configs with job name \"" + c.jobName() + "\"");
            }
            jobs.add(c);
        }
        return new PrometheusConfig(interval, timeout, List.copyOf(jobs));
    }

    private ScrapeConfig job(
            ConfigNode job,
            Duration globalInterval,
            Duration globalTimeout,
            long globalSampleLimit,
            ScrapeOptions globalOptions) {
        for (String key : job.map().keySet()) {
            if (key.endsWith("_sd_configs") && !key.equals("kubernetes_sd_configs")) {
                throw job.get(key).error("is not implemented: kubernetes_sd_configs and static_configs are");
            }
        }
        warn(job.checkKeys(JOB, JOB_WARNED, JOB_REFUSED), "has no effect: kubelogs writes no staleness markers");
        String name = job.get("job_name").text("");
        if (name.isEmpty()) {
            throw job.get("job_name").error("job_name is empty");
        }
        validationScheme(job.get("metric_name_validation_scheme"));
        Duration interval = duration(job.get("scrape_interval"), globalInterval);
        Duration timeout = duration(job.get("scrape_timeout"), null);
        if (timeout != null && timeout.compareTo(interval) > 0) {
            throw job.get("scrape_timeout")
                    .error("scrape timeout greater than scrape interval for scrape config with job name \"" + name
                            + "\"");
        }
        if (timeout == null) {
            timeout = globalTimeout.compareTo(interval) > 0 ? interval : globalTimeout;
        }
        String scheme = job.get("scheme").text("http");
        // any letter case: the request URL's scheme is lowercased (Go's url.Parse)
        if (!scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
            throw job.get("scheme").error("must be http or https, not \"" + scheme + "\"");
        }
        long sampleLimit = job.get("sample_limit").count(0);
        if (sampleLimit == 0) {
            sampleLimit = globalSampleLimit;
        }
        return new ScrapeConfig(
                name,
                interval,
                timeout,
                job.get("metrics_path").text("/metrics"),
                scheme,
                params(job.get("params")),
                toInt(job.get("sample_limit"), sampleLimit),
                job.get("honor_labels").yamlBool(false),
                job.get("honor_timestamps").yamlBool(true),
                kubernetes(job.get("kubernetes_sd_configs")),
                // as Prometheus' checkStaticTargets: only without relabel_configs, which may still fix __address__
                statics(
                        job.get("static_configs"),
                        job.get("relabel_configs").list().isEmpty()),
                relabels(job.get("relabel_configs")),
                relabels(job.get("metric_relabel_configs")),
                tls(job.get("tls_config")),
                authorization(job),
                options(job, globalOptions));
    }

    private ScrapeOptions options(ConfigNode node, ScrapeOptions inherited) {
        long body = bytes(node.get("body_size_limit"));
        return new ScrapeOptions(
                body == 0 ? inherited.bodySizeLimitBytes() : body,
                limit(node.get("label_limit"), inherited.labelLimit()),
                limit(node.get("label_name_length_limit"), inherited.labelNameLengthLimit()),
                limit(node.get("label_value_length_limit"), inherited.labelValueLengthLimit()),
                limit(node.get("target_limit"), inherited.targetLimit()),
                node.get("enable_compression").yamlBool(inherited.enableCompression()));
    }

    /** A limit of 0 (or none) inherits the global one, as Prometheus does. */
    private static int limit(ConfigNode node, int inherited) {
        int v = toInt(node, node.count(0));
        return v == 0 ? inherited : v;
    }

    private static int toInt(ConfigNode node, long v) {
        if (v > Integer.MAX_VALUE) {
            throw node.error("is too large: " + v);
        }
        return (int) v;
    }

    /** A size as Prometheus' {@code body_size_limit} reads it ({@link Base2Bytes}); 0 when not given. */
    static long bytes(ConfigNode node) {
        String s = node.text("0");
        try {
            return Base2Bytes.parse(s);
        } catch (IllegalArgumentException e) {
            throw node.error("must be a size such as 10MB or 512KiB, not \"" + s + "\" (" + e.getMessage() + ")");
        }
    }

    private static void validationScheme(ConfigNode node) {
        String scheme = node.text("utf8");
        if (scheme.equals("legacy")) {
            throw node.error("legacy name validation is not implemented (kubelogs validates as Prometheus 3: utf8)");
        }
        if (!scheme.equals("utf8")) {
            throw node.error("must be utf8 or legacy, not \"" + scheme + "\"");
        }
    }

    private static Duration duration(ConfigNode node, Duration fallback) {
        String s = node.text(null);
        if (s == null) {
            return fallback;
        }
        Duration d;
        try {
            d = PrometheusDuration.parse(s);
        } catch (IllegalArgumentException e) {
            throw node.error(e.getMessage());
        }
        // Prometheus treats a zero duration as unset
        return d.isZero() ? fallback : d;
    }

    private static Map<String, List<String>> params(ConfigNode node) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        node.map().forEach((name, values) -> params.put(name, List.copyOf(values.strings())));
        return params;
    }

    private static List<RelabelConfig> relabels(ConfigNode node) {
        List<RelabelConfig> rules = new ArrayList<>();
        for (ConfigNode rule : node.list()) {
            rule.checkKeys(RELABEL, Set.of(), Map.of());
            if (rule.has("action") && rule.get("action").isNull()) {
                throw rule.get("action").error("relabel action cannot be empty");
            }
            String actionName = rule.get("action").text("replace").toLowerCase(Locale.ROOT);
            RelabelAction action = null;
            for (RelabelAction a : RelabelAction.values()) {
                if (a.yamlName().equals(actionName)) {
                    action = a;
                }
            }
            if (action == null) {
                throw rule.get("action")
                        .error("unknown relabel action \"" + rule.get("action").text("") + "\"");
            }
            checkExplicitKeys(rule, action);
            ConfigNode modulus = rule.get("modulus");
            long mod;
            try {
                mod = Long.parseUnsignedLong(modulus.text("0"));
            } catch (NumberFormatException e) {
                throw modulus.error("must be a non-negative whole number, not \"" + modulus.text("") + "\"");
            }
            List<String> sourceLabels = rule.get("source_labels").strings();
            for (int k = 0; k < sourceLabels.size(); k++) {
                if (!Relabeler.isValidLabelName(sourceLabels.get(k))) {
                    throw rule.get("source_labels")
                            .list()
                            .get(k)
                            .error("\"" + sourceLabels.get(k) + "\" is not a valid label name");
                }
            }
            // a key given without a value (`regex:`, `replacement:`) is the empty string, not the default: YAML
            // null zeroes the field Prometheus had set to its default
            rules.add(new RelabelConfig(
                    sourceLabels,
                    explicitOr(rule, "separator", ";"),
                    explicitOr(rule, "regex", "(.*)"),
                    mod,
                    rule.get("target_label").text(""),
                    explicitOr(rule, "replacement", "$1"),
                    action));
        }
        try {
            new Relabeler(rules);
        } catch (RelabelConfigException e) {
            ConfigNode rule = node.list().get(e.ruleIndex());
            ConfigNode at = rule.has(e.field()) ? rule.get(e.field()) : rule;
            throw new MetricsConfigException(at.file(), at.line(), rule.path() + "." + e.field(), e.reason());
        }
        return List.copyOf(rules);
    }

    /**
     * What Prometheus' {@code relabel.Config.Validate} refuses by identity rather than by value: keepequal and dropequal
     * compare the compiled regex with the default one's pointer, so any {@code regex} written for them (even
     * {@code (.*)}) is refused; labeldrop and labelkeep test {@code source_labels} against nil, so a written list
     * (even {@code []}) is refused.
     */
    private static void checkExplicitKeys(ConfigNode rule, RelabelAction action) {
        boolean equalAction = action == RelabelAction.KEEPEQUAL || action == RelabelAction.DROPEQUAL;
        if (equalAction && rule.has("regex")) {
            throw rule.get("regex")
                    .error(action.yamlName()
                            + " action requires only 'source_labels' and `target_label`, and no other fields");
        }
        boolean labelAction = action == RelabelAction.LABELDROP || action == RelabelAction.LABELKEEP;
        if (labelAction
                && rule.has("source_labels")
                && !rule.get("source_labels").isNull()) {
            throw rule.get("source_labels")
                    .error(action.yamlName() + " action requires only 'regex', and no other fields");
        }
    }

    /** The key's text; "" when it is there without a value; {@code fallback} when it is absent. */
    private static String explicitOr(ConfigNode rule, String key, String fallback) {
        return rule.has(key) ? rule.get(key).text("") : fallback;
    }

    private static List<KubernetesSdConfig> kubernetes(ConfigNode node) {
        List<KubernetesSdConfig> out = new ArrayList<>();
        for (ConfigNode sd : node.list()) {
            sd.checkKeys(KUBERNETES, Set.of(), KUBERNETES_REFUSED);
            String roleName = sd.get("role").text("");
            KubernetesRole role = null;
            for (KubernetesRole r : KubernetesRole.values()) {
                if (r.yamlName().equals(roleName)) {
                    role = r;
                }
            }
            if (role == null) {
                throw sd.get("role")
                        .error("role missing or unknown (one of: pod, service, endpoints, endpointslice, node,"
                                + " ingress): \"" + roleName + "\"");
            }
            ConfigNode namespaces = sd.get("namespaces");
            namespaces.checkKeys(Set.of("names", "own_namespace"), Set.of(), Map.of());
            String label = null;
            String field = null;
            Set<String> seen = new HashSet<>();
            for (ConfigNode selector : sd.get("selectors").list()) {
                selector.checkKeys(Set.of("role", "label", "field"), Set.of(), Map.of());
                String selectorRole = selector.get("role").text("");
                if (!allowedSelectorRoles(role).contains(selectorRole)) {
                    throw selector.get("role")
                            .error("selector role \"" + selectorRole + "\" is not allowed for " + role.yamlName()
                                    + " role (allowed: " + allowedSelectorRoles(role) + ")");
                }
                if (!seen.add(selectorRole)) {
                    throw selector.get("role").error("duplicated selector role: " + selectorRole);
                }
                if (!selectorRole.equals(role.yamlName())) {
                    throw selector.get("role")
                            .error("selectors for role " + selectorRole + " in a " + role.yamlName()
                                    + " discovery are not implemented (only role " + role.yamlName() + ")");
                }
                label = blankToNull(selector.get("label").text(null));
                field = blankToNull(selector.get("field").text(null));
            }
            out.add(new KubernetesSdConfig(
                    role,
                    List.copyOf(namespaces.get("names").strings()),
                    namespaces.get("own_namespace").yamlBool(false),
                    label,
                    field,
                    blankToNull(sd.get("api_server").text(null))));
        }
        return List.copyOf(out);
    }

    /** Prometheus' allowed selector roles per discovery role. */
    private static Set<String> allowedSelectorRoles(KubernetesRole role) {
        switch (role) {
            case ENDPOINTS:
                return Set.of("pod", "service", "endpoints");
            case ENDPOINTSLICE:
                return Set.of("pod", "service", "endpointslice");
            default:
                return Set.of(role.yamlName());
        }
    }

    private static List<StaticConfig> statics(ConfigNode node, boolean checkAddresses) {
        List<StaticConfig> out = new ArrayList<>();
        for (ConfigNode sc : node.list()) {
            sc.checkKeys(Set.of("targets", "labels"), Set.of(), Map.of());
            List<ConfigNode> targetNodes = sc.get("targets").list();
            List<String> targets = new ArrayList<>();
            for (ConfigNode t : targetNodes) {
                String address = t.text("");
                if (checkAddresses && address.contains("/")) {
                    throw t.error("\"" + address + "\" is not a valid hostname");
                }
                targets.add(address);
            }
            Labels.Builder labels = Labels.builder();
            sc.get("labels").map().forEach((name, value) -> {
                if (!Relabeler.isValidLabelName(name)) {
                    throw value.error("\"" + name + "\" is not a valid label name");
                }
                labels.set(name, value.text(""));
            });
            out.add(new StaticConfig(List.copyOf(targets), labels.build()));
        }
        return List.copyOf(out);
    }

    private static TlsConfig tls(ConfigNode node) {
        if (node.isNull()) {
            return TlsConfig.NONE;
        }
        node.checkKeys(TLS, Set.of(), TLS_REFUSED);
        String cert = blankToNull(node.get("cert_file").text(null));
        String key = blankToNull(node.get("key_file").text(null));
        if ((cert == null) != (key == null)) {
            throw node.error("cert_file and key_file must be configured together");
        }
        return new TlsConfig(
                blankToNull(node.get("ca_file").text(null)),
                cert,
                key,
                blankToNull(node.get("server_name").text(null)),
                node.get("insecure_skip_verify").yamlBool(false));
    }

    private static Authorization authorization(ConfigNode job) {
        String token = blankToNull(job.get("bearer_token").text(null));
        String tokenFile = blankToNull(job.get("bearer_token_file").text(null));
        if (token != null && tokenFile != null) {
            throw job.get("bearer_token_file")
                    .error("at most one of bearer_token & bearer_token_file must be configured");
        }
        ConfigNode auth = job.get("authorization");
        if (auth.isNull()) {
            if (token != null || tokenFile != null) {
                return new Authorization("Bearer", token, tokenFile);
            }
            return null;
        }
        if (token != null || tokenFile != null) {
            throw auth.error("at most one of bearer_token, bearer_token_file & authorization must be configured");
        }
        auth.checkKeys(Set.of("type", "credentials", "credentials_file"), Set.of(), Map.of());
        String type = auth.get("type").text("Bearer");
        if (type.isBlank()) {
            type = "Bearer";
        }
        if (type.equalsIgnoreCase("basic")) {
            throw auth.get("type").error("authorization type cannot be set to \"basic\", use \"basic_auth\" instead");
        }
        String credentials = blankToNull(auth.get("credentials").text(null));
        String credentialsFile = blankToNull(auth.get("credentials_file").text(null));
        if (credentials != null && credentialsFile != null) {
            throw auth.error("at most one of authorization credentials & credentials_file must be configured");
        }
        return new Authorization(type, credentials, credentialsFile);
    }

    private void warn(List<ConfigNode> keys, String why) {
        keys.forEach(key -> warnings.accept(key.located(why + "; accepted and ignored")));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    static Map<String, String> refused(String... keys) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String k : keys) {
            m.put(k, "is a Prometheus setting kubelogs does not implement; remove it");
        }
        return m;
    }

    private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
        Map<String, String> m = new LinkedHashMap<>(a);
        m.putAll(b);
        return m;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> s = new HashSet<>(a);
        s.addAll(b);
        return Set.copyOf(s);
    }
}
