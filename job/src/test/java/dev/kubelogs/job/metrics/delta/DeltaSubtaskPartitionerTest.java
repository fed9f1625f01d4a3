package dev.kubelogs.job.metrics.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.job.metrics.model.SeriesBatch;
import java.util.List;
import org.apache.flink.runtime.plugable.SerializationDelegate;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.junit.jupiter.api.Test;

/** {@link DeltaSubtaskPartitioner}: a batch goes to the subtask it was made for, or the task fails. */
class DeltaSubtaskPartitionerTest {
    private static int channel(DeltaSubtaskPartitioner partitioner, SeriesBatch batch) {
        SerializationDelegate<StreamRecord<SeriesBatch>> delegate = new SerializationDelegate<>(null);
        delegate.setInstance(new StreamRecord<>(batch));
        return partitioner.selectChannel(delegate);
    }

    @Test
    void aBatchGoesToItsSubtask() {
        DeltaSubtaskPartitioner partitioner = new DeltaSubtaskPartitioner();
        partitioner.setup(4);
        for (int subtask = 0; subtask < 4; subtask++) {
            assertThat(channel(partitioner, new SeriesBatch(subtask, 4, List.of())))
                    .isEqualTo(subtask);
        }
    }

    @Test
    void aBatchMadeForAnotherParallelismOrNotRoutedFailsTheTask() {
        DeltaSubtaskPartitioner partitioner = new DeltaSubtaskPartitioner();
        partitioner.setup(4);
        assertThatThrownBy(() -> channel(partitioner, new SeriesBatch(1, 2, List.of())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("delta subtask 1 of 2 on an edge to 4 subtasks");
        assertThatThrownBy(() -> channel(partitioner, SeriesBatch.unrouted(List.of())))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theEdgeIsAllToAllAndKeepsItsCheckpointsAligned() {
        DeltaSubtaskPartitioner partitioner = new DeltaSubtaskPartitioner();
        assertThat(partitioner.isPointwise()).isFalse();
        assertThat(partitioner.isSupportsUnalignedCheckpoint()).isFalse();
        assertThat(partitioner.copy())
                .isInstanceOf(DeltaSubtaskPartitioner.class)
                .isNotSameAs(partitioner);
    }
}
