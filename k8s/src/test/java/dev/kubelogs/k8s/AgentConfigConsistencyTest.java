package dev.kubelogs.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The agent's two files ship twice: in the job's jar ({@code --prometheus-config default}) and in the ConfigMaps the
 * FlinkDeployment mounts. Both are the agent's EKS defaults, so they must not drift apart; the one difference is the
 * agent's {@code {{cluster_name}}}/{@code {{region_name}}} markers, which its setup fills with sed and the ConfigMap
 * leaves to the render step as {@code ${CLUSTER_NAME}}/{@code ${AWS_REGION}}.
 */
class AgentConfigConsistencyTest {

    static final Path DEFAULTS = Repo.ROOT.resolve("job/src/main/resources/metrics");

    private final AgentConfigMaps configMaps = AgentConfigMaps.load(Manifests.load());

    @Test
    void prometheusConfigMapIsTheShippedDefault() {
        String shipped = withoutHeader(Repo.read(DEFAULTS.resolve("default-prometheus.yaml")), "#");
        assertThat(lines(configMaps.prometheusYaml)).isEqualTo(lines(shipped));
    }

    @Test
    void cwagentConfigMapIsTheShippedDefaultWithTheRenderTokens() {
        String shipped = withoutHeader(Repo.read(DEFAULTS.resolve("default-cwagentconfig.json")), "//");
        String rendered =
                shipped.replace("{{cluster_name}}", "${CLUSTER_NAME}").replace("{{region_name}}", "${AWS_REGION}");
        assertThat(lines(configMaps.cwagentJson)).isEqualTo(lines(rendered));
    }

    /** The shipped files open with a comment saying where they come from; the agent's ConfigMaps have none. */
    private static String withoutHeader(String text, String commentStart) {
        String out = text;
        while (out.startsWith(commentStart)) {
            int end = out.indexOf('\n');
            out = end < 0 ? "" : out.substring(end + 1);
        }
        return out;
    }

    /** A YAML literal block keeps one final newline ("clip"); whether the file has one is not a difference. */
    private static String lines(String text) {
        return text.stripTrailing() + "\n";
    }
}
