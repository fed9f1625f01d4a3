package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SaturationTest {

    /** A run that passes up to {@code limit} lines/s, recording the rates tried. */
    private static Saturation.StepRunner passingUpTo(double limit, List<Double> tried) {
        return rate -> {
            tried.add(rate);
            return new Saturation.Step(rate, new EndToEndResult(), rate <= limit, rate <= limit ? "" : "p99");
        };
    }

    @Test
    void doublesUntilAFailureThenBisectsTwice() throws Exception {
        List<Double> tried = new ArrayList<>();

        Saturation.Result r = Saturation.search(500, 400_000, passingUpTo(3_000, tried));

        // 2000 passes, 4000 fails; √(2000·4000) ≈ 2828 → 2800 passes; √(2800·4000) ≈ 3347 → 3300 fails
        assertThat(tried).containsExactly(500.0, 1000.0, 2000.0, 4000.0, 2800.0, 3300.0);
        assertThat(r.maxPassingRate).isEqualTo(2800);
        assertThat(r.steps)
                .extracting(Saturation.Step::totalRate)
                .containsExactly(500.0, 1000.0, 2000.0, 2800.0, 3300.0, 4000.0);
    }

    @Test
    void stopsAtTheMaximumWithoutAFailure() throws Exception {
        List<Double> tried = new ArrayList<>();

        Saturation.Result r = Saturation.search(500, 3_000, passingUpTo(1e9, tried));

        assertThat(tried).containsExactly(500.0, 1000.0, 2000.0);
        assertThat(r.maxPassingRate).isEqualTo(2000);
    }

    @Test
    void aFirstStepThatFailsLeavesNoPassingRate() throws Exception {
        Saturation.Result r = Saturation.search(500, 3_000, passingUpTo(100, new ArrayList<>()));

        assertThat(r.steps).hasSize(1);
        assertThat(r.maxPassingRate).isNaN();
    }

    private static EndToEndResult clean() {
        EndToEndResult r = new EndToEndResult();
        r.offeredLinesPerSec = 1000;
        r.deliveredLinesPerSec = 990;
        r.p99 = 2000;
        r.p99LastThird = 2500;
        return r;
    }

    @Test
    void aCleanBoundedStepPasses() {
        assertThat(Saturation.verdict(clean(), 1000, 5000)).isEmpty();
    }

    @Test
    void everyReasonToFailIsNamed() {
        EndToEndResult r = clean();
        r.error = "boom";
        r.duplicated = 2;
        r.generatorMaxBacklog = 600;
        r.collectorsCaughtUp = false;
        r.deliveredLinesPerSec = 900;
        r.p99 = 6000;

        assertThat(Saturation.verdict(r, 1000, 5000))
                .isEqualTo("boom; lost 0 / dup 2 / broken 0; generator fell behind by 600 lines; collectors did not "
                        + "catch up; delivered 900 < 95% of offered 1000; p99 6000 ms > 5000 ms");
    }

    @Test
    void aGrowingLastThirdFailsEvenWithABoundedP99() {
        EndToEndResult r = clean();
        r.p99LastThird = 7000;

        assertThat(Saturation.verdict(r, 1000, 5000)).isEqualTo("p99 of the last third 7000 ms > 5000 ms (growing)");
    }

    @Test
    void aStepWithoutLatencyFails() {
        EndToEndResult r = clean();
        r.p99 = Double.NaN;

        assertThat(Saturation.verdict(r, 1000, 5000)).isEqualTo("p99 NaN ms > 5000 ms");
    }
}
