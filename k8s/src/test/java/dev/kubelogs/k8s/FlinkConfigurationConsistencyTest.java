package dev.kubelogs.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The operator writes /opt/flink/conf from the FlinkDeployment, so flink-conf/config.yaml only reaches the pods through
 * spec.flinkConfiguration, and flink-conf/log4j-console.properties only through spec.logConfiguration. These tests
 * keep them identical: every key of config.yaml (as Flink's own loader reads it) with the same value and in the same
 * order, and nothing extra beyond the deployment-only keys listed here.
 */
class FlinkConfigurationConsistencyTest {

    /** Keys that only make sense under the operator, so they are in the FlinkDeployment but not in config.yaml. */
    private static final List<String> DEPLOYMENT_ONLY = List.of(
            "high-availability.type",
            "high-availability.storageDir",
            "kubernetes.rest-service.exposed.type",
            "kubernetes.operator.savepoint.format.type",
            "kubernetes.operator.job.upgrade.last-state-fallback.enabled",
            "kubernetes.operator.periodic.savepoint.interval",
            "kubernetes.operator.savepoint.history.max.count");

    @Test
    void flinkConfigurationCarriesConfigYamlVerbatim() {
        Configuration fromFile = GlobalConfiguration.loadConfiguration(Repo.FLINK_CONF_DIR.toString());
        Map<String, String> file = fromFile.toMap();
        Map<String, String> deployed = FlinkDeploymentSpecTest.flinkConfiguration();

        Map<String, String> missingOrDifferent = new LinkedHashMap<>();
        file.forEach((k, v) -> {
            if (!v.equals(deployed.get(k))) {
                missingOrDifferent.put(k, "config.yaml=" + v + " flinkConfiguration=" + deployed.get(k));
            }
        });
        assertThat(missingOrDifferent)
                .as("config.yaml keys missing from or different in the FlinkDeployment")
                .isEmpty();

        List<String> extra = new ArrayList<>(deployed.keySet());
        extra.removeAll(file.keySet());
        assertThat(extra)
                .as("FlinkDeployment keys that are neither in config.yaml nor deployment-only")
                .containsExactlyInAnyOrderElementsOf(DEPLOYMENT_ONLY);

        // same order as the file, so a reviewer can read the two side by side
        List<String> fileOrder = keysInFileOrder();
        List<String> deployedOrder = new ArrayList<>(deployed.keySet());
        deployedOrder.retainAll(fileOrder);
        assertThat(deployedOrder).isEqualTo(fileOrder);
    }

    /**
     * The Kinesis variant ships the base's Flink configuration, its checkpoint interval included: the bench runs the
     * variant on config.yaml as the base has it, so a difference would go unmeasured, and the interval is the line's
     * wait for its commit on either transport.
     */
    @Test
    void theKinesisVariantShipsTheBaseFlinkConfiguration() {
        Map<String, String> base = FlinkDeploymentSpecTest.flinkConfiguration();
        Map<String, String> kinesis = FlinkDeploymentSpecTest.flinkConfiguration(Variant.KINESIS);
        assertThat(kinesis.keySet()).containsExactlyElementsOf(base.keySet());
        assertThat(kinesis).isEqualTo(base);
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void logConfigurationIsTheLog4jFileVerbatim(Variant variant) {
        String embedded = Manifests.flinkDeployment(Manifests.load(variant))
                .tree()
                .at("/spec/logConfiguration")
                .get("log4j-console.properties")
                .asString();
        assertThat(embedded).isEqualTo(Repo.read(Repo.FLINK_CONF_DIR.resolve("log4j-console.properties")));
    }

    /** HA metadata sits next to the checkpoints and savepoints, under the one prefix the job's IAM policy grants. */
    @Test
    void allFlinkStateIsUnderOnePrefix() {
        Map<String, String> conf = FlinkDeploymentSpecTest.flinkConfiguration();
        String prefix = "s3://${KUBELOGS_BUCKET}/kubelogs/${CLUSTER_NAME}/flink/";
        assertThat(conf.get("execution.checkpointing.dir")).isEqualTo(prefix + "checkpoints");
        assertThat(conf.get("execution.checkpointing.savepoint-dir")).isEqualTo(prefix + "savepoints");
        assertThat(conf.get("high-availability.storageDir")).isEqualTo(prefix + "ha");
    }

    private static List<String> keysInFileOrder() {
        List<String> keys = new ArrayList<>();
        for (String line : Repo.read(Repo.FLINK_CONF_DIR.resolve("config.yaml")).split("\n")) {
            if (!line.isBlank() && !line.startsWith("#") && !line.startsWith(" ")) {
                keys.add(line.substring(0, line.indexOf(':')).trim());
            }
        }
        return keys;
    }
}
