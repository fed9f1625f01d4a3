package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.sink.cloudwatch.Ledger.EventKey;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LedgerTest {

    @Test
    void countsStoredCopiesWithinTheRangeAndNotTheDeadLetteredOnes() {
        Ledger ledger = new Ledger();
        assertThat(ledger.isEmpty()).isTrue();
        ledger.add(
                EventArena.of(List.of(
                        new SinkEvent(10, "a", "s", 0),
                        new SinkEvent(10, "a", "s", 1),
                        new SinkEvent(11, "b", "s", 2),
                        new SinkEvent(20, "c", "s", 3))),
                new boolean[] {false, false, true, false});
        ledger.add(
                EventArena.of(List.of(new SinkEvent(10, "a", "s", 4), new SinkEvent(12, "d", "s", 5))), new boolean[2]);
        assertThat(ledger.isEmpty()).isFalse();

        Map<EventKey, Integer> counts = ledger.countsWithin(10, 20);
        assertThat(counts)
                .containsOnly(
                        Map.entry(new EventKey(10, "a"), 3),
                        Map.entry(new EventKey(12, "d"), 1)); // b was dead-lettered, c is at the (exclusive) end
    }

    @Test
    void eventKeysAreExactTimestampAndMessage() {
        assertThat(new EventKey(1, "x"))
                .isEqualTo(new EventKey(1, "x"))
                .hasSameHashCodeAs(new EventKey(1, "x"))
                .isNotEqualTo(new EventKey(2, "x"))
                .isNotEqualTo(new EventKey(1, "x "));
    }
}
