package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DeliveryCheckTest {

    /** Four events written 0.5, 1.5, 2.5 and 3.5 s into a 4 s run with 1 s of warm-up; the window is 1 s … 3 s. */
    private static EndToEndResult latencyOfFourEvents(long recordsExpected, long linesWritten) {
        EndToEndResult r = new EndToEndResult();
        r.genSeconds = 4;
        r.recordsExpected = recordsExpected;
        r.linesWritten = linesWritten;
        DeliveryCheck.latency(
                r,
                new long[] {10_500, 11_500, 12_500, 13_500},
                new long[] {400, 300, 200, 100},
                new long[] {10_600, 11_700, 12_800, 13_900},
                10_000,
                11_000,
                11_000,
                13_000);
        return r;
    }

    @Test
    void percentilesLeaveOutTheWarmUpAndTheLastThirdStartsTwoThirdsIntoTheRest() {
        EndToEndResult r = latencyOfFourEvents(0, 0);

        // after warm-up: 300, 200, 100 (nearest rank)
        assertThat(r.p50).isEqualTo(200);
        assertThat(r.p95).isEqualTo(300);
        assertThat(r.p99).isEqualTo(300);
        assertThat(r.pMax).isEqualTo(300);
        // the last third starts at 1 s + (4 s − 1 s) × 2/3 = 3 s: only the event written at 3.5 s
        assertThat(r.p99LastThird).isEqualTo(100);
    }

    @Test
    void theSeriesHasOneRowPerSecondOfWriteTimeWarmUpIncluded() {
        EndToEndResult r = latencyOfFourEvents(0, 0);

        assertThat(r.latencyOverTime).hasSize(4);
        assertThat(r.latencyOverTime.get(0)).containsExactly(0, 400, 400, 400, 1);
        assertThat(r.latencyOverTime.get(3)).containsExactly(3, 100, 100, 100, 1);
    }

    @Test
    void deliveredLinesAreTheEventsIngestedInTheWindowScaledByLinesPerRecord() {
        // ingested at 11.7 and 12.8 s: 2 events in 2 s
        assertThat(latencyOfFourEvents(0, 0).deliveredLinesPerSec).isCloseTo(1.0, within(1e-9));
        // 3 lines per record (stack traces are one event of many lines)
        assertThat(latencyOfFourEvents(100, 300).deliveredLinesPerSec).isCloseTo(3.0, within(1e-9));
    }

    @Test
    void withoutEventsThereIsNoLatency() {
        EndToEndResult r = new EndToEndResult();
        DeliveryCheck.latency(r, new long[0], new long[0], new long[0], 0, 0, 0, 0);

        assertThat(r.p99).isNaN();
        assertThat(r.latencyOverTime).isEmpty();
        assertThat(r.deliveredLinesPerSec).isNaN();
    }
}
