package dev.kubelogs.job.metrics.delta;

import static dev.kubelogs.job.metrics.delta.DeltaStateCompatibilityTest.TTL;

import dev.kubelogs.job.metrics.model.SeriesGroup;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.SavepointType;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

/**
 * The upgrade from the per-group topology, on the backend the job runs: the delta stage used to be a
 * {@code KeyedProcessOperator} of the calculator, fed a group per record by {@code keyBy(series)}, which registers
 * Flink's timer service beside the delta state. A savepoint it took, on RocksDB or the heap, restores into
 * {@link DeltaOperator} on either, and the scrape after it gives exact deltas: no increase lost or counted twice.
 */
class PerGroupToBatchMigrationTest {
    /** The calculator as the old operator ran it: Flink set the key from the record, the function saw one group. */
    private static final class PerGroup extends KeyedProcessFunction<Tuple2<Long, Long>, SeriesGroup, SeriesGroup> {
        private final DeltaCalculator calculator = new DeltaCalculator(TTL);

        @Override
        public void open(OpenContext context) throws Exception {
            calculator.setRuntimeContext(getRuntimeContext());
            calculator.open(context);
        }

        @Override
        public void processElement(SeriesGroup group, Context ctx, Collector<SeriesGroup> out) throws Exception {
            calculator.process(group, out);
        }
    }

    private static OperatorSubtaskState perGroupSavepoint(StateBackend backend) throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<Tuple2<Long, Long>, SeriesGroup, SeriesGroup> old =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new PerGroup()), new SeriesGroupKey(), SeriesGroupKey.TYPE)) {
            old.setStateBackend(backend);
            old.open();
            for (SeriesGroup g : DeltaStateCompatibilityTest.groupsBefore()) {
                old.processElement(g, g.timestampMs);
            }
            return old.snapshotWithLocalState(1, 1, SavepointType.savepoint(SavepointFormatType.CANONICAL))
                    .getJobManagerOwnedState();
        }
    }

    @Test
    void aSavepointOfThePerGroupOperatorRestoresIntoTheBatchOperatorOnEitherBackend() throws Exception {
        for (StateBackend from : List.of(new EmbeddedRocksDBStateBackend(), new HashMapStateBackend())) {
            OperatorSubtaskState savepoint = perGroupSavepoint(from);
            for (StateBackend to : List.of(new EmbeddedRocksDBStateBackend(), new HashMapStateBackend())) {
                try (DeltaHarness h = new DeltaHarness(TTL, to, savepoint)) {
                    DeltaStateCompatibilityTest.assertNextScrapeGivesExactDeltas(h);
                }
            }
        }
    }
}
