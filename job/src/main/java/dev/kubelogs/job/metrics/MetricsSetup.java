package dev.kubelogs.job.metrics;

import dev.kubelogs.job.metrics.config.CloudWatchAgentConfig;
import dev.kubelogs.job.metrics.config.CloudWatchAgentConfigParser;
import dev.kubelogs.job.metrics.config.MetricsConfigException;
import dev.kubelogs.job.metrics.config.PrometheusConfig;
import dev.kubelogs.job.metrics.config.PrometheusConfigParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The agent's two files as the metrics pipeline uses them, found the way the agent finds them: {@code PATH} is
 * {@code cwagentconfig.json} or the directory holding it; its {@code prometheus_config_path} names
 * {@code prometheus.yaml} (an absolute path as is, a relative one against that directory, {@code env:NAME} from the
 * environment; without the key, the directory's {@code prometheus.yaml}). {@code default} is the agent's EKS files
 * shipped in the jar. The cluster name is the file's {@code cluster_name}, else the job's {@code --cluster}, else
 * {@code $K8S_CLUSTER_NAME}, as the agent looks it up; without one the log group cannot be named, which is an error.
 */
public record MetricsSetup(
        CloudWatchAgentConfig agent, PrometheusConfig prometheus, String clusterName, String region) {
    public static final String AGENT_FILE = "cwagentconfig.json";
    public static final String PROMETHEUS_FILE = "prometheus.yaml";

    /** Reads the files {@code path} names; {@code cluster} is the job's --cluster (may be null). */
    public static MetricsSetup load(String path, String cluster, Function<String, String> environment) {
        CloudWatchAgentConfigParser.Result agentFile;
        PrometheusConfig prometheus;
        if (MetricsConfigOptions.SHIPPED_DEFAULTS.equals(path)) {
            agentFile = CloudWatchAgentConfigParser.parseDefault();
            prometheus = PrometheusConfigParser.parseDefault();
        } else {
            Path given = Path.of(path);
            Path agentPath = Files.isDirectory(given) ? given.resolve(AGENT_FILE) : given;
            if (!Files.isRegularFile(agentPath)) {
                throw new MetricsConfigException(
                        agentPath.toString(),
                        0,
                        "",
                        "no such file (--prometheus-config "
                                + "takes the agent's cwagentconfig.json or the directory holding it, or 'default')");
            }
            agentFile = CloudWatchAgentConfigParser.parseFile(agentPath);
            prometheus = PrometheusConfigParser.load(
                    prometheusPath(agentPath.toAbsolutePath().getParent(), agentFile.prometheus()), environment);
        }
        String clusterName =
                firstSet(agentFile.prometheus().clusterName(), cluster, environment.apply("K8S_CLUSTER_NAME"));
        if (clusterName == null) {
            throw new MetricsConfigException(
                    path,
                    0,
                    "logs.metrics_collected.prometheus.cluster_name",
                    "no cluster name: set cluster_name, or pass --cluster, or set K8S_CLUSTER_NAME");
        }
        return new MetricsSetup(agentFile.prometheus(), prometheus, clusterName, agentFile.region());
    }

    static String prometheusPath(Path agentDir, CloudWatchAgentConfig agent) {
        String configured = agent.prometheusConfigPath();
        if (configured == null) {
            return agentDir.resolve(PROMETHEUS_FILE).toString();
        }
        if (configured.startsWith("env:") || Path.of(configured).isAbsolute()) {
            return configured;
        }
        return agentDir.resolve(configured).toString();
    }

    /** {@code log_group_name}, else {@code /aws/containerinsights/<cluster>/prometheus}. */
    public String logGroup() {
        return agent.logGroupName() != null
                ? agent.logGroupName()
                : "/aws/containerinsights/" + clusterName + "/prometheus";
    }

    private static String firstSet(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
