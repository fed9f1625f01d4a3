package dev.kubelogs.job.metrics.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import dev.kubelogs.job.metrics.relabel.Re2Regex;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the agent's {@code cwagentconfig.json}, its Prometheus part ({@code logs.metrics_collected.prometheus}),
 * strictly: unknown keys and agent keys that are not implemented are errors naming the file, line and key path.
 *
 * <ul>
 *   <li>{@code agent.region} is returned; {@code agent.debug}, {@code logfile}, {@code aws_sdk_log_level},
 *       {@code usage_data}, {@code run_as_user} and {@code metrics_collection_interval} (which the agent applies to
 *       its other inputs, not to Prometheus scraping) are accepted with a warning; {@code agent.credentials} is
 *       refused (the job uses its own credentials).
 *   <li>{@code logs.force_flush_interval} is accepted with a warning: events are written when a checkpoint
 *       completes (exactly-once), so the checkpoint interval sets the delay.
 *   <li>{@code ecs_service_discovery} is refused (ECS only); {@code disable_metric_extraction} is accepted when
 *       false (the default) and refused when true (not implemented).
 *   <li>{@code metric_declaration_dedup} is accepted whatever its value: dimension sets are always de-duplicated,
 *       as in the current agent.
 *   <li>Declarations are read as the agent's translator and exporter read them (see {@link #declaration}): what
 *       they drop is dropped with a warning; a metric selector that does not compile is an error (the agent stops);
 *       a {@code metric_unit} value that is not a CloudWatch unit is dropped with a warning, as the exporter does.
 *   <li>A value still holding a manifest template placeholder ({@code {{cluster_name}}}) is treated as unset, with a
 *       warning: the cluster then comes from the job, the log group from the cluster.
 * </ul>
 */
public final class CloudWatchAgentConfigParser {
    private static final Logger LOG = LoggerFactory.getLogger(CloudWatchAgentConfigParser.class);
    public static final String DEFAULT_NAMESPACE = "ContainerInsights/Prometheus";

    /** The shipped default: the agent's EKS {@code cwagentconfig.json}. */
    public static final String DEFAULT_RESOURCE = "/metrics/default-cwagentconfig.json";
    /** JSON as the agent reads it, plus comments (the shipped default names its source in one). */
    private static final JsonFactory JSON =
            JsonFactory.builder().enable(JsonReadFeature.ALLOW_JAVA_COMMENTS).build();

    /** The file's content: the agent's region (null when unset) and the Prometheus part. */
    public record Result(String region, CloudWatchAgentConfig prometheus) {}

    private final Consumer<String> warnings;

    private CloudWatchAgentConfigParser(Consumer<String> warnings) {
        this.warnings = warnings;
    }

    public static Result parse(String json, String file) {
        return parse(json, file, LOG::warn);
    }

    public static Result parse(String json, String file, Consumer<String> warnings) {
        return new CloudWatchAgentConfigParser(warnings).result(ConfigNode.parse(JSON, json, file));
    }

    /** The shipped default ({@link #DEFAULT_RESOURCE}). */
    public static Result parseDefault() {
        return parse(PrometheusConfigParser.resource(DEFAULT_RESOURCE), "default-cwagentconfig.json");
    }

    public static Result parseFile(Path file) {
        return parse(PrometheusConfigParser.read(file), file.toString());
    }

    private Result result(ConfigNode root) {
        root.checkKeys(
                Set.of("agent", "logs"),
                Set.of(),
                Map.of(
                        "metrics",
                        "is not implemented: kubelogs collects"
                                + " Prometheus metrics only (logs.metrics_collected.prometheus)"));
        ConfigNode agent = root.get("agent");
        warn(
                agent.checkKeys(
                        Set.of("region"),
                        Set.of(
                                "debug",
                                "logfile",
                                "aws_sdk_log_level",
                                "usage_data",
                                "run_as_user",
                                "metrics_collection_interval",
                                "omit_hostname"),
                        Map.of("credentials", "is not implemented: the job writes with its own AWS credentials")),
                "has no effect on Prometheus collection");
        String region = filled(agent.get("region"));

        ConfigNode logs = root.get("logs");
        warn(
                logs.checkKeys(
                        Set.of("metrics_collected"),
                        Set.of("force_flush_interval"),
                        Map.of(
                                "logs_collected",
                                        "is not implemented here: container logs are collected by the kubelogs node"
                                                + " collector",
                                "credentials", "is not implemented: the job writes with its own AWS credentials",
                                "endpoint_override", "is not implemented: the job's endpoint setting applies")),
                "has no effect: events are written when a checkpoint completes");
        ConfigNode collected = logs.get("metrics_collected");
        collected.checkKeys(Set.of("prometheus"), Set.of(), Map.of());
        ConfigNode prometheus = collected.get("prometheus");
        if (prometheus.kind() != ConfigNode.Kind.MAP) {
            throw prometheus.error("is required (a mapping)");
        }
        prometheus.checkKeys(
                Set.of(
                        "cluster_name",
                        "log_group_name",
                        "prometheus_config_path",
                        "emf_processor",
                        "disable_metric_extraction"),
                Set.of(),
                Map.of("ecs_service_discovery", "is ECS only; on Kubernetes targets come from kubernetes_sd_configs"));
        if (prometheus.get("disable_metric_extraction").bool(false)) {
            throw prometheus.get("disable_metric_extraction").error("true is not implemented");
        }
        String configPath = prometheus.get("prometheus_config_path").text(null);
        if (configPath != null && (configPath.isBlank() || configPath.equals("env:"))) {
            throw prometheus.get("prometheus_config_path").error("is empty");
        }
        return new Result(
                region,
                new CloudWatchAgentConfig(
                        filled(prometheus.get("cluster_name")),
                        filled(prometheus.get("log_group_name")),
                        configPath,
                        emf(prometheus.get("emf_processor"))));
    }

    private EmfProcessorConfig emf(ConfigNode emf) {
        emf.checkKeys(
                Set.of("metric_namespace", "metric_unit", "metric_declaration", "metric_declaration_dedup"),
                Set.of(),
                Map.of());
        emf.get("metric_declaration_dedup").bool(true);
        String namespace = emf.get("metric_namespace").text(DEFAULT_NAMESPACE);
        if (namespace.isEmpty() || namespace.length() > 255 || namespace.startsWith("AWS/")) {
            throw emf.get("metric_namespace").error("must be 1 to 255 characters and not start with AWS/");
        }
        Map<String, String> units = new LinkedHashMap<>();
        emf.get("metric_unit").map().forEach((metric, unit) -> {
            String u = unit.text("");
            if (EmfLimits.UNITS.contains(u)) {
                units.put(metric, u);
            } else {
                // the exporter drops such a descriptor ("Dropped unsupported metric desctriptor"): no Unit written
                warnings.accept(
                        unit.located("\"" + u + "\" " + EmfLimits.notAUnit() + "; dropped, as the agent drops it"));
            }
        });
        List<MetricDeclaration> declarations = new ArrayList<>();
        for (ConfigNode d : emf.get("metric_declaration").list()) {
            MetricDeclaration declaration = declaration(d);
            if (declaration != null) {
                declarations.add(declaration);
            }
        }
        return new EmfProcessorConfig(namespace, Map.copyOf(units), List.copyOf(declarations));
    }

    /**
     * One declaration as the agent's translator hands it to its exporter and the exporter validates it:
     * {@code label_matcher} defaults to {@code .*}, {@code label_separator} is never passed on (values are always
     * joined with {@code ;}); a declaration the translator or exporter drops (no selectors, no or an empty
     * {@code source_labels}, an empty matcher or one that does not compile) is dropped with a warning, as are
     * dimension sets of more than 10 names. Null when dropped.
     */
    private MetricDeclaration declaration(ConfigNode d) {
        d.checkKeys(
                Set.of("source_labels", "label_separator", "label_matcher", "metric_selectors", "dimensions"),
                Set.of(),
                Map.of());
        if (d.has("label_separator")) {
            warnings.accept(d.get("label_separator")
                    .located("has no effect: the agent does not pass it to its exporter, which joins the source label"
                            + " values with \";\"; accepted and ignored"));
        }
        List<String> selectors = new ArrayList<>();
        for (ConfigNode s : d.get("metric_selectors").list()) {
            String re = s.text("");
            // the exporter compiles selectors with regexp.MustCompile: a bad one stops the agent
            compile(s, re);
            selectors.add(re);
        }
        if (selectors.isEmpty()) {
            warnings.accept(d.located("has no metric_selectors; dropped, as the agent drops it"));
            return null;
        }
        if (!d.has("source_labels")) {
            // the translator skips a declaration without source labels (setPrometheusMetricDeclarations)
            warnings.accept(d.located("has no source_labels; dropped, as the agent drops it"));
            return null;
        }
        List<String> sourceLabels = d.get("source_labels").strings();
        String matcher = d.get("label_matcher").text(".*");
        if (sourceLabels.isEmpty() || matcher.isEmpty()) {
            warnings.accept(d.get(sourceLabels.isEmpty() ? "source_labels" : "label_matcher")
                    .located("is empty; the declaration is dropped, as the agent drops it"));
            return null;
        }
        try {
            Re2Regex.compile(matcher);
        } catch (PatternSyntaxException e) {
            warnings.accept(d.get("label_matcher")
                    .located("invalid regular expression \"" + matcher + "\": " + e.getDescription()
                            + "; the declaration is dropped, as the agent drops it"));
            return null;
        }
        List<List<String>> dimensions = new ArrayList<>();
        for (ConfigNode set : d.get("dimensions").list()) {
            List<String> names = set.strings();
            if (names.size() > EmfLimits.MAX_DECLARED_DIMENSIONS) {
                warnings.accept(set.located("has " + names.size() + " dimensions; dropped, as the agent drops sets of"
                        + " more than " + EmfLimits.MAX_DECLARED_DIMENSIONS));
                continue;
            }
            dimensions.add(List.copyOf(names));
        }
        return new MetricDeclaration(
                List.copyOf(sourceLabels), ";", matcher, List.copyOf(selectors), List.copyOf(dimensions));
    }

    private static void compile(ConfigNode at, String regex) {
        try {
            Re2Regex.compile(regex);
        } catch (PatternSyntaxException e) {
            throw at.error("invalid regular expression \"" + regex + "\": " + e.getDescription());
        }
    }

    /** The value, or null when unset or still a manifest template placeholder. */
    private String filled(ConfigNode node) {
        String v = node.text(null);
        if (v == null || v.isBlank()) {
            return null;
        }
        if (v.contains("{{") && v.contains("}}")) {
            warnings.accept(node.located("\"" + v + "\" is an unfilled template placeholder; treated as unset"));
            return null;
        }
        return v;
    }

    private void warn(List<ConfigNode> keys, String why) {
        keys.forEach(key -> warnings.accept(key.located(why + "; accepted and ignored")));
    }
}
