package dev.kubelogs.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChaosPlotTest {
    private static Monitor.Sample stored(long millis, long events) {
        return new Monitor.Sample(millis, "RUNNING", -1, 0, events, 0, 1.0);
    }

    @Test
    void throughputIsEventsPerSecondBetweenSamplesAWindowApart() {
        List<Monitor.Sample> samples = List.of(
                stored(10_000, 0),
                stored(12_500, 100),
                new Monitor.Sample(14_000, null, -1, -1, -1, -1, 1.0), // the endpoint did not answer
                stored(15_000, 1_000),
                stored(17_500, 1_000),
                stored(20_000, 1_500));
        double[][] t = ChaosPlot.throughput(samples, 10_000);
        assertThat(t[0]).containsExactly(5.0, 10.0);
        assertThat(t[1]).containsExactly(200.0, 100.0);
    }

    @Test
    void writesTheThroughputChartWithTheFaultsMarked(@TempDir Path dir) throws Exception {
        Schedule schedule =
                new Schedule(3, List.of(new Schedule.Fault(1, FaultKind.JM_KILL, 0, Duration.ofSeconds(6))));
        ChaosRun.Options options = new ChaosRun.Options(
                dir,
                dir,
                2,
                100,
                Duration.ofSeconds(20),
                schedule,
                Duration.ofSeconds(2),
                "768m",
                1 << 20,
                1 << 18,
                Duration.ofMinutes(1),
                TmLostMode.CONTINUE);
        Outcome jmKill = new Outcome(schedule.faults().get(0), 16_000, 19_000, 8_000, -1, 1, "");
        ChaosRun.Result result = new ChaosRun.Result(
                100,
                100,
                null,
                List.of(),
                List.of(jmKill),
                List.of(stored(10_000, 0), stored(15_000, 500), stored(20_000, 500), stored(25_000, 1_000)),
                0,
                10_000,
                null,
                null);
        List<Path> written = ChaosPlot.write(dir, options, result);
        assertThat(written).containsExactly(dir.resolve(ChaosPlot.THROUGHPUT_PNG));
        assertThat(ImageIO.read(written.get(0).toFile()).getWidth()).isPositive();
    }
}
