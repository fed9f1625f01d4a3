package dev.kubelogs.job.metrics;

import dev.kubelogs.job.metrics.delta.DeltaCalculator;
import dev.kubelogs.job.metrics.delta.DeltaStage;
import dev.kubelogs.job.metrics.emf.EmfBundleOperator;
import dev.kubelogs.job.metrics.emf.EmfEventBuilder;
import dev.kubelogs.job.metrics.model.SeriesBatch;
import dev.kubelogs.job.model.CloudWatchEventBundle;
import dev.kubelogs.job.model.CloudWatchEventBundleSerializer;
import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSink;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The metrics branch of the job, top to bottom: scrape source (a record per scrape) ▶ by series to the delta
 * subtask that owns it ({@link DeltaStage}: a record per scrape and subtask) ▶ counter deltas ▶ EMF events, a
 * record per log stream's run of them ({@link EmfBundleOperator}) ▶ keyBy(log stream) ▶ CloudWatch Logs sink. Source,
 * delta stage, EMF settings and sink are parameters, so tests swap them; {@code JobCommand} builds the real ones from
 * the agent's files.
 *
 * <p>Exactly once: the sink commits a checkpoint's events only after that checkpoint completed, and the delta state
 * is in the same checkpoint, so after a failover the next scrape's delta is taken against the checkpointed value.
 */
public final class MetricsPipeline {
    public static final String SOURCE_UID = "metrics-scrape";
    public static final String SINK_UID = "sink-prometheus";

    private final Source<SeriesBatch, ?, ?> source;
    private final DeltaCalculator deltas;
    private final EmfEventBuilder.Builder events;
    private final CloudWatchLogsSink sink;

    public MetricsPipeline(
            Source<SeriesBatch, ?, ?> source,
            DeltaCalculator deltas,
            EmfEventBuilder.Builder events,
            CloudWatchLogsSink sink) {
        this.source = source;
        this.deltas = deltas;
        this.events = events;
        this.sink = sink;
    }

    public void build(StreamExecutionEnvironment env) {
        DataStream<SeriesBatch> scrapes = env.fromSource(source, WatermarkStrategy.noWatermarks(), SOURCE_UID)
                .uid(SOURCE_UID);
        // the exactly-once sink commits a checkpoint's events once it completed, and a barrier sends the buffers ahead
        // of it: a record waiting in an unfilled buffer until the barrier is committed in the same checkpoint, so the
        // metrics edges send buffers when full or with the barrier (no 100 ms flushes), and bundles need no timer; the
        // at-least-once sink puts as events come: they may not wait for a barrier
        boolean commitsAtCheckpoints = sink.config().deliveryGuarantee() == DeliveryGuarantee.EXACTLY_ONCE;
        SingleOutputStreamOperator<CloudWatchEventBundle> emf = DeltaStage.deltas(
                        scrapes,
                        deltas,
                        commitsAtCheckpoints ? DeltaStage.UNTIL_FULL_OR_BARRIER_MS : DeltaStage.BUFFER_TIMEOUT_MS)
                .transform(
                        EmfBundleOperator.UID,
                        CloudWatchEventBundleSerializer.of(),
                        commitsAtCheckpoints
                                ? new EmfBundleOperator(events, EmfBundleOperator.UNTIL_BARRIER)
                                : new EmfBundleOperator(events))
                .uid(EmfBundleOperator.UID);
        if (commitsAtCheckpoints) {
            emf.setBufferTimeout(DeltaStage.UNTIL_FULL_OR_BARRIER_MS);
        }
        // one writing subtask per log stream: the sink's read-back after a failover relies on it, and its
        // ownership check (by the events' stream key, the bundles' key) fails the job if the topology ever breaks that
        sink.addBundlesTo(emf.keyBy(CloudWatchLogsSink.bundleStreamKeySelector()), SINK_UID);
    }
}
