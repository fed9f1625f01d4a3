package dev.kubelogs.job.merge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubelogs.job.JobOptions;
import dev.kubelogs.job.dedupe.ReplayFilter;
import dev.kubelogs.job.enrich.EventJson;
import dev.kubelogs.job.enrich.EventParts;
import dev.kubelogs.job.enrich.KubernetesFileName;
import dev.kubelogs.job.enrich.MetadataJoin;
import dev.kubelogs.job.enrich.NodeAttributes;
import dev.kubelogs.job.enrich.PodMetadata;
import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.multiline.MultilineBuffers;
import dev.kubelogs.job.multiline.MultilineJoiner;
import dev.kubelogs.job.multiline.SplitLineJoiner;
import dev.kubelogs.job.multiline.SplitLines;
import dev.kubelogs.job.order.SegmentOrder;
import dev.kubelogs.job.parse.ContainerLine;
import dev.kubelogs.job.parse.ContainerLineParser;
import dev.kubelogs.job.parse.JournalEntry;
import dev.kubelogs.job.parse.Json;
import dev.kubelogs.job.parse.SyslogParser;
import dev.kubelogs.job.route.Category;
import dev.kubelogs.job.route.EventOutput;
import dev.kubelogs.job.route.HostLines;
import dev.kubelogs.job.route.JournalRouting;
import dev.kubelogs.job.route.OutputTags;
import dev.kubelogs.job.route.RoutingRules;
import dev.kubelogs.job.route.TagNames;
import dev.kubelogs.job.source.SpoolRecord;
import dev.kubelogs.spool.JournalSources;
import dev.kubelogs.spool.LineFlags;
import dev.kubelogs.spool.SourceKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keyed stage, one key per (cluster, node). In order:
 * <ol>
 *   <li>segment order — records of a later segment that overtake an earlier one (two readers) are held
 *       until the earlier one is through, so every file is processed in file order;</li>
 *   <li>replay dedupe — per file identity the offset of the first unprocessed byte, so a re-read segment
 *       produces nothing new;</li>
 *   <li>parsing (Docker/CRI, syslog, journal) and the Container Insights routing rules;</li>
 *   <li>multiline — runtime partial lines joined, then java/python/go/user stack traces, per file and
 *       stream, flushed by a non-continuing line, the size limit, a timeout or the end of input;</li>
 *   <li>enrichment — the {@code kubernetes} block from pod metadata records in the same spool, matched by
 *       exact namespace, pod name and container id; lines that come before their pod wait (bounded);</li>
 *   <li>one side output per category, plus a dead letter with the reason.</li>
 * </ol>
 * Everything pending lives in keyed state, so a checkpoint or savepoint in the middle of a stack trace
 * completes it after restore, once. Nothing is dropped silently: every exclusion is counted.
 */
public class NodeProcessor extends KeyedProcessFunction<String, SpoolRecord, CloudWatchEvent> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(NodeProcessor.class);

    private final JobOptions options;

    private transient String currentKey;
    private transient StageContext stage;
    private transient SegmentOrder order;
    private transient ReplayFilter replay;
    private transient SplitLineJoiner splitLines;
    private transient MultilineBuffers multiline;
    private transient MetadataJoin metadata;
    private transient NodeAttributes attributes;
    private transient EventOutput events;
    private transient HostLines hostLines;

    /** Derived facts per (key, container file path); see {@link FileContext}. */
    private transient Map<String, FileContext> fileContexts;

    private transient Map<String, Counter> counters;

    public NodeProcessor(JobOptions options) {
        this.options = options;
    }

    @Override
    public void open(OpenContext openContext) {
        fileContexts = new HashMap<>();
        stage = new StageContext();

        MetricGroup metrics = getRuntimeContext().getMetricGroup().addGroup("kubelogs");
        order = new SegmentOrder(options.segmentGapTimeout());
        order.open(getRuntimeContext(), metrics);
        replay = new ReplayFilter(options.fileStateTtl());
        replay.open(getRuntimeContext(), metrics);
        splitLines = new SplitLineJoiner(options.maxRecordBytes());
        splitLines.open(getRuntimeContext());
        multiline = new MultilineBuffers(options.multilineFlushTimeout(), options.maxRecordBytes(),
                options.stackTraceJoining(), options.userRuleSets());
        multiline.open(getRuntimeContext(), metrics);
        metadata = new MetadataJoin(options.metadataWait(), options.maxAwaitingEventsPerNode(),
                options.kubernetesLabels(), options.kubernetesAnnotations());
        metadata.open(getRuntimeContext(), metrics);
        counters = new HashMap<>();
        for (String name : List.of("unparsedContainerLines", "excludedLines",
                "corruptSegments", "joinedRecords", "truncatedRecords")) {
            counters.put(name, metrics.counter(name));
        }
        attributes = new NodeAttributes();
        attributes.open(getRuntimeContext());
        events = new EventOutput(options.logGroupPrefix(), options.splitsOversizeEvents(), options.maxEventBytes());
        events.open(metrics);
        hostLines = new HostLines(options.journalRouting());
        hostLines.open(metrics, events);
    }

    private void count(String name) {
        counters.get(name).inc();
    }

    // ---------------------------------------------------------------- stages in order

    @Override
    public void processElement(SpoolRecord record, Context ctx, Collector<CloudWatchEvent> out) throws Exception {
        currentKey = ctx.getCurrentKey();
        stage.bind(ctx);
        order.accept(record, stage, r -> handle(r, ctx));
    }

    // ---------------------------------------------------------------- records

    private void handle(SpoolRecord record, Context ctx) throws Exception {
        switch (record.type) {
            case SpoolRecord.SEGMENT:
                attributes.remember(record);
                break;
            case SpoolRecord.LINE:
            case SpoolRecord.LINES:
                processLines(record, ctx);
                break;
            case SpoolRecord.POD:
                processPod(record, ctx);
                break;
            case SpoolRecord.CORRUPT:
                count("corruptSegments");
                events.deadLetter(stage, record, "corrupt spool segment " + record.attributes[0] + ": "
                        + new String(record.data, StandardCharsets.UTF_8));
                break;
            default:
                break; // SEGMENT_END only drives the ordering above
        }
    }

    /**
     * The lines of one file from one segment, in file order. The file's replay position is read once before and
     * written once after the batch: a line before it was processed already (a replayed segment) and is skipped.
     */
    private void processLines(SpoolRecord batch, Context ctx) throws Exception {
        String fileId = batch.fileIdentity();
        replay.begin(batch, fileId);
        SourceKind kind = batch.kind();
        FileContext file = null;
        for (int i = 0, n = batch.lineCount(); i < n; i++) {
            if (!replay.admit(batch, i)) {
                continue;
            }
            BatchLine line = new BatchLine(batch, i, fileId);
            switch (kind) {
                case CONTAINER:
                    if (file == null) {
                        file = fileContext(batch.path);
                    }
                    processContainerLine(line, file, ctx);
                    break;
                case HOST_FILE:
                    hostLines.hostFileLine(stage, line, attributes.of(currentKey));
                    break;
                case JOURNAL:
                    hostLines.journalLine(stage, line, attributes.of(currentKey));
                    break;
                default:
                    deadLetter(line, "unknown source kind " + batch.sourceKind);
            }
        }
        multiline.endBatch(stage);
        replay.end();
    }

    // ---------------------------------------------------------------- container lines

    private void processContainerLine(BatchLine line, FileContext file, Context ctx) throws Exception {
        RoutingRules.ContainerRoute route = file.route;
        if (route == RoutingRules.ContainerRoute.DROP) {
            count("excludedLines");
            return;
        }
        SpoolRecord batch = line.batch;
        long offset = line.offset;
        long readTime = line.readTime;
        String fileId = line.fileId;
        if ((line.flags & LineFlags.PARTIAL) != 0) {
            // the collector split a line longer than its maximum: gather the pieces, sending on full records
            splitLines.add(stage, fileId, batch.path, batch.data, line.from, line.length, offset, readTime,
                    longLineOutput(ctx, file, batch.cluster, batch.node, fileId));
            return;
        }
        ContainerLine parsed;
        if (splitLines.pending(stage, fileId)) {
            RawPiece whole = splitLines.complete(stage, fileId, batch.data, line.from, line.length,
                    longLineOutput(ctx, file, batch.cluster, batch.node, fileId));
            if (whole == null) {
                return;
            }
            parsed = ContainerLineParser.parse(whole.bytes);
            offset = whole.offset;
            readTime = whole.readTime;
        } else {
            parsed = ContainerLineParser.parse(batch.data, line.from, line.length);
        }
        long time = parsed.timeMillis() >= 0 ? parsed.timeMillis() : readTime;
        MultilineJoiner joiner = file.joiner(this);
        MultilineJoiner.Output output = (record, t, o, truncated) ->
                emitContainer(ctx, file, route, batch.cluster, batch.node, fileId, record, t, o, truncated);
        if (parsed.format() == ContainerLine.Format.RAW) {
            count("unparsedContainerLines");
            // Fluent Bit: a line no parser accepts breaks the file's pending multiline sequences, which leave first
            multiline.flushFile(stage, fileId, joiner, output);
            output.emit(parsed.record(), time, offset, false);
            return;
        }
        StreamBuffer buffer = multiline.forBatch(stage, file.bufferKey(fileId, parsed.stream()), batch.path, fileId,
                route == RoutingRules.ContainerRoute.DATAPLANE ? Category.DATAPLANE.ordinal() : Category.APPLICATION.ordinal());
        if (parsed.partial()) {
            joiner.partialPiece(buffer, parsed.format(), parsed.record(), parsed.log(), time, offset, output);
        } else {
            joiner.finalPiece(buffer, parsed.format(), parsed.record(), parsed.log(), time, offset, output);
        }
    }

    /** Where the records of a line the collector split go: out like any container record, counted when unparsed. */
    private SplitLines.Output longLineOutput(
            Context ctx, FileContext file, String cluster, String node, String fileId) {
        return (record, time, offset, truncated, unparsed) -> {
            if (unparsed) {
                count("unparsedContainerLines");
            }
            emitContainer(ctx, file, file.route, cluster, node, fileId, record, time, offset, truncated);
        };
    }

    private void emitContainer(Context ctx, RoutingRules.ContainerRoute route, String cluster, String node, String path,
            String fileId, ObjectNode record, long time, long offset, boolean truncated) throws Exception {
        emitContainer(ctx, fileContext(path), route, cluster, node, fileId, record, time, offset, truncated);
    }

    private void emitContainer(Context ctx, FileContext file, RoutingRules.ContainerRoute route, String cluster, String node,
            String fileId, ObjectNode record, long time, long offset, boolean truncated) throws Exception {
        String path = file.path;
        if (truncated) {
            record.put("multiline_truncated", true);
            count("truncatedRecords");
        }
        if (route == RoutingRules.ContainerRoute.DATAPLANE) {
            events.emit(stage, Category.DATAPLANE, cluster, file.names.dataplaneStream(), time,
                    EventJson.dataplaneTail(record, attributes.of(currentKey)), fileId, offset);
            return;
        }
        KubernetesFileName name = file.names.fileName();
        if (name == null) {
            // Fluent Bit: "invalid pattern for given tag" — the kubernetes filter leaves the record untouched
            events.emit(stage, Category.APPLICATION, cluster, file.names.applicationStream(), time,
                    EventJson.write(record), fileId, offset);
            return;
        }
        file.refreshPod(this);
        if (file.podExcluded) {
            metadata.excludedLine();
            return;
        }
        if (file.container != null && !metadata.queued(stage, file.containerKey)) {
            emitApplication(ctx, cluster, file, fileId, record, file.kubernetesJson, time, offset);
            return;
        }
        if (!metadata.park(stage, file.containerKey, cluster, node, path, fileId, record, time, offset)) {
            emitApplication(ctx, cluster, file, fileId, record, file.fileNameKubernetesJson(), time, offset);
        }
    }

    private void emitApplication(Context ctx, String cluster, FileContext file, String fileId, ObjectNode record,
            String kubernetesJson, long time, long offset) {
        JsonNode log = record.get("log");
        if (log != null && log.isTextual()) {
            String text = log.textValue();
            int newline = text.indexOf('\n');
            if (newline >= 0 && newline < text.length() - 1) {
                count("joinedRecords");
            }
        }
        events.emit(stage, Category.APPLICATION, cluster, file.names.applicationStream(), time,
                EventJson.application(record, kubernetesJson), fileId, offset);
    }

    // ---------------------------------------------------------------- pod metadata

    private void processPod(SpoolRecord record, Context ctx) throws Exception {
        PodMetadata pod;
        try {
            pod = metadata.read(record);
        } catch (IOException e) {
            events.deadLetter(stage, record, "unreadable pod metadata record: " + e.getMessage());
            return;
        }
        metadata.onPod(stage, pod, released(ctx));
    }

    /** Where a record released from the metadata wait goes: with its pod's block, or the file name's fields. */
    private MetadataJoin.Released released(Context ctx) {
        return (e, record, kubernetesJson) -> {
            FileContext file = fileContext(e.path);
            emitApplication(ctx, e.cluster, file, e.fileId, record,
                    kubernetesJson != null ? kubernetesJson : file.fileNameKubernetesJson(), e.time, e.offset);
        };
    }

    // ---------------------------------------------------------------- timers

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CloudWatchEvent> out) throws Exception {
        currentKey = ctx.getCurrentKey();
        stage.bind(ctx);
        if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
            flushEverything(ctx);
            return;
        }
        order.onTimer(stage, r -> handle(r, ctx));
        multiline.flushDue(stage, flushed(ctx));
        metadata.releaseExpired(stage, released(ctx));
    }

    private void flushEverything(Context ctx) throws Exception {
        order.releaseAll(stage, r -> handle(r, ctx));
        splitLines.abandonAll(stage, (fileId, path) ->
                longLineOutput(ctx, fileContext(path), clusterOf(ctx), nodeOf(ctx), fileId));
        multiline.flushAll(stage, flushed(ctx));
        metadata.releaseAll(stage, released(ctx));
    }

    /** Where a multiline buffer flushed by its deadline or the end of input goes: out like any container record. */
    private MultilineBuffers.Flushed flushed(Context ctx) {
        String cluster = clusterOf(ctx);
        String node = nodeOf(ctx);
        return buffer -> {
            RoutingRules.ContainerRoute route = buffer.category == Category.DATAPLANE.ordinal()
                    ? RoutingRules.ContainerRoute.DATAPLANE : RoutingRules.ContainerRoute.APPLICATION;
            return (record, t, o, truncated) ->
                    emitContainer(ctx, route, cluster, node, buffer.path, buffer.fileId, record, t, o, truncated);
        };
    }

    private static String clusterOf(Context ctx) {
        String key = (String) ctx.getCurrentKey();
        return key.substring(0, key.indexOf('/'));
    }

    private static String nodeOf(Context ctx) {
        return nodeOf((String) ctx.getCurrentKey());
    }

    // ---------------------------------------------------------------- output

    /** A line that cannot be processed. */
    private void deadLetter(BatchLine line, String reason) {
        events.deadLetter(stage, line.batch, reason, line.fileId, line.offset, line.bytes(), line.readTime);
    }

    /** What a container file's path says (kubelet name fields, stream names): pure, kept in its file context. */
    private static PathNames names(String node, String path) {
        return new PathNames(KubernetesFileName.parse(TagNames.baseName(path)),
                TagNames.applicationStream(node, path), TagNames.dataplaneTailStream(node, path));
    }

    private static String nodeOf(String key) {
        return key.substring(key.indexOf('/') + 1);
    }

    /** The context of a container file path of the current key (created on first use). */
    private FileContext fileContext(String path) {
        String key = currentKey + "|" + path;
        FileContext file = fileContexts.get(key);
        if (file == null) {
            if (fileContexts.size() > 100_000) {
                fileContexts.clear();
            }
            file = new FileContext(path, options.routingRules().routeContainerFile(path), names(nodeOf(currentKey), path));
            fileContexts.put(key, file);
        }
        return file;
    }

    /**
     * What one container file path of one node key implies, derived once instead of per line: its route, names
     * and state keys, and — until the next pod record changes them — its pod's metadata, exclusion, multiline rule
     * sets and written kubernetes block. Memory only; rebuilt from state after a restore.
     */
    private static final class FileContext {
        final String path;
        final RoutingRules.ContainerRoute route;
        final PathNames names;
        /** namespace/pod/container id; null when the file name does not follow the kubelet's pattern. */
        final String containerKey;
        private String bufferKeysFileId;
        private String stdoutKey;
        private String stderrKey;
        private String fileNameKubernetesJson;

        private long podVersionSeen = -1;
        PodMetadata pod;
        JsonNode container;
        boolean podExcluded;
        String kubernetesJson;
        private MultilineJoiner joiner;

        FileContext(String path, RoutingRules.ContainerRoute route, PathNames names) {
            this.path = path;
            this.route = route;
            this.names = names;
            KubernetesFileName name = names.fileName();
            this.containerKey = name == null ? null
                    : PodMetadata.key(name.namespace(), name.podName()) + "/" + name.dockerId();
        }

        /** The multiline buffer key of one stream of this file's current identity. */
        String bufferKey(String fileId, String stream) {
            if (!fileId.equals(bufferKeysFileId)) {
                bufferKeysFileId = fileId;
                stdoutKey = fileId + "|stdout";
                stderrKey = fileId + "|stderr";
            }
            return "stdout".equals(stream) ? stdoutKey : "stderr".equals(stream) ? stderrKey : fileId + "|" + stream;
        }

        /** The kubernetes block when no metadata is known: the file name's fields. */
        String fileNameKubernetesJson() {
            if (fileNameKubernetesJson == null) {
                fileNameKubernetesJson = EventJson.write(names.fileName().toKubernetesBlock());
            }
            return fileNameKubernetesJson;
        }

        /** Re-reads the pod's metadata when a pod record arrived since the last look. */
        void refreshPod(NodeProcessor p) throws Exception {
            if (podVersionSeen == p.metadata.podVersion()) {
                return;
            }
            KubernetesFileName name = names.fileName();
            pod = name == null ? null : p.metadata.pod(p.stage, name.namespace(), name.podName());
            container = pod == null ? null : pod.container(name.dockerId());
            podExcluded = pod != null && pod.excluded();
            kubernetesJson = container == null ? null
                    : p.metadata.kubernetesJson(pod, container);
            joiner = p.multiline.joinerFor(p.stage, route == RoutingRules.ContainerRoute.APPLICATION, name, pod);
            podVersionSeen = p.metadata.podVersion();
        }

        MultilineJoiner joiner(NodeProcessor p) throws Exception {
            refreshPod(p);
            return joiner;
        }
    }

    /** @param fileName null when the name does not follow the kubelet's pattern */
    private record PathNames(KubernetesFileName fileName, String applicationStream, String dataplaneStream) {}
}
