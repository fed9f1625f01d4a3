package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StateSectionTest {

    @Test
    void stateThatGrowsWithNodesOnlyMeetsTheTarget() {
        ReportSection s = StateSection.render(List.of(
                new EnumeratorStateBench.Row(10, 1, 10, 900, 400, 1),
                new EnumeratorStateBench.Row(10, 100, 1000, 9000, 400, 5),
                new EnumeratorStateBench.Row(100, 1, 100, 9000, 4000, 2)));

        assertThat(s.text()).contains("| 10 | 100 | 1,000 | 9,000 | 400 | 40.0 |");
        assertThat(s.targets())
                .singleElement()
                .extracting(ReportSection.Target::met)
                .isEqualTo(true);
    }

    @Test
    void stateThatGrowsWithSegmentsFailsIt() {
        ReportSection s = StateSection.render(List.of(
                new EnumeratorStateBench.Row(10, 1, 10, 900, 400, 1),
                new EnumeratorStateBench.Row(10, 100, 1000, 9000, 4000, 5)));

        assertThat(s.targets())
                .containsExactly(new ReportSection.Target(
                        "Source state independent of the number of segments consumed",
                        "varies with segments (see table)",
                        false));
    }
}
