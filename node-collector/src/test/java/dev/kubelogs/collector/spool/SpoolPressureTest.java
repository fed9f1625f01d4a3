package dev.kubelogs.collector.spool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.collector.metrics.CollectorMetrics;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SpoolPressureTest {
    private final CollectorMetrics metrics = new CollectorMetrics();
    private final SpoolPressure pressure = new SpoolPressure(Path.of("/spool"), 1000, metrics);

    @Test
    void readingGoesOnBelowTheLimit() {
        assertThat(pressure.update(999)).isFalse();
        assertThat(pressure.paused()).isFalse();
        assertThat(metrics.backpressure.get()).isZero();
    }

    @Test
    void readingPausesOnceTheSpoolHoldsItsLimit() {
        assertThat(pressure.update(1000)).isTrue();
        assertThat(pressure.paused()).isTrue();
        assertThat(metrics.backpressure.get()).isEqualTo(1);

        // still full: paused, but not "just paused" again
        assertThat(pressure.update(5000)).isFalse();
        assertThat(pressure.paused()).isTrue();
    }

    @Test
    void readingResumesWhenTheJobConsumesSegments() {
        pressure.update(1000);

        assertThat(pressure.update(999)).isFalse();
        assertThat(pressure.paused()).isFalse();
        assertThat(metrics.backpressure.get()).isZero();

        assertThat(pressure.update(1000)).isTrue();
    }

    @Test
    void theFinalDrainResumesAndIgnoresTheLimitFromThenOn() {
        pressure.update(2000);

        pressure.finalDrain();
        assertThat(pressure.paused()).isFalse();
        assertThat(pressure.update(2000)).isFalse();
        assertThat(pressure.paused()).isFalse();
    }

    @Test
    void pausedTimeIsCountedOnlyWhilePaused() {
        pressure.countPausedTime();
        assertThat(metrics.backpressureSeconds.get()).isZero();

        pressure.update(1000);
        pressure.countPausedTime();
        double whilePaused = metrics.backpressureSeconds.get();
        pressure.update(0);
        double afterResume = metrics.backpressureSeconds.get();
        pressure.countPausedTime();

        assertThat(whilePaused).isPositive();
        assertThat(afterResume).isGreaterThanOrEqualTo(whilePaused);
        assertThat(metrics.backpressureSeconds.get()).isEqualTo(afterResume);
    }
}
