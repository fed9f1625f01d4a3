package dev.kubelogs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The settings the deployment ships, read from its manifests (not a second copy): the FlinkDeployment's checkpointing,
 * state backend, parallelism and job arguments, and the collector DaemonSet's segment settings. Placeholders
 * ({@code ${CLUSTER_NAME}}, …) are filled with the bench's values.
 *
 * @param flinkConfig the FlinkDeployment's {@code flinkConfiguration}, as given
 * @param jobArgs the FlinkDeployment's {@code job.args}, as given
 * @param parallelism the FlinkDeployment's {@code job.parallelism}
 * @param collectorEnv the DaemonSet's literal {@code env} values that set segment rolling or polling (none: the
 *     collector's defaults apply, as in the pod)
 * @param taskManagerMemory the FlinkDeployment's {@code taskManager.resource.memory} (Flink's process size)
 * @param jobManagerMemory the FlinkDeployment's {@code jobManager.resource.memory}
 */
public record ShippedSettings(
        Map<String, String> flinkConfig,
        List<String> jobArgs,
        int parallelism,
        Map<String, String> collectorEnv,
        String taskManagerMemory,
        String jobManagerMemory) {

    /** The placeholders' values in the bench: its bucket, cluster name (the collectors' CLUSTER_NAME) and region. */
    static final Map<String, String> BENCH_PLACEHOLDERS =
            Map.of("KUBELOGS_BUCKET", "bench-bucket", "CLUSTER_NAME", "bench", "AWS_REGION", "us-west-2");

    static final String FLINK_DEPLOYMENT = "k8s/manifests/40-flinkdeployment.yaml";
    static final String COLLECTOR_DAEMONSET = "k8s/manifests/30-collector-daemonset.yaml";
    /** The job arguments the bench sets itself (or that belong to the metrics branch, which this bench leaves off). */
    private static final Set<String> BENCH_OWNS = Set.of("--spool", "--region", "--prometheus-config", "--cluster");

    public static ShippedSettings read(Path repoRoot, Map<String, String> placeholders) throws IOException {
        YAMLMapper yaml = new YAMLMapper();
        JsonNode flink =
                yaml.readTree(repoRoot.resolve(FLINK_DEPLOYMENT).toFile()).path("spec");
        Map<String, String> conf = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it =
                        flink.path("flinkConfiguration").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            conf.put(e.getKey(), fill(e.getValue().asText(), placeholders));
        }
        List<String> args = new ArrayList<>();
        flink.path("job").path("args").forEach(a -> args.add(fill(a.asText(), placeholders)));
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode containers = yaml.readTree(
                        repoRoot.resolve(COLLECTOR_DAEMONSET).toFile())
                .path("spec")
                .path("template")
                .path("spec")
                .path("containers");
        for (JsonNode c : containers) {
            for (JsonNode e : c.path("env")) {
                String name = e.path("name").asText();
                if (e.has("value") && (name.startsWith("SEGMENT_") || name.equals("POLL_INTERVAL"))) {
                    env.put(name, e.path("value").asText());
                }
            }
        }
        return new ShippedSettings(
                conf,
                args,
                flink.path("job").path("parallelism").asInt(1),
                env,
                flink.path("taskManager").path("resource").path("memory").asText(),
                flink.path("jobManager").path("resource").path("memory").asText());
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
        return new ShippedSettings(conf, args, parallelism, env, taskManagerMemory, jobManagerMemory);
    }
}
