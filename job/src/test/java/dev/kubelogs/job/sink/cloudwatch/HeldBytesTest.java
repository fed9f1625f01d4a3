package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.TaskInfoImpl;
import org.junit.jupiter.api.Test;

/** What a sink subtask holds, shared by its writer and committer and by nobody else. */
class HeldBytesTest {

    static TaskInfo task(int subtask, int attempt) {
        return new TaskInfoImpl("sink", 128, subtask, 4, attempt);
    }

    @Test
    void theWriterAndCommitterOfOneSubtaskAttemptShareOneCount() {
        try (HeldBytes writer = HeldBytes.writer("sink-a", task(1, 0));
                HeldBytes committer = HeldBytes.committer("sink-a", task(1, 0));
                HeldBytes otherSubtask = HeldBytes.writer("sink-a", task(2, 0));
                HeldBytes otherAttempt = HeldBytes.writer("sink-a", task(1, 1));
                HeldBytes otherSink = HeldBytes.writer("sink-b", task(1, 0))) {
            writer.buffered(100);
            writer.buffered(50);
            assertThat(committer.total()).isEqualTo(150);
            assertThat(committer.cut()).isZero();
            writer.cutAll();
            writer.buffered(30);
            assertThat(committer.cut()).isEqualTo(150);
            committer.stored(150);
            assertThat(writer.total()).isEqualTo(30);
            assertThat(writer.committerAttached()).isTrue();
            assertThat(otherSubtask.total() + otherAttempt.total() + otherSink.total())
                    .isZero();
            assertThat(otherSubtask.committerAttached()).isFalse();
        }
    }

    @Test
    void isForgottenOnceBothSidesReleasedIt() {
        int before = HeldBytes.sharedCount();
        HeldBytes writer = HeldBytes.writer("sink-c", task(0, 0));
        HeldBytes committer = HeldBytes.committer("sink-c", task(0, 0));
        assertThat(HeldBytes.sharedCount()).isEqualTo(before + 1);
        writer.close();
        assertThat(HeldBytes.sharedCount()).isEqualTo(before + 1);
        committer.close();
        assertThat(HeldBytes.sharedCount()).isEqualTo(before);
    }

    @Test
    void storingMoreThanWasCutLeavesNothingNegative() {
        try (HeldBytes held = HeldBytes.unshared()) {
            held.buffered(10);
            held.cutAll();
            held.stored(25);
            assertThat(held.cut()).isZero();
            assertThat(held.total()).isZero();
        }
    }
}
