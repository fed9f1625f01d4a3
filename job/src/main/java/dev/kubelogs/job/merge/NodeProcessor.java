package dev.kubelogs.job.merge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubelogs.job.JobOptions;
import dev.kubelogs.job.dedupe.ReplayFilter;
import dev.kubelogs.job.enrich.EventJson;
import dev.kubelogs.job.enrich.EventParts;
import dev.kubelogs.job.enrich.KubernetesFileName;
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

    private transient MapState<String, String> pods;
    private transient MapState<Long, AwaitingEvent> awaiting;
    private transient MapState<String, Integer> awaitingByContainer;
    private transient ValueState<Long> awaitingNextId;

    private transient ValueState<Integer> awaitingCount;
    /** Parsed views of keyed state, per node key; rebuilt lazily after a restore. */
    private transient Map<String, PodMetadata> podCache;
    /**
     * What this instance knows about each key's state, so the hot path skips state reads (each one a RocksDB
     * lookup in production). Only this instance writes a key's state, so the view stays exact; it starts empty
     * after open() and is filled from state on first use.
     */
    private transient Map<String, KeyView> views;
    private transient String currentKey;
    private transient StageContext stage;
    private transient SegmentOrder order;
    private transient ReplayFilter replay;
    private transient SplitLineJoiner splitLines;
    private transient MultilineBuffers multiline;
    private transient NodeAttributes attributes;
    private transient EventOutput events;

    /** Derived facts per (key, container file path); see {@link FileContext}. */
    private transient Map<String, FileContext> fileContexts;
    /** Bumped by every pod record: what a file context derived from pod metadata is stale after it. */
    private transient long podVersion;

    private transient Map<String, Counter> counters;

    public NodeProcessor(JobOptions options) {
        this.options = options;
    }

    @Override
    public void open(OpenContext openContext) {
        pods = getRuntimeContext().getMapState(new MapStateDescriptor<>("pods", Types.STRING, Types.STRING));
        awaiting = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("awaiting-metadata", Types.LONG, TypeInformation.of(AwaitingEvent.class)));
        awaitingByContainer = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("awaiting-by-container", Types.STRING, Types.INT));
        awaitingNextId = getRuntimeContext().getState(new ValueStateDescriptor<>("awaiting-next-id", Types.LONG));
        awaitingCount = getRuntimeContext().getState(new ValueStateDescriptor<>("awaiting-count", Types.INT));
        podCache = new HashMap<>();
        views = new HashMap<>();
        fileContexts = new HashMap<>();
        podVersion = 0;
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
        counters = new HashMap<>();
        for (String name : List.of("unparsedContainerLines", "unparsedHostLines",
                "unroutedJournalEntries", "excludedLines",
                "podExcludedLines", "corruptSegments", "joinedRecords", "truncatedRecords",
                "awaitedMetadata", "missingMetadata", "podRecords")) {
            counters.put(name, metrics.counter(name));
        }
        attributes = new NodeAttributes();
        attributes.open(getRuntimeContext());
        events = new EventOutput(options.logGroupPrefix(), options.splitsOversizeEvents(), options.maxEventBytes());
        events.open(metrics);
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
            Line line = new Line(batch, i, fileId);
            switch (kind) {
                case CONTAINER:
                    if (file == null) {
                        file = fileContext(batch.path);
                    }
                    processContainerLine(line, file, ctx);
                    break;
                case HOST_FILE:
                    processHostFileLine(line, ctx);
                    break;
                case JOURNAL:
                    processJournalLine(line, ctx);
                    break;
                default:
                    deadLetter(line, "unknown source kind " + batch.sourceKind);
            }
        }
        multiline.endBatch(stage);
        replay.end();
    }

    /** One line of a batch: where its bytes lie and where it was in its file. */
    private static final class Line {
        final SpoolRecord batch;
        final String fileId;
        final int from;
        final int length;
        final long offset;
        final int flags;
        final long readTime;

        Line(SpoolRecord batch, int index, String fileId) {
            this.batch = batch;
            this.fileId = fileId;
            this.from = batch.lineStart(index);
            this.length = batch.lineLength(index);
            this.offset = batch.lineOffset(index);
            this.flags = batch.lineFlags(index);
            this.readTime = batch.lineReadTime(index);
        }

        byte[] bytes() {
            return java.util.Arrays.copyOfRange(batch.data, from, from + length);
        }

        String text() {
            return new String(batch.data, from, length, StandardCharsets.UTF_8);
        }
    }

    // ---------------------------------------------------------------- container lines

    private void processContainerLine(Line line, FileContext file, Context ctx) throws Exception {
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
            count("podExcludedLines");
            return;
        }
        if (file.container != null && (awaiting() == 0 || !awaitingByContainer.contains(file.containerKey))) {
            emitApplication(ctx, cluster, file, fileId, record, file.kubernetesJson, time, offset);
            return;
        }
        if (!park(ctx, file.containerKey, cluster, node, path, fileId, record, time, offset)) {
            count("missingMetadata");
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

    /** The pod's metadata from keyed state, parsed once per pod and change (the cache is rebuilt after a restore). */
    private PodMetadata pod(String namespace, String name) throws Exception {
        String key = PodMetadata.key(namespace, name);
        String cacheKey = currentKey + "|" + key;
        PodMetadata cached = podCache.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        if (view().podsKnownAbsent.contains(key)) {
            return null;
        }
        String json = pods.get(key);
        if (json == null) {
            view().podsKnownAbsent.add(key);
            return null;
        }
        PodMetadata parsed = PodMetadata.parse(json);
        if (podCache.size() > 10_000) {
            podCache.clear();
        }
        podCache.put(cacheKey, parsed);
        return parsed;
    }

    // ---------------------------------------------------------------- pod metadata

    private void processPod(SpoolRecord record, Context ctx) throws Exception {
        count("podRecords");
        PodMetadata pod;
        try {
            pod = PodMetadata.parse(record.data);
        } catch (IOException e) {
            events.deadLetter(stage, record, "unreadable pod metadata record: " + e.getMessage());
            return;
        }
        if (pod.isDelete()) {
            // the collector announces a delete only after a grace period, after the pod's last lines
            pods.remove(pod.key());
        } else {
            pods.put(pod.key(), pod.toJson());
        }
        podCache.remove(currentKey + "|" + pod.key());
        podVersion++;
        view().podsKnownAbsent.remove(pod.key());
        releaseAwaiting(ctx, pod.key() + "/", false);
    }

    /** Parks an application record until its pod's metadata arrives; false when the wait budget is spent. */
    private boolean park(Context ctx, String containerKey, String cluster, String node, String path, String fileId,
            ObjectNode record, long time, long offset) throws Exception {
        long wait = options.metadataWait().toMillis();
        int parked = awaiting();
        if (wait <= 0 || parked >= options.maxAwaitingEventsPerNode()) {
            return false;
        }
        setAwaiting(parked + 1);
        AwaitingEvent e = new AwaitingEvent();
        e.containerKey = containerKey;
        e.cluster = cluster;
        e.node = node;
        e.path = path;
        e.fileId = fileId;
        e.record = EventJson.write(record);
        e.time = time;
        e.offset = offset;
        Integer already = awaitingByContainer.get(containerKey);
        // later lines of a container that already waits join the queue, so their order is kept
        e.deadline = ctx.timerService().currentProcessingTime() + wait;
        long id = awaitingNextId.value() == null ? 0L : awaitingNextId.value();
        awaiting.put(id, e);
        awaitingNextId.update(id + 1);
        awaitingByContainer.put(containerKey, already == null ? 1 : already + 1);
        count("awaitedMetadata");
        stage.scheduleAt(e.deadline);
        stage.scheduleEndOfInput();
        return true;
    }

    /**
     * Sends parked records on, in arrival order: those of {@code containerPrefix} whose metadata is now
     * known, and (when {@code expiredOnly}) every record whose wait ran out — with the file name's fields.
     */
    private void releaseAwaiting(Context ctx, String containerPrefix, boolean expiredOnly) throws Exception {
        if (awaiting() == 0) {
            return;
        }
        long now = ctx.timerService().currentProcessingTime();
        TreeMap<Long, AwaitingEvent> ready = new TreeMap<>();
        for (Map.Entry<Long, AwaitingEvent> entry : awaiting.entries()) {
            AwaitingEvent e = entry.getValue();
            boolean match = containerPrefix != null && e.containerKey.startsWith(containerPrefix);
            long deadline = stage.sinceStart(e.deadline, options.metadataWait().toMillis());
            boolean expired = expiredOnly && deadline <= now;
            if (expiredOnly && !expired && !match) {
                stage.scheduleAt(deadline);
            }
            if (match || expired || containerPrefix == null && !expiredOnly) {
                ready.put(entry.getKey(), e);
            }
        }
        Map<String, Boolean> blocked = new HashMap<>();
        for (Map.Entry<Long, AwaitingEvent> entry : ready.entrySet()) {
            AwaitingEvent e = entry.getValue();
            if (blocked.containsKey(e.containerKey)) {
                continue; // keep this container's order: its earlier line still waits
            }
            FileContext file = fileContext(e.path);
            KubernetesFileName name = file.names.fileName();
            PodMetadata pod = pod(name.namespace(), name.podName());
            JsonNode container = pod == null ? null : pod.container(name.dockerId());
            boolean giveUp = expiredOnly && stage.sinceStart(e.deadline, options.metadataWait().toMillis()) <= now
                    || containerPrefix == null && !expiredOnly;
            if (container == null && !giveUp) {
                blocked.put(e.containerKey, true);
                continue;
            }
            awaiting.remove(entry.getKey());
            setAwaiting(Math.max(0, awaiting() - 1));
            int left = awaitingByContainer.get(e.containerKey) - 1;
            if (left == 0) {
                awaitingByContainer.remove(e.containerKey);
            } else {
                awaitingByContainer.put(e.containerKey, left);
            }
            ObjectNode record = (ObjectNode) Json.MAPPER.readTree(e.record);
            if (pod != null && pod.excluded()) {
                count("podExcludedLines");
                continue;
            }
            String kubernetes;
            if (container != null) {
                kubernetes = pod.kubernetesJson(container, options.kubernetesLabels(), options.kubernetesAnnotations());
            } else {
                count("missingMetadata");
                kubernetes = file.fileNameKubernetesJson();
            }
            emitApplication(ctx, e.cluster, file, e.fileId, record, kubernetes, e.time, e.offset);
        }
    }

    // ---------------------------------------------------------------- host and journal lines

    private void processHostFileLine(Line line, Context ctx) throws Exception {
        SpoolRecord batch = line.batch;
        String name = TagNames.baseName(batch.path);
        String text = line.text();
        ObjectNode record;
        long time = line.readTime;
        if (name.equals("dmesg")) {
            // legacy input: tail with Key message and no parser
            record = JsonNodeFactory.instance.objectNode().put("message", text);
        } else {
            SyslogParser.Parsed parsed = SyslogParser.parse(text, line.readTime);
            if (parsed != null) {
                record = parsed.record();
                time = parsed.timeMillis();
            } else {
                // in_tail packs what its parser rejects as raw text under "log"
                count("unparsedHostLines");
                record = JsonNodeFactory.instance.objectNode().put("log", text);
            }
        }
        events.emit(stage, Category.HOST, batch.cluster, TagNames.hostStream(batch.node, name), time,
                EventJson.hostFile(record, attributes.of(currentKey)), line.fileId, line.offset);
    }

    private void processJournalLine(Line line, Context ctx) throws Exception {
        SpoolRecord batch = line.batch;
        JournalEntry entry = JournalEntry.parse(batch.data, line.from, line.length);
        if (entry == null) {
            deadLetter(line, "journal record is not a JSON object");
            return;
        }
        long time = entry.timeMillis() >= 0 ? entry.timeMillis() : line.readTime;
        Map<String, String> attrs = attributes.of(currentKey);
        List<JournalRouting.Target> targets =
                options.journalRouting().route(entry, JournalSources.dataplaneOnly(batch.path));
        if (targets.isEmpty()) {
            // none of Container Insights' journald inputs selects it (e.g. PRIORITY=7 of a non-dataplane unit)
            count("unroutedJournalEntries");
        }
        for (JournalRouting.Target target : targets) {
            if (target.category() == Category.DATAPLANE) {
                events.emit(stage, Category.DATAPLANE, batch.cluster, TagNames.dataplaneSystemdStream(batch.node, target.name()), time,
                        EventJson.dataplaneSystemd(entry, attrs), line.fileId, line.offset);
            } else {
                events.emit(stage, Category.HOST, batch.cluster, TagNames.hostStream(batch.node, target.name()), time,
                        EventJson.hostJournal(entry, attrs), line.fileId, line.offset);
            }
        }
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
        releaseAwaiting(ctx, null, true);
    }

    private void flushEverything(Context ctx) throws Exception {
        order.releaseAll(stage, r -> handle(r, ctx));
        splitLines.abandonAll(stage, (fileId, path) ->
                longLineOutput(ctx, fileContext(path), clusterOf(ctx), nodeOf(ctx), fileId));
        multiline.flushAll(stage, flushed(ctx));
        releaseAwaiting(ctx, null, false);
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
    private void deadLetter(Line line, String reason) {
        events.deadLetter(stage, line.batch, reason, line.fileId, line.offset, line.bytes(), line.readTime);
    }

    // ---------------------------------------------------------------- the per-key view of state

    private KeyView view() {
        KeyView v = views.get(currentKey);
        if (v == null) {
            if (views.size() > 100_000) {
                views.clear();
            }
            v = new KeyView();
            views.put(currentKey, v);
        }
        return v;
    }

    private int awaiting() throws Exception {
        KeyView v = view();
        if (v.awaiting < 0) {
            Integer stored = awaitingCount.value();
            v.awaiting = stored == null ? 0 : stored;
        }
        return v.awaiting;
    }

    private void setAwaiting(int count) throws Exception {
        awaitingCount.update(count);
        view().awaiting = count;
    }

    /** This instance's knowledge of one key's state; null / -1 fields are read from state on first use. */
    private static final class KeyView {
        int awaiting = -1;
        final java.util.Set<String> podsKnownAbsent = new java.util.HashSet<>();
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
            if (podVersionSeen == p.podVersion) {
                return;
            }
            KubernetesFileName name = names.fileName();
            pod = name == null ? null : p.pod(name.namespace(), name.podName());
            container = pod == null ? null : pod.container(name.dockerId());
            podExcluded = pod != null && pod.excluded();
            kubernetesJson = container == null ? null
                    : pod.kubernetesJson(container, p.options.kubernetesLabels(), p.options.kubernetesAnnotations());
            joiner = p.multiline.joinerFor(p.stage, route == RoutingRules.ContainerRoute.APPLICATION, name, pod);
            podVersionSeen = p.podVersion;
        }

        MultilineJoiner joiner(NodeProcessor p) throws Exception {
            refreshPod(p);
            return joiner;
        }
    }

    /** @param fileName null when the name does not follow the kubelet's pattern */
    private record PathNames(KubernetesFileName fileName, String applicationStream, String dataplaneStream) {}
}
