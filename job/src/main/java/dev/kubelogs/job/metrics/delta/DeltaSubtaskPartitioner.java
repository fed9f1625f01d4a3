package dev.kubelogs.job.metrics.delta;

import dev.kubelogs.job.metrics.model.SeriesBatch;
import org.apache.flink.runtime.io.network.api.writer.SubtaskStateMapper;
import org.apache.flink.runtime.plugable.SerializationDelegate;
import org.apache.flink.streaming.runtime.partitioner.StreamPartitioner;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Sends a batch that {@link DeltaRouter} made to the delta subtask it was made for. A batch made for another number
 * of subtasks than this edge has is a wiring error and fails the task, as a key outside a subtask's key groups would.
 *
 * <p>Unaligned checkpoints are off on this edge: a batch in flight holds the keys of one subtask's key groups, which
 * a rescale would spread over several subtasks, so it must never be restored as in-flight data.
 */
public final class DeltaSubtaskPartitioner extends StreamPartitioner<SeriesBatch> {
    private static final long serialVersionUID = 1L;

    @Override
    public int selectChannel(SerializationDelegate<StreamRecord<SeriesBatch>> record) {
        SeriesBatch batch = record.getInstance().getValue();
        if (batch.parallelism != numberOfChannels || batch.subtask < 0 || batch.subtask >= numberOfChannels) {
            throw new IllegalStateException("a batch for delta subtask " + batch.subtask + " of " + batch.parallelism
                    + " on an edge to " + numberOfChannels + " subtasks: the delta router and the delta stage must"
                    + " have the same parallelism");
        }
        return batch.subtask;
    }

    @Override
    public StreamPartitioner<SeriesBatch> copy() {
        return new DeltaSubtaskPartitioner();
    }

    @Override
    public SubtaskStateMapper getDownstreamSubtaskStateMapper() {
        return SubtaskStateMapper.FULL;
    }

    @Override
    public boolean isPointwise() {
        return false;
    }

    @Override
    public boolean isSupportsUnalignedCheckpoint() {
        return false;
    }

    @Override
    public String toString() {
        return "DELTA_SUBTASK";
    }
}
