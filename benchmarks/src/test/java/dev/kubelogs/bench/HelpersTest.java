package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HelpersTest {

    @Test
    void percentilesAreNearestRank() {
        long[] v = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertThat(Stats.percentile(v, 50)).isEqualTo(5);
        assertThat(Stats.percentile(v, 99)).isEqualTo(10);
        assertThat(Stats.percentile(new long[0], 50)).isNaN();
    }

    @Test
    void lineSizesStayInRange() {
        SplittableRandom r = new SplittableRandom(1);
        LineSizes l = LineSizes.parse("lognormal:220,0.5");
        for (int i = 0; i < 10_000; i++) {
            assertThat(l.next(r, 50)).isBetween(50, LineSizes.MAX);
        }
        assertThat(LineSizes.parse("fixed:300").next(r, 0)).isEqualTo(300);
        assertThat(LineSizes.parse("uniform:100-200").next(r, 0)).isBetween(100, 200);
    }

    @Test
    void ticksAreRoundAndCoverTheRange() {
        double[] t = Charts.ticks(0, 87);
        assertThat(t[0]).isEqualTo(0);
        assertThat(t[t.length - 1]).isGreaterThanOrEqualTo(87);
        assertThat(Charts.fmt(25_000)).isEqualTo("25k");
        assertThat(Charts.fmt(1_500_000)).isEqualTo("1.5M");
    }

    @Test
    void chartsRenderWithoutData(@TempDir Path tmp) throws Exception {
        new Charts.Chart("empty", "x", "y").write(tmp.resolve("e.png"));
        assertThat(tmp.resolve("e.png")).exists();
    }
}
