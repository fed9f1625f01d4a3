package dev.kubelogs.job.metrics.delta;

import dev.kubelogs.job.metrics.model.SeriesBatch;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.transformations.PartitionTransformation;

/**
 * The delta stage behind the scrape source: {@link DeltaRouter} (chained to the source) ▶ {@link
 * DeltaSubtaskPartitioner} ▶ {@link DeltaOperator} keyed by {@link SeriesGroupKey}. What {@code keyBy(series)
 * .process(deltas)} did, with a scrape's groups crossing the network as one record per delta subtask instead of one
 * each. Flink's keyed streams take one key per record, so the keyed operator is declared here as {@code KeyedStream}
 * declares it: a state key selector and key type on its transformation.
 *
 * <p>The router's output buffers wait up to {@link #BUFFER_TIMEOUT_MS} (Flink's default is 100 ms) before they are
 * sent unfilled, or, ahead of a sink that commits at checkpoints, in effect until they are full or a barrier comes
 * ({@link #UNTIL_FULL_OR_BARRIER_MS}). A delta subtask gets a record per target scrape and a source subtask, a few
 * kilobytes each; each buffer it receives wakes its thread, which then finds its caches (string caches, state, code)
 * evicted by the other threads and pays for it again per record. Fuller buffers mean more records per wake. A
 * checkpoint barrier sends the buffers at once, so the exactly-once sink, which commits at checkpoints, commits a
 * record in the same checkpoint however long it waited in a buffer.
 */
public final class DeltaStage {
    /** How long a record to the delta stage may wait in an unfilled network buffer. */
    public static final long BUFFER_TIMEOUT_MS = 500;
    /**
     * A buffer timeout that full buffers and checkpoint barriers (every few seconds) always beat: a buffer goes when
     * full or with the barrier. Flink has no "never" for one edge (a transformation's -1 takes the job's default, 100
     * ms), so a minute stands for it; a flush timer that fires once a minute costs nothing.
     */
    public static final long UNTIL_FULL_OR_BARRIER_MS = 60_000;

    private DeltaStage() {}

    /**
     * The deltas of {@code scrapes} (one batch per scrape), the router's buffers waiting {@link #BUFFER_TIMEOUT_MS};
     * the router's uid is {@link DeltaRouter#UID}.
     */
    public static SingleOutputStreamOperator<SeriesGroup> deltas(
            DataStream<SeriesBatch> scrapes, DeltaCalculator calculator) {
        return deltas(scrapes, calculator, BUFFER_TIMEOUT_MS);
    }

    /**
     * As {@link #deltas(DataStream, DeltaCalculator)}, the router's buffers waiting {@code routerBufferTimeoutMs}
     * ({@link #UNTIL_FULL_OR_BARRIER_MS} when everything downstream commits at checkpoints).
     */
    public static SingleOutputStreamOperator<SeriesGroup> deltas(
            DataStream<SeriesBatch> scrapes, DeltaCalculator calculator, long routerBufferTimeoutMs) {
        DataStream<SeriesBatch> routed = scrapes.flatMap(new DeltaRouter())
                .uid(DeltaRouter.UID)
                .name(DeltaRouter.UID)
                .setBufferTimeout(routerBufferTimeoutMs);
        DataStream<SeriesBatch> toSubtasks = new DataStream<>(
                routed.getExecutionEnvironment(),
                new PartitionTransformation<>(routed.getTransformation(), new DeltaSubtaskPartitioner()));
        SingleOutputStreamOperator<SeriesGroup> deltas = toSubtasks.transform(
                DeltaCalculator.UID, TypeInformation.of(SeriesGroup.class), new DeltaOperator(calculator));
        @SuppressWarnings("unchecked") // transform() made it, from this input and output type
        OneInputTransformation<SeriesBatch, SeriesGroup> keyed =
                (OneInputTransformation<SeriesBatch, SeriesGroup>) deltas.getTransformation();
        keyed.setStateKeySelector(new SeriesBatchKey());
        keyed.setStateKeyType(SeriesGroupKey.TYPE);
        return deltas.uid(DeltaCalculator.UID).name(DeltaCalculator.UID);
    }
}
