package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TailSectionTest {

    @Test
    void wholeProcessAndSteadyStateAgainstTheIncumbent() {
        TailThroughput.Result r = new TailThroughput.Result();
        r.lines = 1_000_000;
        r.bytes = 300_000_000;
        r.cpuSeconds = 2.0;
        r.steadyCpuSeconds = 1.0;
        r.steadyLines = 800_000;
        r.steadyBytes = 240_000_000;
        r.wallSeconds = 3.0;
        r.peakRssMb = 60;
        r.flags = "-Xmx40m";
        r.loadBefore = "1.00";
        r.loadAfter = "1.50";

        ReportSection s = TailSection.render(r);

        assertThat(s.key()).isEqualTo("tail");
        assertThat(s.text())
                .contains("1,000,000 Docker json-file lines (300 MB, 300 B/line)")
                .contains("| CPU seconds | 2.00 | 1.00 |")
                .contains("| lines/s per CPU-second | 500,000 | 800,000 |")
                .contains("Wall 3.0 s, peak RSS 60.0 MB, load 1.00 → 1.50.");
        assertThat(s.targets())
                .singleElement()
                .extracting(ReportSection.Target::met)
                .isEqualTo(true);
    }
}
