package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CheckpointMonitorTest {

    @Test
    void aClusterIsPolledEveryFourCheckpointIntervalsSoTheRestHistoryOfTenMissesNone() {
        assertThat(CheckpointMonitor.pollEveryFor(Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(8));
        assertThat(CheckpointMonitor.pollEveryFor(Duration.ofMillis(100))).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void longCheckpointIntervalsArePolledAtMostEveryTenSeconds() {
        assertThat(CheckpointMonitor.pollEveryFor(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(10));
        assertThat(CheckpointMonitor.pollEveryFor(Duration.ofMinutes(1))).isEqualTo(Duration.ofSeconds(10));
    }
}
