package dev.kubelogs.bench;

import dev.kubelogs.k8s.Kustomization;
import dev.kubelogs.k8s.ManifestDoc;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The settings the deployment ships, read from its manifests (not a second copy): the FlinkDeployment's checkpointing,
 * state backend, parallelism and job arguments, and the collector DaemonSet's segment settings. Placeholders
 * ({@code ${CLUSTER_NAME}}, …) are filled with the bench's values. The manifests, or a variant of them (the Kinesis
 * transport's, {@code k8s/kinesis}), are read as kustomize builds them ({@link Kustomization}).
 *
 * @param flinkConfig the FlinkDeployment's {@code flinkConfiguration}, as given
 * @param jobArgs the FlinkDeployment's {@code job.args}, as given
 * @param parallelism the FlinkDeployment's {@code job.parallelism}
 * @param collectorEnv the DaemonSet's literal {@code env} values that set segment rolling or polling (none: the
 *     collector's defaults apply, as in the pod)
 * @param taskManagerMemory the FlinkDeployment's {@code taskManager.resource.memory} (Flink's process size)
 * @param jobManagerMemory the FlinkDeployment's {@code jobManager.resource.memory}
 * @param overlay the overlay of the manifests these settings are a variant's ({@code k8s/kinesis}), or null: the base
 */
public record ShippedSettings(
        Map<String, String> flinkConfig,
        List<String> jobArgs,
        int parallelism,
        Map<String, String> collectorEnv,
        String taskManagerMemory,
        String jobManagerMemory,
        String overlay) {

    /** The placeholders' values in the bench: its bucket, cluster name (the collectors' CLUSTER_NAME) and region. */
    static final Map<String, String> BENCH_PLACEHOLDERS =
            Map.of("KUBELOGS_BUCKET", "bench-bucket", "CLUSTER_NAME", "bench", "AWS_REGION", "us-west-2");

    static final String FLINK_DEPLOYMENT = "k8s/manifests/40-flinkdeployment.yaml";
    static final String COLLECTOR_DAEMONSET = "k8s/manifests/30-collector-daemonset.yaml";
    /** The base manifests, a kustomization ({@code kubectl apply -k}). */
    static final String MANIFESTS = "k8s/manifests";

    static final String FLINK_DEPLOYMENT_NAME = "kubelogs-job";
    static final String COLLECTOR_DAEMONSET_NAME = "kubelogs-collector";
    /** The job arguments the bench sets itself (or that belong to the metrics branch, which this bench leaves off). */
    private static final Set<String> BENCH_OWNS = Set.of(
            "--spool",
            "--region",
            "--prometheus-config",
            "--cluster",
            "--transport",
            "--kinesis-stream",
            "--kinesis-region",
            "--kinesis-endpoint");
    /** The collector's literal settings that shape segments: rolling, polling and the longest line. */
    private static final Set<String> COLLECTOR_SETTINGS = Set.of("POLL_INTERVAL", "MAX_LINE_BYTES");

    /** The base deployment's settings ({@code k8s/manifests}). */
    public static ShippedSettings read(Path repoRoot, Map<String, String> placeholders) {
        return read(repoRoot, placeholders, null);
    }

    /** The settings of the variant {@code overlay} ({@code k8s/kinesis}) makes of the base; null: the base's. */
    public static ShippedSettings read(Path repoRoot, Map<String, String> placeholders, String overlay) {
        List<ManifestDoc> docs = Kustomization.build(
                repoRoot.resolve(overlay == null ? MANIFESTS : overlay), text -> fill(text, placeholders));
        JsonNode flink = only(docs, "FlinkDeployment", FLINK_DEPLOYMENT_NAME).path("spec");
        Map<String, String> conf = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : flink.path("flinkConfiguration").properties()) {
            conf.put(e.getKey(), e.getValue().asString());
        }
        List<String> args = new ArrayList<>();
        flink.path("job").path("args").forEach(a -> args.add(a.asString()));
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode containers = only(docs, "DaemonSet", COLLECTOR_DAEMONSET_NAME).at("/spec/template/spec/containers");
        for (JsonNode c : containers) {
            for (JsonNode e : c.path("env")) {
                String name = e.path("name").asString();
                if (e.has("value") && (name.startsWith("SEGMENT_") || COLLECTOR_SETTINGS.contains(name))) {
                    env.put(name, e.path("value").asString());
                }
            }
        }
        return new ShippedSettings(
                conf,
                args,
                flink.path("job").path("parallelism").asInt(1),
                env,
                flink.path("taskManager").path("resource").path("memory").asString(),
                flink.path("jobManager").path("resource").path("memory").asString(),
                overlay);
    }

    private static JsonNode only(List<ManifestDoc> docs, String kind, String name) {
        List<ManifestDoc> hits = docs.stream()
                .filter(d -> d.kind().equals(kind) && d.name().equals(name))
                .toList();
        if (hits.size() != 1) {
            throw new IllegalStateException(
                    "the manifests hold " + hits.size() + " " + kind + " objects named " + name + ", not one");
        }
        return hits.get(0).tree();
    }

    /** Where these settings come from, for the report: {@code shipped}, or {@code shipped: k8s/kinesis}. */
    public String source() {
        return overlay == null ? "shipped" : "shipped: " + overlay;
    }

    static String fill(String text, Map<String, String> placeholders) {
        String out = text;
        for (Map.Entry<String, String> p : placeholders.entrySet()) {
            out = out.replace("${" + p.getKey() + "}", p.getValue());
        }
        return out;
    }

    /** The value of a job argument ({@code --discovery-interval 5s}), or null. */
    public String jobArg(String flag) {
        int i = jobArgs.indexOf(flag);
        return i < 0 || i + 1 >= jobArgs.size() ? null : jobArgs.get(i + 1);
    }

    /** The job's arguments without the ones the bench sets itself. */
    public List<String> jobArgsForBench() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < jobArgs.size(); i++) {
            if (BENCH_OWNS.contains(jobArgs.get(i))) {
                i++;
            } else {
                out.add(jobArgs.get(i));
            }
        }
        return out;
    }

    /**
     * What the bench applies of {@link #flinkConfig}: checkpointing (but its directories, which are the bench's
     * endpoint) and the state backend's type.
     */
    public Map<String, String> checkpointingAndStateBackend() {
        Map<String, String> out = new LinkedHashMap<>();
        flinkConfig.forEach((k, v) -> {
            boolean checkpointing = k.startsWith("execution.checkpointing.")
                    && !k.equals("execution.checkpointing.dir")
                    && !k.equals("execution.checkpointing.savepoint-dir");
            if (checkpointing || k.equals("state.backend.type")) {
                out.put(k, v);
            }
        });
        return out;
    }

    /**
     * These settings with {@code overrides} applied: a key with a dot replaces a Flink setting, an upper-case name a
     * collector environment variable, and a lower-case name ({@code discovery-interval}, or {@code --discovery-interval})
     * a job argument.
     */
    public ShippedSettings with(Map<String, String> overrides) {
        Map<String, String> conf = new LinkedHashMap<>(flinkConfig);
        List<String> args = new ArrayList<>(jobArgs);
        Map<String, String> env = new LinkedHashMap<>(collectorEnv);
        overrides.forEach((key, v) -> {
            String k = key.matches("[a-z][a-z0-9-]*") ? "--" + key : key;
            if (k.startsWith("--")) {
                int i = args.indexOf(k);
                if (i >= 0 && i + 1 < args.size()) {
                    args.set(i + 1, v);
                } else {
                    args.add(k);
                    args.add(v);
                }
            } else if (k.startsWith("flink.")) {
                // Flink would take it as an unknown key and run the shipped value: the run would measure nothing new
                throw new IllegalArgumentException(
                        "override '" + k + "=" + v + "': Flink keys are given as "
                                + "flinkConfiguration names them, without a 'flink.' prefix (e.g. execution.checkpointing.interval)");
            } else if (k.contains(".")) {
                conf.put(k, v);
            } else if (k.equals(k.toUpperCase(java.util.Locale.ROOT))) {
                env.put(k, v);
            } else {
                throw new IllegalArgumentException(
                        "override '" + k + "=" + v + "' is neither a --job-flag, a Flink key "
                                + "(with a dot) nor a collector environment variable (UPPER_CASE)");
            }
        });
        return new ShippedSettings(conf, args, parallelism, env, taskManagerMemory, jobManagerMemory, overlay);
    }
}
