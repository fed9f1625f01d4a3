package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SampleWindowTest {

    @Test
    void ratesAndCoresAreTheGrowthBetweenThePointsPerSecondOfTheWindow() {
        Sampler.Point start = new Sampler.Point(
                1_000_000_000L, 10_000, 1_000, 900, 800, 2_000_000_000L, 1_000_000_000L, 0, 0, new long[] {
                    400_000_000L, 600_000_000L
                });
        Sampler.Point end = new Sampler.Point(
                5_000_000_000L,
                14_000,
                21_000,
                16_900,
                16_000,
                6_000_000_000L,
                3_000_000_000L,
                400_000_000L,
                800_000_000L,
                new long[] {1_400_000_000L, 1_800_000_000L});
        EndToEndResult r = new EndToEndResult();

        new SampleWindow(start, end).recordInto(r);

        assertThat(r.windowSeconds).isCloseTo(4.0, within(1e-9));
        assertThat(r.offeredLinesPerSec).isCloseTo(5_000, within(1e-9));
        assertThat(r.collectedLinesPerSec).isCloseTo(4_000, within(1e-9));
        assertThat(r.jobCores).isCloseTo(1.0, within(1e-9));
        assertThat(r.collectorCores).isCloseTo(0.5, within(1e-9));
        assertThat(r.collectorCoresEach).containsExactly(0.25, 0.3);
        assertThat(r.endpointCores).isCloseTo(0.1, within(1e-9));
        assertThat(r.generatorCores).isCloseTo(0.2, within(1e-9));
        assertThat(r.deliveredLinesPerSec).as("delivery is the ledger's to say").isZero();
    }
}
