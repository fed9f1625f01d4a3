package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without collectors (their sampling is {@link CollectorProcess}'s): the points, ticks and this JVM's memory. */
class SamplerTest {

    @Test
    void pointsCountWhatWasWrittenAndStoredAndBillTheJobOnlyWhenThereIsOne(@TempDir Path tmp) throws Exception {
        try (LocalCloudWatchLogs cw = LocalCloudWatchLogs.builder().port(0).start();
                LoadGenerator gen = generator(tmp)) {
            Sampler withoutJob = new Sampler(gen, List.of(), cw, new ThreadCpu(), false);
            Sampler withJob = new Sampler(gen, List.of(), cw, new ThreadCpu(), true);

            Sampler.Point p = withoutJob.point();
            // this JVM runs the test: its CPU is the "job" when there is one
            Sampler.Point q = withJob.point();

            assertThat(p.written()).isEqualTo(gen.totalLines());
            assertThat(p.collected()).isZero();
            assertThat(p.delivered()).isZero();
            assertThat(p.jobCpu()).isZero();
            assertThat(p.collectorCpuEach()).isEmpty();
            assertThat(q.jobCpu()).isPositive();
            assertThat(withoutJob.first()).isSameAs(p);
            assertThat(withoutJob.harnessPeakRssMb()).isPositive();
            assertThat(withoutJob.collectorMeanRssMb(0, Long.MAX_VALUE)).isNaN();
        }
    }

    @Test
    void theSamplerTicksEverySecondUntilStopped(@TempDir Path tmp) throws Exception {
        try (LocalCloudWatchLogs cw = LocalCloudWatchLogs.builder().port(0).start();
                LoadGenerator gen = generator(tmp)) {
            Sampler sampler = new Sampler(gen, List.of(), cw, new ThreadCpu(), true);
            sampler.start();
            Sampler.Point first = sampler.first();
            // the second point is the first tick's
            Sampler.Point second = awaitSecondPoint(sampler);
            sampler.stop();

            List<EndToEndResult.Tick> ticks = sampler.ticks();
            assertThat(ticks).isNotEmpty();
            assertThat(ticks.get(0).t()).isGreaterThan(0.5);
            assertThat(ticks.get(0).collectorRssMb()).isEmpty();
            assertThat(ticks.get(0).harnessRssMb()).isPositive();
            assertThat(second.nanos()).isGreaterThan(first.nanos());
            assertThat(sampler.meanLoad()).isNotNaN();
        }
    }

    @Test
    void theCollectorsAreReadEveryFifteenTicksNotEverySecond() {
        assertThat(java.util.stream.IntStream.rangeClosed(1, 45).filter(Sampler::readsCollectorsAt))
                .containsExactly(15, 30, 45);
    }

    private static Sampler.Point awaitSecondPoint(Sampler sampler) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (sampler.ticks().isEmpty()) {
            assertThat(System.nanoTime()).as("a tick within 30 s").isLessThan(deadline);
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
        }
        return sampler.point();
    }

    private static LoadGenerator generator(Path tmp) throws Exception {
        return new LoadGenerator(
                tmp,
                List.of("ip-10-0-1-10.ec2.internal"),
                new LoadGenerator.Config(
                        1, 100, LineSizes.parse("fixed:100"), 0, 3, 8, 0, 4, 0, 0, LoadGenerator.HostMode.NONE, 7));
    }
}
