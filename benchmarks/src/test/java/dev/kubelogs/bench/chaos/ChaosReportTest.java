package dev.kubelogs.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChaosReportTest {

    @Test
    void oneRowPerKindWithEachRecoveryTheWorstPeakAndTheFailedCheckpoints() {
        Schedule.Fault k1 = new Schedule.Fault(1, FaultKind.TM_KILL, 0, Duration.ofSeconds(30));
        Schedule.Fault k2 = new Schedule.Fault(2, FaultKind.TM_KILL, 1, Duration.ofSeconds(60));
        Schedule.Fault j = new Schedule.Fault(3, FaultKind.JM_KILL, 0, Duration.ofSeconds(90));
        String table = ChaosReport.byKind(List.of(
                new Outcome(k1, 0, 5_000, 6_600, 9_000, 1, ""),
                new Outcome(k2, 0, 5_000, 7_100, 12_500, 0, ""),
                new Outcome(j, 0, 3_000, -1, 30_000, 2, "")));
        assertThat(table)
                .contains("| tm-kill | 2 | 2 | 6.6, 7.1 | 12.5 | 1 |")
                .contains("| jm-kill | 1 | 0 | not seen | 30.0 | 2 |");
    }

    @Test
    void theLoadAverageIsGivenAsRangeAndMean() {
        List<Monitor.Sample> samples = List.of(
                new Monitor.Sample(0, "RUNNING", -1, 0, 0, 0, 2.0),
                new Monitor.Sample(500, "RUNNING", -1, 0, 0, 0, Double.NaN),
                new Monitor.Sample(1_000, "RUNNING", -1, 0, 0, 0, 4.0));
        assertThat(ChaosReport.load(samples)).startsWith("Load average (1 min) during the drill: 2.0–4.0, mean 3.0");
    }
}
