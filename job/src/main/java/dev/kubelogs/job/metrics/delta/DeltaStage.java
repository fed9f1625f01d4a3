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
 * sent unfilled. A delta subtask gets a record per target scrape and a source subtask, a few kilobytes each; each
 * buffer it receives wakes its thread, which then finds its caches (string caches, state, code) evicted by the other
 * threads and pays for it again per record. Fuller buffers mean more records per wake. A checkpoint barrier sends
 * the buffers at once, so the exactly-once sink, which commits at checkpoints, sees no later events.
 */
public final class DeltaStage {
    /** How long a record to the delta stage may wait in an unfilled network buffer. */
    static final long BUFFER_TIMEOUT_MS = 500;

    private DeltaStage() {}

    /** The deltas of {@code scrapes} (one batch per scrape); the router's uid is {@link DeltaRouter#UID}. */
    public static SingleOutputStreamOperator<SeriesGroup> deltas(
            DataStream<SeriesBatch> scrapes, DeltaCalculator calculator) {
        DataStream<SeriesBatch> routed = scrapes.flatMap(new DeltaRouter())
                .uid(DeltaRouter.UID)
                .name(DeltaRouter.UID)
                .setBufferTimeout(BUFFER_TIMEOUT_MS);
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
