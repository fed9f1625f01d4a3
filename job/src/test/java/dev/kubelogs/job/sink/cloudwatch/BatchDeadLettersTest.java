package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatchlogs.model.RejectedLogEventsInfo;

class BatchDeadLettersTest {
    @TempDir
    Path tmp;

    private final SinkMetrics metrics = new SinkMetrics(new UnregisteredMetricsGroup());

    private BatchDeadLetters deadLetters() throws Exception {
        return new BatchDeadLetters(
                DeadLetterWriter.open(
                        DeadLetterTarget.directory(tmp.toString()),
                        "committer",
                        0,
                        null,
                        null,
                        new UnregisteredMetricsGroup()),
                metrics);
    }

    @Test
    void rejectedRangesOfThePutAreDeadLetteredWithTheirReasonAndSettled() throws Exception {
        List<SinkEvent> events = DeliveryParts.events(8, 1_000, "rejected");
        List<Integer> pending = List.of(1, 2, 3, 5, 6, 7); // the put carried these, in this order
        boolean[] settled = new boolean[8];
        RejectedLogEventsInfo info = RejectedLogEventsInfo.builder()
                .tooOldLogEventEndIndex(1)
                .expiredLogEventEndIndex(2)
                .tooNewLogEventStartIndex(5)
                .build();

        int rejected = deadLetters().rejected("g", "s", EventArena.of(events), pending, info, settled);

        assertThat(rejected).isEqualTo(3);
        assertThat(settled).containsExactly(false, true, true, false, false, false, false, true);
        assertThat(SinkTestSupport.deadLetters(tmp))
                .extracting(m -> m.get("message") + ":" + m.get("reason"))
                .containsExactly(
                        events.get(1).message() + ":TOO_OLD",
                        events.get(2).message() + ":EXPIRED",
                        events.get(7).message() + ":TOO_NEW");
        assertThat(metrics.rejectedTooOld()).isEqualTo(1);
        assertThat(metrics.rejectedExpired()).isEqualTo(1);
        assertThat(metrics.rejectedTooNew()).isEqualTo(1);
        assertThat(metrics.deadLettered()).isEqualTo(3);
    }

    @Test
    void noRejectionInfoMeansNothingRejected() throws Exception {
        boolean[] settled = new boolean[2];
        assertThat(deadLetters()
                        .rejected(
                                "g",
                                "s",
                                EventArena.of(DeliveryParts.events(2, 1_000, "ok")),
                                List.of(0, 1),
                                null,
                                settled))
                .isZero();
        assertThat(settled).containsExactly(false, false);
        assertThat(SinkTestSupport.deadLetters(tmp)).isEmpty();
    }

    @Test
    void anInvalidBatchIsDeadLetteredWhole() throws Exception {
        List<SinkEvent> events = DeliveryParts.events(3, 1_000, "invalid");
        deadLetters().invalidBatch("g", "s", EventArena.of(events), List.of(0, 2), "1 validation error");
        assertThat(SinkTestSupport.deadLetters(tmp))
                .extracting(m -> m.get("message") + ":" + m.get("reason") + ":" + m.get("detail"))
                .containsExactly(
                        events.get(0).message() + ":INVALID_BATCH:1 validation error",
                        events.get(2).message() + ":INVALID_BATCH:1 validation error");
        assertThat(metrics.deadLettered()).isEqualTo(2);
    }
}
