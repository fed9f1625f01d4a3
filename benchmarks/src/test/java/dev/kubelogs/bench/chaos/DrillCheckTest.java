package dev.kubelogs.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DrillCheckTest {

    @Test
    void theLatencyPeakIsTakenFromTheInjectionUntilFiveSecondsAfterRecovery() {
        Schedule.Fault kill = new Schedule.Fault(1, FaultKind.TM_KILL, 0, Duration.ofSeconds(10));
        Schedule.Fault never = new Schedule.Fault(2, FaultKind.JM_KILL, 0, Duration.ofSeconds(30));
        List<long[]> asked = new ArrayList<>();

        List<Outcome> measured = DrillCheck.withLatencyPeaks(
                List.of(
                        new Outcome(kill, 10_000, 12_000, 8_000, -1, 0, ""),
                        new Outcome(never, 30_000, 31_000, -1, -1, 2, "")),
                (from, to) -> {
                    asked.add(new long[] {from, to});
                    return from / 10;
                });

        assertThat(asked.get(0)).containsExactly(10_000, 23_000);
        assertThat(asked.get(1)).containsExactly(30_000, Long.MAX_VALUE);
        assertThat(measured).extracting(Outcome::latencyPeakMillis).containsExactly(1_000L, 3_000L);
        assertThat(measured.get(1).checkpointsFailed()).isEqualTo(2);
    }

    @Test
    void pausesAreCountedInEveryCollectorsLogOnly(@TempDir Path logs) throws Exception {
        Files.writeString(logs.resolve("collector-1.log"), "start\ntailing paused: spool full\nresumed\n");
        Files.writeString(logs.resolve("collector-2.log"), "tailing paused\ntailing paused\n");
        Files.writeString(logs.resolve("endpoint.log"), "tailing paused\n");

        assertThat(DrillCheck.spoolFullPauses(logs)).isEqualTo(3);
        assertThat(CollectorLog.pauses(logs.resolve("collector-2.log"))).isEqualTo(2);
        assertThat(CollectorLog.pauses(logs.resolve("collector-9.log"))).isZero();
        assertThat(DrillCheck.spoolFullPauses(logs.resolve("absent"))).isEqualTo(-1);
    }
}
