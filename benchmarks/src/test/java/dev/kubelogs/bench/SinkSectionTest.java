package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SinkSectionTest {

    private static SinkBench.Result run(long events, double eventsPerCpuSecond) {
        SinkBench.Result r = new SinkBench.Result();
        r.topology = "chained";
        r.shape = "container-insights";
        r.events = events;
        r.seconds = 10;
        r.eventsPerSec = events / 10.0;
        r.jobCpuSeconds = events / eventsPerCpuSecond;
        r.eventsPerCpuSecond = eventsPerCpuSecond;
        r.stored = events;
        r.checkpointInterval = "PT2S";
        r.rate = 2_000;
        r.jobJvmFlags = List.of("-Xmx1g");
        r.jobCpuSecondsByGroup = Map.of("Sink: Writer|x", 4.0);
        r.checkpoints = List.of(new CheckpointMonitor.Checkpoint(1, 0, 50, 2_500_000, 2_500_000, Map.of()));
        return r;
    }

    @Test
    void unpacedAndPacedSideBySideAndTheUnpacedRunsBillByThreadGroup() {
        ReportSection s = SinkSection.render(run(1_000_000, 200_000), run(20_000, 50_000));

        assertThat(s.key()).isEqualTo("sink");
        assertThat(s.text())
                .startsWith("## Sink alone (exactly-once) against the local endpoint\n\n")
                .contains("`CloudWatchLogsSink`, one chain (topology `chained`")
                .contains("checkpoints every 2s")
                .contains("| **events/s** | **100,000** | 2,000 |")
                .contains("| stored / missing / duplicated | 1000000 / 0 / 0 | 20000 / 0 / 0 |")
                .contains("| checkpoints: count, largest full state | 1, 2.5 MB | 1, 2.5 MB |")
                .contains("| Sink: Writer\\|x | 4.00 | 4.00 |")
                .doesNotContain("Warm-up in the same JVM");
        assertThat(s.targets())
                .containsExactly(new ReportSection.Target(
                        "Sink ≥ 100k events/s per core with exactly-once",
                        "200,000 events per CPU-second (unpaced)",
                        true));
    }
}
