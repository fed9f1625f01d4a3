package dev.kubelogs.job.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Quiet after a whole minute below the rate, busy again after half a minute at 1.5 times it. */
class SpoolPaceTest {

    /** Discoveries every 5 s from {@code from} to {@code to} (inclusive), each finding {@code bytes}. */
    private static boolean discoverEvery5s(SpoolPace pace, long from, long to, long bytes) {
        boolean changed = false;
        for (long at = from; at <= to; at += 5_000) {
            changed |= pace.discovered(at, bytes);
        }
        return changed;
    }

    @Test
    void aSpoolStartsBusyAndTurnsQuietOnlyAfterAWholeMinuteBelowTheRate() {
        SpoolPace pace = new SpoolPace(1_000);
        assertThat(discoverEvery5s(pace, 0, 55_000, 0)).isFalse();
        assertThat(pace.quiet()).as("55 s observed").isFalse();
        assertThat(pace.discovered(60_000, 0)).isTrue();
        assertThat(pace.quiet()).isTrue();
    }

    @Test
    void aSpoolAtTheRateStaysBusy() {
        SpoolPace pace = new SpoolPace(1_000);
        assertThat(discoverEvery5s(pace, 0, 300_000, 5_000)).isFalse();
        assertThat(pace.quiet()).isFalse();
        assertThat(pace.bytesPerSecond(300_000)).isEqualTo(1_000);
    }

    @Test
    void aQuietSpoolIsBusyAgainAtOneAndAHalfTimesTheRateOverHalfAMinuteAndQuietOnlyAMinuteAfterThat() {
        SpoolPace pace = new SpoolPace(1_000);
        discoverEvery5s(pace, 0, 60_000, 0);
        assertThat(pace.quiet()).isTrue();
        assertThat(pace.discovered(65_000, 44_999))
                .as("just under 1,500 B/s over 30 s")
                .isFalse();
        assertThat(pace.discovered(70_000, 1)).as("45,000 B in the last 30 s").isTrue();
        assertThat(pace.quiet()).isFalse();
        // a lull right after the burst does not flap back
        assertThat(discoverEvery5s(pace, 75_000, 125_000, 0)).isFalse();
        assertThat(pace.discovered(130_000, 0))
                .as("a minute since it turned busy")
                .isTrue();
        assertThat(pace.quiet()).isTrue();
    }

    @Test
    void aBurstInsideAQuietMinuteKeepsTheSpoolBusy() {
        SpoolPace pace = new SpoolPace(1_000);
        discoverEvery5s(pace, 0, 30_000, 0);
        pace.discovered(35_000, 60_000); // a minute's worth at the rate, at once
        assertThat(discoverEvery5s(pace, 40_000, 90_000, 0)).isFalse();
        assertThat(pace.quiet()).as("the burst is in the last minute").isFalse();
        assertThat(pace.discovered(95_000, 0)).isTrue();
    }

    @Test
    void aQuietSpoolWhoseSegmentsComeInBurstsBelowTheRateStaysQuiet() {
        SpoolPace pace = new SpoolPace(1_000);
        discoverEvery5s(pace, 0, 60_000, 0);
        // 12 KB every 15 s, 800 B/s, and a burst more each minute: 1,200 B/s over the 30 s around it
        for (long at = 65_000; at <= 600_000; at += 5_000) {
            long found = at % 15_000 == 5_000 || at % 60_000 == 0 ? 12_000 : 0;
            assertThat(pace.discovered(at, found)).as("at %d", at).isFalse();
        }
        assertThat(pace.quiet()).isTrue();
    }

    @Test
    void aRateOfNothingIsRefused() {
        assertThatThrownBy(() -> new SpoolPace(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
