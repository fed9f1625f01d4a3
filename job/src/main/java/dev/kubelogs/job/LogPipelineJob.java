package dev.kubelogs.job;

import dev.kubelogs.job.merge.NodeProcessor;
import dev.kubelogs.job.metrics.MetricsPipeline;
import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.route.Category;
import dev.kubelogs.job.route.OutputTags;
import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSink;
import dev.kubelogs.job.source.SpoolRecord;
import dev.kubelogs.job.source.SpoolSource;
import java.io.Serializable;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The pipeline, top to bottom: spool source ▶ keyed by (cluster, node) ▶ node processor ▶ its events, every
 * category under its own log group ▶ one CloudWatch Logs sink; and, when the job is given one, the metrics pipeline beside it
 * ({@link MetricsPipeline}: scrape ▶ by series to the delta subtasks ▶ deltas ▶ EMF ▶ keyBy(log stream) ▶ sink). Source and sinks are parameters, so tests and the
 * demo swap them; {@link JobCommand} is the entry point that builds the real ones from arguments.
 *
 * <p>Every operator carries a fixed uid (auto-generated uids are disabled), so savepoints stay
 * restorable across releases.
 */
public final class LogPipelineJob {
    public static final String SOURCE_UID = "spool-source";
    public static final String NODE_PROCESSOR_UID = "node-processor";
    /** The uid of the sink of every category's events (its committer's: "Sink Committer: sink-logs"). */
    public static final String SINK_UID = "sink-logs";

    /** Builds the sink of the log events; called once while the graph is built. */
    @FunctionalInterface
    public interface SinkFactory extends Serializable {
        CloudWatchLogsSink create();
    }

    private final Source<SpoolRecord, ?, ?> source;
    private final String sourceUid;
    private final SinkFactory sinks;
    private final JobOptions options;
    private final MetricsPipeline metrics;

    public LogPipelineJob(Source<SpoolRecord, ?, ?> source, SinkFactory sinks, JobOptions options) {
        this(source, SOURCE_UID, sinks, options, null);
    }

    /** A job whose source is not the spool's, under its own uid (a savepoint's source state belongs to one kind). */
    public LogPipelineJob(Source<SpoolRecord, ?, ?> source, String sourceUid, SinkFactory sinks, JobOptions options) {
        this(source, sourceUid, sinks, options, null);
    }

    private LogPipelineJob(
            Source<SpoolRecord, ?, ?> source,
            String sourceUid,
            SinkFactory sinks,
            JobOptions options,
            MetricsPipeline metrics) {
        this.source = source;
        this.sourceUid = sourceUid;
        this.sinks = sinks;
        this.options = options;
        this.metrics = metrics;
    }

    /** This job with the metrics pipeline as its second branch. */
    public LogPipelineJob withMetrics(MetricsPipeline metrics) {
        return new LogPipelineJob(source, sourceUid, sinks, options, metrics);
    }

    public boolean hasMetrics() {
        return metrics != null;
    }

    /** Adds the pipeline (and the metrics pipeline, when there is one) to {@code env}. */
    public void build(StreamExecutionEnvironment env) {
        if (metrics != null) {
            metrics.build(env);
        }
        SingleOutputStreamOperator<CloudWatchEvent> processed = byNode(env)
                .process(new NodeProcessor(options))
                .uid(NODE_PROCESSOR_UID)
                .name(NODE_PROCESSOR_UID);

        // The sink is chained to the keyed stage: every log stream belongs to one node, so each stream has exactly
        // one writing subtask, which the exactly-once read-back relies on. One sink for every category: a subtask's
        // committables are one checkpoint stream (a file of its own once they pass the inline threshold, not megabytes
        // in every acknowledgement and _metadata), and one writer and committer take part in each checkpoint, not four.
        CloudWatchLogsSink sink = sinks.create();
        sink.addTo(processed.getSideOutput(OutputTags.EVENTS), SINK_UID);
        for (Category category : Category.values()) {
            sink.addRestoreOnly(processed, sinkUid(category));
        }
    }

    /**
     * The source's records keyed by (cluster, node). The spool's readers each read only the nodes whose key group the
     * keyed stage's subtask of the same index owns, so the keyed stage is chained to the source and no line crosses
     * the network; a source that mixes nodes in a reader (spread nodes, Kinesis shards) is shuffled by key.
     */
    private KeyedStream<SpoolRecord, String> byNode(StreamExecutionEnvironment env) {
        if (source instanceof SpoolSource spool && spool.readsNodesBesideTheirKeyGroup()) {
            SpoolSource aligned = spool.alignedWithKeyGroups(fixedMaxParallelism(env));
            return DataStreamUtils.reinterpretAsKeyedStream(records(env, aligned), new NodeKey());
        }
        return records(env, source).keyBy(new NodeKey());
    }

    private DataStream<SpoolRecord> records(StreamExecutionEnvironment env, Source<SpoolRecord, ?, ?> read) {
        return env.fromSource(read, WatermarkStrategy.noWatermarks(), sourceUid).uid(sourceUid);
    }

    /**
     * The job's max parallelism (the number of key groups), which the spool's readers pick nodes by. When the
     * configuration leaves it to Flink ({@code pipeline.max-parallelism}, which the shipped configurations set to 128)
     * it is fixed here to what Flink would compute for the job's operators, so the readers and the keyed stage agree.
     */
    static int fixedMaxParallelism(StreamExecutionEnvironment env) {
        if (env.getMaxParallelism() <= 0) {
            env.setMaxParallelism(
                    KeyGroupRangeAssignment.computeDefaultMaxParallelism(Math.max(1, env.getParallelism())));
        }
        return env.getMaxParallelism();
    }

    /**
     * The shaded jar's entry point; see {@link JobCommand} for the arguments. The JobManager runs it (application mode,
     * or a jar run through the REST API), so it never calls {@code System.exit}, which would end the JobManager's JVM:
     * a failure is thrown, and the cluster reports it to whoever submitted the jar.
     */
    public static void main(String[] args) {
        int code = JobCommand.run(args);
        if (code != 0) {
            throw new IllegalArgumentException("kubelogs job: exit code " + code + " (see the messages above)");
        }
    }

    /**
     * The uid of the category's own sink, which releases before {@link #SINK_UID} had: kept by restore-only operators
     * so that their checkpoints and savepoints restore and what they left pending is delivered.
     */
    public static String sinkUid(Category category) {
        return "sink-" + category.id();
    }

    /** (cluster, node) as one string key. */
    static final class NodeKey implements KeySelector<SpoolRecord, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(SpoolRecord record) {
            return record.nodeKey();
        }
    }
}
