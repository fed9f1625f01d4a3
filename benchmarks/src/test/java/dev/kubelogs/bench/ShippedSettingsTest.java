package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShippedSettingsTest {
    private static final Map<String, String> PLACEHOLDERS =
            Map.of("KUBELOGS_BUCKET", "b", "CLUSTER_NAME", "c", "AWS_REGION", "us-west-2");

    @Test
    void theDeploymentsSettingsAreReadFromItsManifests() throws Exception {
        ShippedSettings s = ShippedSettings.read(BenchMain.repoRoot(), PLACEHOLDERS);
        assertThat(s.jobArg("--spool")).isEqualTo("s3://b/kubelogs/c/spool");
        assertThat(s.flinkConfig()).containsKey("execution.checkpointing.interval");
        assertThat(s.checkpointingAndStateBackend())
                .containsKeys("execution.checkpointing.interval", "state.backend.type")
                .doesNotContainKeys("execution.checkpointing.dir", "s3.endpoint");
        assertThat(s.jobArgsForBench()).doesNotContain("--spool", "--region", "--prometheus-config", "--cluster");
        assertThat(s.jobArgsForBench()).contains("--discovery-interval", "--quiet-below");
        assertThat(s.checkpointingAndStateBackend()).containsKey("execution.checkpointing.interval-during-backlog");
        assertThat(s.parallelism()).isPositive();
        assertThat(s.taskManagerMemory()).matches("\\d+[mg]");
        assertThat(s.jobManagerMemory()).matches("\\d+[mg]");
    }

    /** The Kinesis variant: the base manifests with k8s/kinesis's patches applied, as kustomize builds it. */
    @Test
    void theKinesisVariantsSettingsAreTheBasesWithItsOverlaysPatches() throws Exception {
        ShippedSettings base = ShippedSettings.read(BenchMain.repoRoot(), PLACEHOLDERS);
        ShippedSettings s = ShippedSettings.read(BenchMain.repoRoot(), PLACEHOLDERS, "k8s/kinesis");

        assertThat(s.jobArg("--transport")).isEqualTo("KINESIS");
        assertThat(s.jobArg("--kinesis-stream")).isEqualTo("kubelogs-c");
        assertThat(s.jobArg("--spool")).isNull();
        assertThat(s.jobArg("--multiline-flush-timeout")).isEqualTo("6s");
        assertThat(s.jobArgsForBench())
                .doesNotContain("--transport", "--kinesis-stream", "--kinesis-region", "--discovery-interval");
        assertThat(s.flinkConfig()).isEqualTo(base.flinkConfig());
        assertThat(s.collectorEnv())
                .containsEntry("SEGMENT_MAX_AGE", "1s")
                .containsEntry("SEGMENT_MAX_BYTES", "512K")
                .containsEntry("MAX_LINE_BYTES", "256K");
        assertThat(s.parallelism()).isEqualTo(base.parallelism());
        assertThat(s.taskManagerMemory()).isEqualTo(base.taskManagerMemory());
        assertThat(s.source()).isEqualTo("shipped: k8s/kinesis");
        assertThat(base.source()).isEqualTo("shipped");
    }

    /** A patch whose test finds another entry than it expects fails the read instead of patching the wrong one. */
    @Test
    void aPatchThatNoLongerFitsTheBaseFailsTheRead(@TempDir Path repo) throws Exception {
        Path overlay = Files.createDirectories(repo.resolve("kinesis"));
        Files.writeString(
                overlay.resolve("kustomization.yaml"),
                "resources:\n  - " + overlay.relativize(BenchMain.repoRoot().resolve(ShippedSettings.MANIFESTS))
                        + "\npatches:\n  - path: p.yaml\n"
                        + "    target: {group: apps, version: v1, kind: DaemonSet, name: kubelogs-collector}\n");
        Files.writeString(
                overlay.resolve("p.yaml"),
                "- {op: test, path: /spec/template/spec/containers/0/env/0/name, value: SEGMENT_MAX_AGE}\n");

        assertThatThrownBy(() -> ShippedSettings.read(repo, PLACEHOLDERS, "kinesis"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("p.yaml does not apply to 30-collector-daemonset.yaml");
    }

    @Test
    void overridesGoWhereTheirNameSays() throws Exception {
        ShippedSettings s = ShippedSettings.read(BenchMain.repoRoot(), PLACEHOLDERS)
                .with(Map.of(
                        "discovery-interval", "2s",
                        "--multiline-flush-timeout", "1s",
                        "execution.checkpointing.interval", "3s",
                        "SEGMENT_MAX_AGE", "4s"));
        assertThat(s.jobArg("--discovery-interval")).isEqualTo("2s");
        assertThat(s.jobArg("--multiline-flush-timeout")).isEqualTo("1s");
        assertThat(s.flinkConfig()).containsEntry("execution.checkpointing.interval", "3s");
        assertThat(s.collectorEnv()).containsEntry("SEGMENT_MAX_AGE", "4s");
        assertThatThrownBy(() -> s.with(Map.of("segmentAge", "1s"))).hasMessageContaining("segmentAge");
        assertThatThrownBy(() -> s.with(Map.of("flink.execution.checkpointing.interval", "3s")))
                .hasMessageContaining("flink.execution.checkpointing.interval")
                .hasMessageContaining("without a 'flink.' prefix");
    }
}
