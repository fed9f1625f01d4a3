package dev.kubelogs.job.metrics.delta;

import dev.kubelogs.job.metrics.model.SeriesBatch;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.tuple.Tuple2;

/**
 * The state key selector of the delta stage's input: the key of a batch's first group. Flink sets it as the current
 * key before each record; {@link DeltaOperator} then sets each group's own key ({@link SeriesGroupKey}) before it
 * touches the state, so this one only gives the operator its keyed state backend (of {@link SeriesGroupKey#TYPE}, the
 * key the delta state has always had).
 */
public final class SeriesBatchKey implements KeySelector<SeriesBatch, Tuple2<Long, Long>> {
    private static final long serialVersionUID = 1L;

    @Override
    public Tuple2<Long, Long> getKey(SeriesBatch batch) {
        if (batch.groups == null || batch.groups.isEmpty()) {
            throw new IllegalArgumentException("an empty batch has no key: " + batch);
        }
        return SeriesGroupKey.of(batch.groups.get(0));
    }
}
