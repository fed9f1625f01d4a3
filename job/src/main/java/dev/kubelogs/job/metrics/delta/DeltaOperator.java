package dev.kubelogs.job.metrics.delta;

import dev.kubelogs.job.metrics.model.SeriesBatch;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.streaming.api.operators.AbstractUdfStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.Collector;

/**
 * The delta stage's operator: for each group of a batch ({@link DeltaRouter}) it sets the group's key as the keyed
 * state's current key and runs {@link DeltaCalculator} on it, emitting the group's deltas stamped with the group's
 * time. Its keyed state is the one {@code KeyedProcessOperator(DeltaCalculator)} had under the same uid (same key type
 * and serializer, same state), so savepoints of the per-group topology restore into it.
 *
 * <p>A group whose key group this subtask does not own fails the task: its state would be read and written where no
 * other record of its series goes, so its deltas would be wrong after the next rescale or restore.
 */
public final class DeltaOperator extends AbstractUdfStreamOperator<SeriesGroup, DeltaCalculator>
        implements OneInputStreamOperator<SeriesBatch, SeriesGroup> {
    private static final long serialVersionUID = 1L;

    private transient KeyGroupRange owned;
    private transient int maxParallelism;
    private transient Collector<SeriesGroup> emit;
    private transient KeyedStateBackend<Tuple2<Long, Long>> keyedState;

    public DeltaOperator(DeltaCalculator calculator) {
        super(calculator);
    }

    @Override
    public void open() throws Exception {
        super.open();
        TaskInfo task = getRuntimeContext().getTaskInfo();
        maxParallelism = task.getMaxNumberOfParallelSubtasks();
        owned = KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(
                maxParallelism, task.getNumberOfParallelSubtasks(), task.getIndexOfThisSubtask());
        keyedState = getKeyedStateBackend();
        StreamRecord<SeriesGroup> record = new StreamRecord<>(null);
        emit = new Collector<>() {
            @Override
            public void collect(SeriesGroup group) {
                output.collect(record.replace(group, group.timestampMs));
            }

            @Override
            public void close() {
                output.close();
            }
        };
    }

    @Override
    public void processElement(StreamRecord<SeriesBatch> element) throws Exception {
        for (SeriesGroup group : element.getValue().groups) {
            Tuple2<Long, Long> key = SeriesGroupKey.of(group);
            int keyGroup = KeyGroupRangeAssignment.assignToKeyGroup(key, maxParallelism);
            if (!owned.contains(keyGroup)) {
                throw new IllegalStateException("delta subtask with key groups " + owned + " got a group of key group "
                        + keyGroup + " (" + group.logStream + " " + group.labels + "): the delta router and the"
                        + " delta stage disagree on parallelism or max parallelism");
            }
            // the key group is known: setCurrentKey would hash the key a second time to find it
            keyedState.setCurrentKeyAndKeyGroup(key, keyGroup);
            userFunction.process(group, emit);
        }
    }
}
