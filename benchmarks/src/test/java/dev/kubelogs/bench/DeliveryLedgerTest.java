package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.cwlocal.StoredEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveryLedgerTest {
    /** Two nodes; source 0 ("app") wrote 3 records on each, source 1 ("messages") 2 on node 0 and none on node 1. */
    static final long[][] EXPECTED = {{3, 2}, {3, 0}};

    /** A ledger for {@link #EXPECTED}, taking records up to 10 per source as a live one would; written from 0 ms. */
    private static DeliveryLedger ledger() {
        return new DeliveryLedger(
                List.of("app", "messages"), new long[][] {{10, 10}, {10, 10}}, new DeliveryLatency(() -> 1, 0, 60_000));
    }

    static String line(int node, int source, long seq, long writeMillis) {
        return "{\"log\":\"GET /orders kl=" + node + "." + source + "." + seq + "." + writeMillis + "\"}";
    }

    static String trace(int node, long seq, long writeMillis, int frames, int framesArrived) {
        StringBuilder b = new StringBuilder("java.lang.IllegalStateException: order failed kl=")
                .append(node)
                .append(".0.")
                .append(seq)
                .append('.')
                .append(writeMillis)
                .append(" frames=")
                .append(frames);
        for (int i = 0; i < framesArrived; i++) {
            b.append("\n\tat com.example.bench.F")
                    .append(i)
                    .append(".call(F.java:")
                    .append(10 + i)
                    .append(')');
        }
        return b.toString();
    }

    @Test
    void everyRecordSeenOnceIsNeitherLostNorDuplicated() {
        DeliveryLedger ledger = ledger();
        for (int node = 0; node < 2; node++) {
            for (int seq = 0; seq < 3; seq++) {
                ledger.accept(line(node, 0, seq, 1_000), 1_250);
            }
        }
        ledger.accept(line(0, 1, 0, 1_000), 1_250);
        ledger.accept(line(0, 1, 1, 1_000), 1_250);

        ledger.tally(EXPECTED);

        assertThat(ledger.counts()).isEqualTo(new DeliveryLedger.Counts(8, 0, 0, 0, 0, 0, 0));
        assertThat(ledger.counts().clean()).isTrue();
        assertThat(ledger.expectedRecords()).isEqualTo(8);
    }

    @Test
    void aRecordSeenNoTimeIsLostByItsSourceAndOneSeenThreeTimesIsTwoDuplicates() {
        DeliveryLedger ledger = ledger();
        ledger.accept(line(0, 0, 0, 1_000), 1_100);
        ledger.accept(line(0, 0, 1, 1_000), 1_100);
        ledger.accept(line(0, 0, 1, 1_000), 1_900);
        ledger.accept(line(0, 0, 1, 1_000), 2_900);

        ledger.tally(EXPECTED);

        DeliveryLedger.Counts counts = ledger.counts();
        assertThat(counts.duplicated()).isEqualTo(2);
        // node 0: app 2, messages 0 and 1; node 1: app 0, 1, 2
        assertThat(counts.lost()).isEqualTo(6);
        assertThat(ledger.lostBySource).containsEntry("app", 4L).containsEntry("messages", 2L);
        assertThat(ledger.lostSamples()).startsWith("kl=0.0.2", "kl=0.1.0", "kl=0.1.1", "kl=1.0.0");
        assertThat(counts.clean()).isFalse();
    }

    @Test
    void aRecordSeenMoreTimesThanAByteCountsIsStillCountedExactly() {
        DeliveryLedger ledger = ledger();
        for (int i = 0; i < 300; i++) {
            ledger.accept(line(0, 0, 0, 1_000), 1_100);
        }

        ledger.tally(EXPECTED);

        assertThat(ledger.counts().duplicated()).isEqualTo(299);
    }

    @Test
    void aStackTraceIsWholeOnlyWithAllTheFramesItsFirstLineAnnounces() {
        DeliveryLedger ledger = ledger();
        ledger.accept(trace(0, 0, 1_000, 3, 3), 1_500);
        ledger.accept(trace(0, 1, 1_000, 3, 2), 1_500);
        ledger.accept(trace(1, 0, 1_000, 12, 12), 1_500);

        DeliveryLedger.Counts counts = ledger.counts();
        assertThat(counts.tracesChecked()).isEqualTo(3);
        assertThat(counts.brokenTraces()).isEqualTo(1);
    }

    @Test
    void messagesWithoutAWellFormedOrKnownTokenAreUnknownAndKeptAsSamples() {
        DeliveryLedger ledger = ledger();
        ledger.accept("no token here", 1_000);
        ledger.accept("kl=0.0", 1_000);
        ledger.accept("kl=0.x.1.1000", 1_000);
        ledger.accept(line(5, 0, 0, 1_000), 1_000);
        ledger.accept(line(0, 0, 10, 1_000), 1_000);

        assertThat(ledger.counts().unknown()).isEqualTo(5);
        assertThat(ledger.counts().events()).isEqualTo(5);
        assertThat(ledger.samplesOfUnknown).hasSize(5).first().isEqualTo("no token here");
    }

    @Test
    void aRecordPastWhatTheGeneratorWroteIsUnknownOnceTheCountsAreKnown() {
        DeliveryLedger ledger = ledger();
        // node 0 wrote 3 app records: seq 3 (twice) cannot be one, though the live ledger took it
        ledger.accept(line(0, 0, 3, 1_000), 1_000);
        ledger.accept(line(0, 0, 3, 1_000), 1_000);

        ledger.tally(EXPECTED);

        assertThat(ledger.counts().unknown()).isEqualTo(2);
        assertThat(ledger.counts().duplicated()).isZero();
        assertThat(ledger.samplesOfUnknown).containsExactly("kl=0.0.3: past the 3 records written");
    }

    @Test
    void theDeadLetterGroupsEventsAreCountedNotMatchedAndEveryGroupKeepsASample() {
        DeliveryLedger ledger = ledger();
        ledger.stored(
                "/aws/containerinsights/c/application",
                "s",
                List.of(
                        new StoredEvent(1_000, 1_100, line(0, 0, 0, 1_000)),
                        new StoredEvent(1_000, 1_100, line(0, 0, 1, 1_000)),
                        new StoredEvent(1_000, 1_100, line(0, 0, 2, 1_000))));
        ledger.stored(
                "/aws/containerinsights/c/kubelogs-dead-letter",
                "s",
                List.of(
                        new StoredEvent(1_000, 1_100, "{\"reason\":\"a\"," + line(1, 0, 0, 1_000) + "}"),
                        new StoredEvent(1_000, 1_100, "{\"reason\":\"b\"}")));

        ledger.tally(EXPECTED);

        DeliveryLedger.Counts counts = ledger.counts();
        assertThat(counts.deadLetters()).isEqualTo(2);
        assertThat(counts.events()).isEqualTo(3);
        // the dead-lettered record did not reach its group
        assertThat(counts.lost()).isEqualTo(5);
        assertThat(ledger.eventsByGroup)
                .containsEntry("/aws/containerinsights/c/application", 3L)
                .containsEntry("/aws/containerinsights/c/kubelogs-dead-letter", 2L);
        assertThat(ledger.sampleByGroup.get("/aws/containerinsights/c/application"))
                .isEqualTo(line(0, 0, 1, 1_000));
        assertThat(ledger.sampleByGroup.get("/aws/containerinsights/c/kubelogs-dead-letter"))
                .contains("reason\":\"a");
    }

    @Test
    void latencyIsIngestionMinusWriteTimeAndTheMaximumIsTakenPerIngestionWindow() {
        DeliveryLedger ledger = ledger();
        ledger.accept(line(0, 0, 0, 10_000), 10_400);
        ledger.accept(line(0, 0, 1, 10_100), 10_900);
        ledger.accept(line(0, 0, 2, 11_000), 12_300);

        assertThat(ledger.maxLatencyIngestedBetween(10_000, 11_000)).isEqualTo(800);
        assertThat(ledger.maxLatencyIngestedBetween(10_400, 10_400)).isEqualTo(400);
        assertThat(ledger.maxLatencyIngestedBetween(13_000, 14_000)).isEqualTo(-1);
        assertThat(ledger.maxLatencySecondsPerWindow(10_000, 1_000, 3)).containsExactly(0.8, Double.NaN, 1.3);
    }
}
