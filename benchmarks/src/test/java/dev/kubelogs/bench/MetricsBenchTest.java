package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsBenchTest {

    @Test
    void deltaStateIsTheDeltaVertexOfTheLargestCheckpoint() {
        List<CheckpointMonitor.Checkpoint> cps = List.of(
                new CheckpointMonitor.Checkpoint(
                        1,
                        0,
                        10,
                        900,
                        900,
                        Map.of("metrics-delta -> metrics-emf", 500L, "sink-prometheus: Writer", 400L)),
                new CheckpointMonitor.Checkpoint(
                        2,
                        0,
                        10,
                        1200,
                        1200,
                        Map.of("metrics-delta -> metrics-emf", 700L, "sink-prometheus: Writer", 5000L)));
        assertThat(MetricsBench.deltaStateBytes(cps)).isEqualTo(700L);
    }
}
