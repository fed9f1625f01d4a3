package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReportSectionTest {

    @Test
    void keepsItsTargetsInTheOrderMeasured() {
        ReportSection s = new ReportSection("tail", "## Tail\n")
                .target("fast", "1 line/s", false)
                .target("small", "1 MB", true);

        assertThat(s.key()).isEqualTo("tail");
        assertThat(s.text()).isEqualTo("## Tail\n");
        assertThat(s.targets())
                .containsExactly(
                        new ReportSection.Target("fast", "1 line/s", false),
                        new ReportSection.Target("small", "1 MB", true));
    }
}
