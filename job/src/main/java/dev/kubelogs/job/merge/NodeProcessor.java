package dev.kubelogs.job.merge;

import dev.kubelogs.job.JobOptions;
import dev.kubelogs.job.dedupe.ReplayFilter;
import dev.kubelogs.job.enrich.MetadataJoin;
import dev.kubelogs.job.enrich.NodeAttributes;
import dev.kubelogs.job.enrich.PodMetadata;
import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.multiline.MultilineBuffers;
import dev.kubelogs.job.multiline.SplitLineJoiner;
import dev.kubelogs.job.order.SegmentOrder;
import dev.kubelogs.job.route.EventOutput;
import dev.kubelogs.job.route.HostLines;
import dev.kubelogs.job.source.SpoolRecord;
import dev.kubelogs.spool.SourceKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The keyed stage, one key per (cluster, node): one operator whose stages each own their keyed state, deadlines
 * and counters, called in this order:
 * <ol>
 *   <li>{@link SegmentOrder} — records of a later segment that overtake an earlier one (two readers) are held
 *       until the earlier one is through, so every file is processed in file order;</li>
 *   <li>{@link ReplayFilter} — per file identity the offset of the first unprocessed byte, so a re-read segment
 *       produces nothing new;</li>
 *   <li>container lines ({@link ContainerLines}): the Container Insights routing rules, {@link SplitLineJoiner}
 *       (lines the collector split), Docker/CRI parsing, {@link MultilineBuffers} (runtime partial lines, then
 *       java/python/go/user stack traces, per file and stream, flushed by a non-continuing line, the size limit,
 *       a stream idle before a segment's caught-up time, a timeout or the end of input) and {@link MetadataJoin} (the {@code kubernetes} block from pod metadata
 *       records in the same spool, matched by exact namespace, pod name and container id; lines that come before
 *       their pod wait, bounded); host file and journal lines: {@link HostLines};</li>
 *   <li>{@link EventOutput} — every event on one side output under its category's log group, plus a dead letter with the reason.</li>
 * </ol>
 * One processing-time timer per key serves every deadline: {@link #onTimer} asks each stage that owns one what is
 * due; at the end of input (the watermark at its maximum) every stage releases what it holds, in stage order.
 * Everything pending lives in keyed state, so a checkpoint or savepoint in the middle of a stack trace completes
 * it after restore, once. Nothing is dropped silently: every exclusion is counted.
 */
public class NodeProcessor extends KeyedProcessFunction<String, SpoolRecord, CloudWatchEvent> {
    private static final long serialVersionUID = 1L;

    private final JobOptions options;

    private transient StageContext stage;
    private transient SegmentOrder order;
    private transient ReplayFilter replay;
    private transient SplitLineJoiner splitLines;
    private transient MultilineBuffers multiline;
    private transient MetadataJoin metadata;
    private transient NodeAttributes attributes;
    private transient EventOutput events;
    private transient HostLines hostLines;
    private transient ContainerLines containers;
    private transient Counter corruptSegments;

    public NodeProcessor(JobOptions options) {
        this.options = options;
    }

    @Override
    public void open(OpenContext openContext) {
        MetricGroup metrics = getRuntimeContext().getMetricGroup().addGroup("kubelogs");
        stage = new StageContext();
        order = new SegmentOrder(options.segmentGapTimeout());
        order.open(getRuntimeContext(), metrics);
        replay = new ReplayFilter(options.fileStateTtl());
        replay.open(getRuntimeContext(), metrics);
        splitLines = new SplitLineJoiner(options.maxRecordBytes());
        splitLines.open(getRuntimeContext());
        multiline = new MultilineBuffers(
                options.multilineFlushTimeout(),
                options.multilineIdleFlush(),
                options.maxRecordBytes(),
                options.stackTraceJoining(),
                options.userRuleSets());
        multiline.open(getRuntimeContext(), metrics);
        metadata = new MetadataJoin(
                options.metadataWait(),
                options.maxAwaitingEventsPerNode(),
                options.kubernetesLabels(),
                options.kubernetesAnnotations());
        metadata.open(getRuntimeContext(), metrics);
        attributes = new NodeAttributes();
        attributes.open(getRuntimeContext());
        events = new EventOutput(options.logGroupPrefix(), options.splitsOversizeEvents(), options.maxEventBytes());
        events.open(metrics);
        hostLines = new HostLines(options.journalRouting());
        hostLines.open(metrics, events);
        containers = new ContainerLines(
                options.routingRules(),
                options.parsers(),
                stage,
                splitLines,
                multiline,
                metadata,
                attributes,
                events,
                metrics);
        corruptSegments = metrics.counter("corruptSegments");
    }

    @Override
    public void processElement(SpoolRecord record, Context ctx, Collector<CloudWatchEvent> out) throws Exception {
        stage.bind(ctx);
        order.accept(record, stage, this::handle);
    }

    /** A record whose turn it is. */
    private void handle(SpoolRecord record) throws Exception {
        switch (record.type) {
            case SpoolRecord.SEGMENT:
                attributes.remember(record);
                break;
            case SpoolRecord.LINE:
            case SpoolRecord.LINES:
                processLines(record);
                break;
            case SpoolRecord.POD:
                processPod(record);
                break;
            case SpoolRecord.CORRUPT:
                corruptSegments.inc();
                events.deadLetter(
                        stage,
                        record,
                        "corrupt spool segment " + record.attributes[0] + ": "
                                + new String(record.data, StandardCharsets.UTF_8));
                break;
            case SpoolRecord.SEGMENT_END:
                if (record.statesCaughtUp()) {
                    multiline.flushIdle(stage, record.readTimeMillis, containers.flushed());
                }
                break;
            default:
                break;
        }
    }

    /**
     * The lines of one file from one segment, in file order. The file's replay position is read once before and
     * written once after the batch, and so are the multiline buffers the batch touches.
     */
    private void processLines(SpoolRecord batch) throws Exception {
        String fileId = batch.fileIdentity();
        replay.begin(batch, fileId);
        SourceKind kind = batch.kind();
        ContainerFile file = null;
        for (int i = 0, n = batch.lineCount(); i < n; i++) {
            if (!replay.admit(batch, i)) {
                continue;
            }
            BatchLine line = new BatchLine(batch, i, fileId);
            switch (kind) {
                case CONTAINER:
                    if (file == null) {
                        file = containers.file(batch.path);
                    }
                    containers.line(line, file);
                    break;
                case HOST_FILE:
                    hostLines.hostFileLine(stage, line, attributes.of(stage.key()));
                    break;
                case JOURNAL:
                    hostLines.journalLine(stage, line, attributes.of(stage.key()));
                    break;
                default:
                    events.deadLetter(
                            stage,
                            batch,
                            "unknown source kind " + batch.sourceKind,
                            fileId,
                            line.offset,
                            line.bytes(),
                            line.readTime);
            }
        }
        multiline.endBatch(stage, batch.lineReadTime(batch.lineCount() - 1));
        replay.end();
    }

    private void processPod(SpoolRecord record) throws Exception {
        PodMetadata pod;
        try {
            pod = metadata.read(record);
        } catch (IOException e) {
            events.deadLetter(stage, record, "unreadable pod metadata record: " + e.getMessage());
            return;
        }
        metadata.onPod(stage, pod, containers.released());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CloudWatchEvent> out) throws Exception {
        stage.bind(ctx);
        if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
            // the end of input: everything pending leaves, in stage order
            order.releaseAll(stage, this::handle);
            splitLines.abandonAll(stage, containers.abandoned());
            multiline.flushAll(stage, containers.flushed());
            metadata.releaseAll(stage, containers.released());
            return;
        }
        order.onTimer(stage, this::handle);
        multiline.flushDue(stage, containers.flushed());
        metadata.releaseExpired(stage, containers.released());
    }
}
