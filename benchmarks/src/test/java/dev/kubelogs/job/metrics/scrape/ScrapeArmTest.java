package dev.kubelogs.job.metrics.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.bench.ExporterText;
import dev.kubelogs.bench.MetricsTargets;
import org.junit.jupiter.api.Test;

class ScrapeArmTest {
    @Test
    void aRoundScrapesEveryTargetOnceWithItsCache() throws Exception {
        try (MetricsTargets exporters = new MetricsTargets(3);
                ScrapeArm arm = new ScrapeArm(exporters.addresses(), 2, "t", 0, "scrape")) {
            assertThat(arm.call()).isEqualTo(3L * ExporterText.SERIES);
            assertThat(arm.call()).isEqualTo(3L * ExporterText.SERIES);
        }
    }

    @Test
    void aFetchRoundGivesTheBodiesBytes() throws Exception {
        try (MetricsTargets exporters = new MetricsTargets(2);
                ScrapeArm arm = new ScrapeArm(exporters.addresses(), 1, "t", 10, "fetch")) {
            long bytes = arm.call();
            assertThat(bytes).isEqualTo(ExporterText.render(0, 0).length + ExporterText.render(1, 0).length);
        }
    }

    @Test
    void anUnknownModeIsAnError() {
        assertThatThrownBy(() -> new ScrapeArm(java.util.List.of("127.0.0.1:1"), 1, "t", 0, "both"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("both");
    }
}
