package dev.kubelogs.job.metrics.source;

import dev.kubelogs.job.metrics.model.SeriesBatch;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** A scrape's batch as its groups, one record each, for tests that look at the source's groups one by one. */
final class EachGroup implements FlatMapFunction<SeriesBatch, SeriesGroup> {
    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(SeriesBatch scrape, Collector<SeriesGroup> out) {
        scrape.groups.forEach(out::collect);
    }
}
