package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JmhSectionTest {

    @Test
    void oneRowPerBenchmarkAndATargetPerKeyedStageThroughput() {
        ReportSection s = JmhSection.render(List.of(
                new Jmh.Row("ParseBench.cri", "", "thrpt", 2_000_000, 1_000, "ops/s"),
                new Jmh.Row("KeyedStageBench.batch", "lines=100", "thrpt", 120_000, 500, "ops/s"),
                new Jmh.Row("KeyedStageBench.batch", "lines=1", "avgt", 3, 0.1, "us/op")));

        assertThat(s.text()).contains("| ParseBench.cri |  | thrpt | 2,000,000 | ±1,000 | ops/s |");
        assertThat(s.targets())
                .containsExactly(new ReportSection.Target(
                        "Keyed stage ≥ 150k lines/s per core (lines=100)", "120,000 lines/s", false));
    }
}
