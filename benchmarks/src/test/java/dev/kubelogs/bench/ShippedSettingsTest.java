package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

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
        assertThat(s.jobArgsForBench()).contains("--discovery-interval");
        assertThat(s.parallelism()).isPositive();
        assertThat(s.taskManagerMemory()).matches("\\d+[mg]");
        assertThat(s.jobManagerMemory()).matches("\\d+[mg]");
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
    }
}
