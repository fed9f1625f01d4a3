package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

/** When the writer waits for its committer, and that it always stops waiting. */
class HeldBytesGateTest {
    private static final long LIMIT = 1_000_000;

    private final TestMailbox mailbox = new TestMailbox();
    private final SinkMetrics metrics = new SinkMetrics(new UnregisteredMetricsGroup());

    private HeldBytesGate gate(HeldBytes held) {
        return new HeldBytesGate(held, LIMIT, Duration.ofMinutes(2), mailbox, () -> mailbox, metrics);
    }

    @Test
    void overTheLimitWithCommittablesPendingItRunsTheMailboxUntilTheCommitterStoredThem() throws Exception {
        try (HeldBytes writer = HeldBytes.writer("gate-1", HeldBytesTest.task(0, 0));
                HeldBytes committer = HeldBytes.committer("gate-1", HeldBytesTest.task(0, 0))) {
            writer.buffered(700_000);
            writer.cutAll();
            writer.buffered(400_000);
            mailbox.execute(() -> {}, "an unrelated mail");
            mailbox.execute(() -> committer.stored(700_000), "the checkpoint's completion: the commit");
            gate(writer).awaitRoom();
            assertThat(mailbox.mailsRun).isEqualTo(2);
            assertThat(writer.total()).isEqualTo(400_000);
            assertThat(metrics.heldBytesWaits()).isEqualTo(1);
            assertThat(metrics.heldBytesWaitTimeouts()).isZero();
        }
    }

    @Test
    void itNeverWaitsOnTheWritersOwnBufferOnlyTheNextBarrierCutsThat() throws Exception {
        try (HeldBytes writer = HeldBytes.writer("gate-2", HeldBytesTest.task(0, 0));
                HeldBytes committer = HeldBytes.committer("gate-2", HeldBytesTest.task(0, 0))) {
            writer.buffered(3 * LIMIT);
            gate(writer).awaitRoom();
            assertThat(mailbox.mailsRun + mailbox.timersFired).isZero();
            assertThat(metrics.heldBytesWaits()).isZero();
        }
    }

    @Test
    void withoutACommitterInItsTaskNothingCouldDrainSoItDoesNotWait() throws Exception {
        try (HeldBytes writer = HeldBytes.writer("gate-3", HeldBytesTest.task(0, 0))) {
            writer.buffered(2 * LIMIT);
            writer.cutAll();
            writer.buffered(1);
            gate(writer).awaitRoom();
            assertThat(metrics.heldBytesWaits()).isZero();
        }
    }

    @Test
    void aCommitThatNeverComesEndsTheWaitAtTheLongestWaitCounted() throws Exception {
        try (HeldBytes writer = HeldBytes.writer("gate-4", HeldBytesTest.task(0, 0));
                HeldBytes committer = HeldBytes.committer("gate-4", HeldBytesTest.task(0, 0))) {
            writer.buffered(2 * LIMIT);
            writer.cutAll(); // e.g. the checkpoint was aborted: its committables wait for a later one
            writer.buffered(1);
            gate(writer).awaitRoom();
            assertThat(mailbox.timersFired).isEqualTo(1);
            assertThat(metrics.heldBytesWaits()).isEqualTo(1);
            assertThat(metrics.heldBytesWaitTimeouts()).isEqualTo(1);
            assertThat(writer.cut()).isEqualTo(2 * LIMIT);
        }
    }
}
