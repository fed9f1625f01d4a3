package dev.kubelogs.job.metrics.delta;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MetricIdsTest {
    private final MetricIds ids = new MetricIds();

    @Test
    void everyLookupIsTheHashOfItsNameAndBound() {
        // more distinct (name, bound) pairs than slots, each asked for many times, so slots are taken over
        double[] bounds = {Double.NaN, Double.longBitsToDouble(0x7ff8000000000001L), 0.0, -0.0, 0.5, 1e-9};
        SplittableRandom random = new SplittableRandom(14);
        for (int i = 0; i < 50_000; i++) {
            String name = random.nextInt(500) == 0 ? null : "metric_" + random.nextInt(3_000) + "_total";
            double bound = bounds[random.nextInt(bounds.length)];
            // a new String each time, as the serializer hands each group its own
            String asked = name == null ? null : new String(name.toCharArray());
            assertThat(ids.of(asked, bound)).as("%s %s", name, bound).isEqualTo(SeriesHashes.metricId(name, bound));
        }
    }

    @Test
    void theSignOfZeroMakesADifferentBound() {
        assertThat(ids.of("x_bucket", 0.0)).isEqualTo(SeriesHashes.metricId("x_bucket", 0.0));
        assertThat(ids.of("x_bucket", -0.0))
                .isEqualTo(SeriesHashes.metricId("x_bucket", -0.0))
                .isNotEqualTo(ids.of("x_bucket", 0.0));
    }
}
