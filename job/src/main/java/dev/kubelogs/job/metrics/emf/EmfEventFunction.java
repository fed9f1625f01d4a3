package dev.kubelogs.job.metrics.emf;

import dev.kubelogs.job.metrics.model.SeriesGroup;
import dev.kubelogs.job.model.CloudWatchEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;

/** The EMF stage: each group (its counters already deltas) becomes its event(s); the counters are the task's. */
public final class EmfEventFunction extends RichFlatMapFunction<SeriesGroup, CloudWatchEvent> {
    private static final long serialVersionUID = 1L;
    public static final String UID = "metrics-emf";

    private final EmfEventBuilder.Builder settings;
    private transient EmfEventBuilder builder;

    public EmfEventFunction(EmfEventBuilder.Builder settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext context) {
        builder = settings.build(
                new EmfCounters(getRuntimeContext().getMetricGroup().addGroup("kubelogs")));
    }

    @Override
    public void flatMap(SeriesGroup group, Collector<CloudWatchEvent> out) {
        builder.build(group, out::collect);
    }
}
