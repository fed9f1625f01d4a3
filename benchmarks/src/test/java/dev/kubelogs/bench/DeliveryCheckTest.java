package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveryCheckTest {

    /**
     * Four events written 0.5, 1.5, 2.5 and 3.5 s into a 4 s run with 1 s of warm-up, with latencies 400, 300, 200
     * and 100 ms; the window is 1 s … 3 s.
     */
    private static EndToEndResult latencyOfFourEvents(long[][] expected, long linesWritten) {
        DeliveryLedger ledger = new DeliveryLedger(
                List.of("app"), new long[][] {{1_000}}, new DeliveryLatency(() -> 10_000, 1_000, 4_000));
        ledger.accept(DeliveryLedgerTest.line(0, 0, 0, 10_500), 10_900);
        ledger.accept(DeliveryLedgerTest.line(0, 0, 1, 11_500), 11_800);
        ledger.accept(DeliveryLedgerTest.line(0, 0, 2, 12_500), 12_700);
        ledger.accept(DeliveryLedgerTest.line(0, 0, 3, 13_500), 13_600);
        ledger.tally(expected);
        EndToEndResult r = new EndToEndResult();
        r.genSeconds = 4;
        r.linesWritten = linesWritten;
        DeliveryCheck.record(r, ledger, 11_000, 13_000);
        return r;
    }

    @Test
    void percentilesLeaveOutTheWarmUpAndTheLastThirdStartsTwoThirdsIntoTheRest() {
        EndToEndResult r = latencyOfFourEvents(new long[][] {{4}}, 4);

        // after warm-up: 300, 200, 100 (nearest rank)
        assertThat(r.p50).isEqualTo(200);
        assertThat(r.p95).isEqualTo(300);
        assertThat(r.p99).isEqualTo(300);
        assertThat(r.pMax).isEqualTo(300);
        // the last third starts at 1 s + (4 s − 1 s) × 2/3 = 3 s: only the event written at 3.5 s
        assertThat(r.p99LastThird).isEqualTo(100);
        assertThat(r.recordsExpected).isEqualTo(4);
        assertThat(r.lost).isZero();
    }

    @Test
    void theSeriesHasOneRowPerSecondOfWriteTimeWarmUpIncluded() {
        EndToEndResult r = latencyOfFourEvents(new long[][] {{4}}, 4);

        assertThat(r.latencyOverTime).hasSize(4);
        assertThat(r.latencyOverTime.get(0)).containsExactly(0, 400, 400, 400, 1);
        assertThat(r.latencyOverTime.get(3)).containsExactly(3, 100, 100, 100, 1);
    }

    @Test
    void deliveredLinesAreTheEventsIngestedInTheWindowScaledByLinesPerRecord() {
        // ingested at 11.8 and 12.7 s: 2 events in 2 s
        assertThat(latencyOfFourEvents(new long[][] {{4}}, 4).deliveredLinesPerSec)
                .isCloseTo(1.0, within(1e-9));
        // 3 lines per record (stack traces are one event of many lines)
        assertThat(latencyOfFourEvents(new long[][] {{4}}, 12).deliveredLinesPerSec)
                .isCloseTo(3.0, within(1e-9));
    }

    @Test
    void withoutEventsThereIsNoLatency() {
        DeliveryLedger ledger =
                new DeliveryLedger(List.of("app"), new long[][] {{0}}, new DeliveryLatency(() -> 1, 0, 1_000));
        ledger.tally(new long[][] {{0}});
        EndToEndResult r = new EndToEndResult();
        DeliveryCheck.record(r, ledger, 0, 0);

        assertThat(r.p99).isNaN();
        assertThat(r.latencyOverTime).isEmpty();
        assertThat(r.deliveredLinesPerSec).isNaN();
    }
}
