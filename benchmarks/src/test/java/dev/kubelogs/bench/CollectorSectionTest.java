package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectorSectionTest {

    private static EndToEndResult at(double rate, double cores, double peakRssMb) {
        EndToEndResult r = EndToEndSectionTest.result();
        r.spec = r.spec.withRate(rate, "collector-" + (long) rate, Path.of("/tmp"));
        r.collectedLinesPerSec = rate;
        r.collectorCores = cores;
        r.collectorLinesPerSecPerCore = rate / cores;
        r.collectorSteadyRssMb = peakRssMb - 5;
        r.collectorPeakRssMb = peakRssMb;
        return r;
    }

    @Test
    void oneRowPerRateAndTheTargetAt10kLinesPerSecond(@TempDir Path dir) throws Exception {
        ReportSection s = CollectorSection.render(
                List.of(at(1_000, 0.01, 50), at(10_000, 0.04, 70)),
                new CollectorProcess.JvmFlags("docker/collector.Dockerfile", List.of("-Xmx40m", "-XX:+UseSerialGC")),
                dir);

        assertThat(s.key()).isEqualTo("collector");
        assertThat(s.text())
                .contains("JVM flags: `-Xmx40m -XX:+UseSerialGC` (docker/collector.Dockerfile)")
                .contains("| 1,000 | 1,000 | 0.010 | 100,000 | 45.0 MB | 50.0 MB | 1.00 1.00 1.00 → 2.00 1.50 1.00 |")
                .contains("| 10,000 | 10,000 | 0.040 | 250,000 | 65.0 MB | 70.0 MB |");
        assertThat(s.targets())
                .containsExactly(new ReportSection.Target(
                        "Collector ≤ 0.05 vCPU and ≤ 64 MB RSS at 10k lines/s", "0.040 vCPU, 70.0 MB peak RSS", false));
        assertThat(dir.resolve("collector-rss-over-time.png")).exists();
        assertThat(dir.resolve("collector-cpu-over-time.png")).exists();
    }
}
