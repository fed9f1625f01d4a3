package dev.kubelogs.job.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.job.metrics.config.MetricsConfigException;
import dev.kubelogs.job.metrics.config.ScrapeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding and reading the agent's two files as the agent does, and the cluster name and log group they give. */
class MetricsSetupTest {
    private static final Function<String, String> NO_ENVIRONMENT = name -> null;

    @TempDir
    Path dir;

    private static String prometheusYaml(String job) {
        return "scrape_configs:\n  - job_name: " + job + "\n    static_configs:\n      - targets: ['localhost:9100']\n";
    }

    private Path agentFile(String prometheusSettings) throws Exception {
        return Files.writeString(
                dir.resolve(MetricsSetup.AGENT_FILE),
                "{\"agent\": {\"region\": \"eu-west-1\"}, \"logs\": {\"metrics_collected\": {\"prometheus\": {"
                        + prometheusSettings + "}}}}");
    }

    private static String jobName(MetricsSetup setup) {
        return setup.prometheus().scrapeConfigs().stream()
                .map(ScrapeConfig::jobName)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aDirectoryHoldsBothFiles() throws Exception {
        agentFile("\"cluster_name\": \"prod\"");
        Files.writeString(dir.resolve(MetricsSetup.PROMETHEUS_FILE), prometheusYaml("in-dir"));

        MetricsSetup setup = MetricsSetup.load(dir.toString(), null, NO_ENVIRONMENT);

        assertThat(jobName(setup)).isEqualTo("in-dir");
        assertThat(setup.clusterName()).isEqualTo("prod");
        assertThat(setup.region()).isEqualTo("eu-west-1");
        assertThat(setup.logGroup()).isEqualTo("/aws/containerinsights/prod/prometheus");
    }

    @Test
    void aRelativePrometheusPathIsTakenAgainstTheAgentFilesDirectory() throws Exception {
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/other.yaml"), prometheusYaml("relative"));
        Files.writeString(dir.resolve(MetricsSetup.PROMETHEUS_FILE), prometheusYaml("not-this-one"));
        Path agent = agentFile("\"cluster_name\": \"prod\", \"prometheus_config_path\": \"sub/other.yaml\"");

        assertThat(jobName(MetricsSetup.load(agent.toString(), null, NO_ENVIRONMENT)))
                .isEqualTo("relative");
    }

    @Test
    void anAbsolutePrometheusPathIsTakenAsItIs(@TempDir Path elsewhere) throws Exception {
        Path yaml = Files.writeString(elsewhere.resolve("p.yaml"), prometheusYaml("absolute"));
        Path agent = agentFile("\"cluster_name\": \"prod\", \"prometheus_config_path\": \"" + yaml + "\"");

        assertThat(jobName(MetricsSetup.load(agent.toString(), null, NO_ENVIRONMENT)))
                .isEqualTo("absolute");
    }

    @Test
    void anEnvPrometheusPathIsReadFromTheEnvironment() throws Exception {
        Path agent = agentFile("\"cluster_name\": \"prod\", \"prometheus_config_path\": \"env:PROM_YAML\"");

        MetricsSetup setup = MetricsSetup.load(agent.toString(), null, Map.of("PROM_YAML", prometheusYaml("env"))::get);

        assertThat(jobName(setup)).isEqualTo("env");
    }

    @Test
    void aMissingAgentFileIsAnErrorNamingIt() {
        Path missing = dir.resolve("nope.json");

        assertThatThrownBy(() -> MetricsSetup.load(missing.toString(), "c", NO_ENVIRONMENT))
                .isInstanceOf(MetricsConfigException.class)
                .hasMessageStartingWith(missing.toString())
                .hasMessageContaining("no such file");
        assertThatThrownBy(() -> MetricsSetup.load(dir.toString(), "c", NO_ENVIRONMENT))
                .as("a directory without cwagentconfig.json")
                .isInstanceOf(MetricsConfigException.class)
                .hasMessageStartingWith(dir.resolve(MetricsSetup.AGENT_FILE).toString());
    }

    @Test
    void theClusterNameIsTheFilesThenTheFlagsThenTheEnvironments() throws Exception {
        Files.writeString(dir.resolve(MetricsSetup.PROMETHEUS_FILE), prometheusYaml("a"));
        Function<String, String> env = Map.of("K8S_CLUSTER_NAME", "from-env")::get;

        agentFile("\"cluster_name\": \"from-file\"");
        assertThat(MetricsSetup.load(dir.toString(), "from-flag", env).clusterName())
                .isEqualTo("from-file");

        agentFile("");
        assertThat(MetricsSetup.load(dir.toString(), "from-flag", env).clusterName())
                .isEqualTo("from-flag");
        assertThat(MetricsSetup.load(dir.toString(), " ", env).clusterName())
                .as("a blank flag is not set")
                .isEqualTo("from-env");
        assertThat(MetricsSetup.load(dir.toString(), null, env).clusterName()).isEqualTo("from-env");
    }

    @Test
    void withoutAClusterNameTheLogGroupCannotBeNamed() throws Exception {
        Files.writeString(dir.resolve(MetricsSetup.PROMETHEUS_FILE), prometheusYaml("a"));
        agentFile("");

        assertThatThrownBy(() -> MetricsSetup.load(dir.toString(), null, Map.of("K8S_CLUSTER_NAME", "")::get))
                .isInstanceOf(MetricsConfigException.class)
                .hasMessageContaining("logs.metrics_collected.prometheus.cluster_name")
                .hasMessageContaining("--cluster")
                .hasMessageContaining("K8S_CLUSTER_NAME");
    }

    @Test
    void aLogGroupNameInTheFileIsUsedAsItIs() throws Exception {
        Files.writeString(dir.resolve(MetricsSetup.PROMETHEUS_FILE), prometheusYaml("a"));
        agentFile("\"cluster_name\": \"prod\", \"log_group_name\": \"/custom/group\"");

        assertThat(MetricsSetup.load(dir.toString(), null, NO_ENVIRONMENT).logGroup())
                .isEqualTo("/custom/group");
    }

    @Test
    void defaultIsTheAgentsShippedFilesWithTheGivenCluster() {
        MetricsSetup setup = MetricsSetup.load(MetricsConfigOptions.SHIPPED_DEFAULTS, "demo", NO_ENVIRONMENT);

        assertThat(setup.clusterName()).isEqualTo("demo");
        assertThat(setup.prometheus().scrapeConfigs()).isNotEmpty();
        assertThat(setup.logGroup()).isEqualTo("/aws/containerinsights/demo/prometheus");
    }
}
