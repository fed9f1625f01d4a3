package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SaturationSectionTest {

    @Test
    void oneRowPerStepAndTheBestPassingStepsLinesPerCore(@TempDir Path dir) throws Exception {
        Saturation.Result result = new Saturation.Result();
        EndToEndResult passed = EndToEndSectionTest.result();
        EndToEndResult failed = EndToEndSectionTest.result();
        failed.linesPerSecPerCore = 500_000;
        result.steps.add(new Saturation.Step(1_000, passed, true, ""));
        result.steps.add(new Saturation.Step(2_000, failed, false, "p99 | 9 s"));
        result.maxPassingRate = 1_000;

        ReportSection s = SaturationSection.render(result, Duration.ofSeconds(5), dir);

        assertThat(s.text())
                .contains("**Highest passing rate: 1,000 lines/s** (all nodes together, 2 nodes)")
                .contains("| 1,000 | 1,000 | 0.75 | 1,333 | 800 ms | 2,500 ms | 0/0 | pass |")
                .contains("| fail: p99 / 9 s |");
        assertThat(s.targets())
                .containsExactly(new ReportSection.Target(
                        "End to end ≥ 100k lines/s per core used (best passing step)",
                        "1,333 lines/s per core",
                        false));
        assertThat(dir.resolve("throughput-vs-rate.png")).exists();
        assertThat(dir.resolve("latency-vs-rate.png")).exists();
    }
}
