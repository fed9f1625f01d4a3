package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckpointSummaryTest {

    @Test
    void noCheckpointIsSaid() {
        assertThat(CheckpointSummary.text(List.of(), 2))
                .isEqualTo("No completed checkpoint was seen through the REST API.\n\n");
    }

    @Test
    void percentilesOfDurationAndSizesAndTheMidRunCheckpointsStatePerVertex() {
        Map<String, Long> vertices = new LinkedHashMap<>();
        vertices.put("Source: spool", 2_000L);
        vertices.put("x".repeat(100), 3_000_000L);
        List<CheckpointMonitor.Checkpoint> cps = List.of(
                new CheckpointMonitor.Checkpoint(1, 0, 100, 1_000, 500, Map.of()),
                new CheckpointMonitor.Checkpoint(2, 2_000, 300, 2_000_000, 1_500, vertices),
                new CheckpointMonitor.Checkpoint(3, 4_000, 12_000, 3_000_000, 900, Map.of()));

        String text = CheckpointSummary.text(cps, 1);

        assertThat(text)
                .startsWith(
                        "Checkpoints (Flink REST): 3 completed, 1 failed. Duration p50 300 ms, max 12.0 s. "
                                + "Full state size p50 2.0 MB, max 3.0 MB; checkpointed (incremental) size p50 900 B, max 1.5 kB.")
                .contains("State per job vertex in checkpoint 2 (mid-run): `Source: spool` 2.0 kB; `" + "x".repeat(90)
                        + "…` 3.0 MB.");
    }
}
