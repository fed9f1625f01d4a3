package dev.kubelogs.job.merge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubelogs.job.JobOptions;
import dev.kubelogs.job.enrich.EventJson;
import dev.kubelogs.job.enrich.EventParts;
import dev.kubelogs.job.enrich.KubernetesFileName;
import dev.kubelogs.job.enrich.PodMetadata;
import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.parse.ContainerLine;
import dev.kubelogs.job.parse.ContainerLineParser;
import dev.kubelogs.job.parse.JournalEntry;
import dev.kubelogs.job.parse.Json;
import dev.kubelogs.job.parse.SyslogParser;
import dev.kubelogs.job.route.Category;
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
    private static final long TIMER_GRANULARITY_MS = 100;

    private final JobOptions options;

    private transient MapState<String, Long> nextOffsetByFile;
    private transient MapState<String, String> nodeAttributes;
    private transient MapState<String, StreamBuffer> buffers;
    private transient MapState<String, RawPiece> rawPieces;
    private transient MapState<String, String> pods;
    private transient MapState<Long, AwaitingEvent> awaiting;
    private transient MapState<String, Integer> awaitingByContainer;
    private transient ValueState<Long> awaitingNextId;
    private transient ValueState<Long> expectedSeq;
    private transient MapState<Long, HeldSegment> heldSegments;
    private transient MapState<String, SpoolRecord> heldRecords;

    private transient ValueState<Integer> awaitingCount;
    /** Parsed views of keyed state, per node key; rebuilt lazily after a restore. */
    private transient Map<String, PodMetadata> podCache;
    /**
     * What this instance knows about each key's state, so the hot path skips state reads (each one a RocksDB
     * lookup in production). Only this instance writes a key's state, so the view stays exact; it starts empty
     * after open() and is filled from state on first use.
     */
    private transient Map<String, KeyView> views;
    private transient Map<String, Map<String, String>> attributeCache;
    private transient String currentKey;
    /**
     * Processing time when this instance started (first record or timer after open). Deadlines kept in state
     * from before a restore count from here: an upgrade longer than the flush timeout must not cut the stack
     * trace it interrupted.
     */
    private transient long startedAt;

    /** Derived facts per (key, container file path); see {@link FileContext}. */
    private transient Map<String, FileContext> fileContexts;
    /** Multiline buffers touched by the batch being processed, by buffer key (see {@link BatchBuffer}). */
    private transient Map<String, BatchBuffer> batchBuffers;
    /** Bumped by every pod record: what a file context derived from pod metadata is stale after it. */
    private transient long podVersion;
    /** Log group names per cluster, by category ordinal. */
    private transient Map<String, String[]> logGroups;
    private transient Counter linesIn;
    private transient Counter replayedLinesSkipped;

    private transient Map<String, Counter> counters;
    private transient RuleFailureLog ruleFailures;
    private transient Map<Category, Counter> eventsOut;

    public NodeProcessor(JobOptions options) {
        this.options = options;
    }

    @Override
    public void open(OpenContext openContext) {
        MapStateDescriptor<String, Long> offsets = new MapStateDescriptor<>("next-offset-by-file", Types.STRING, Types.LONG);
        // files that stopped growing are forgotten; replays only ever reach back one checkpoint
        offsets.enableTimeToLive(StateTtlConfig.newBuilder(options.fileStateTtl())
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        nextOffsetByFile = getRuntimeContext().getMapState(offsets);
        nodeAttributes = getRuntimeContext().getMapState(new MapStateDescriptor<>("node-attributes", Types.STRING, Types.STRING));
        buffers = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("stream-buffers", Types.STRING, TypeInformation.of(StreamBuffer.class)));
        rawPieces = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("raw-pieces", Types.STRING, TypeInformation.of(RawPiece.class)));
        pods = getRuntimeContext().getMapState(new MapStateDescriptor<>("pods", Types.STRING, Types.STRING));
        awaiting = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("awaiting-metadata", Types.LONG, TypeInformation.of(AwaitingEvent.class)));
        awaitingByContainer = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("awaiting-by-container", Types.STRING, Types.INT));
        awaitingNextId = getRuntimeContext().getState(new ValueStateDescriptor<>("awaiting-next-id", Types.LONG));
        awaitingCount = getRuntimeContext().getState(new ValueStateDescriptor<>("awaiting-count", Types.INT));
        podCache = new HashMap<>();
        attributeCache = new HashMap<>();
        views = new HashMap<>();
        fileContexts = new HashMap<>();
        batchBuffers = new java.util.LinkedHashMap<>();
        logGroups = new HashMap<>();
        podVersion = 0;
        startedAt = -1;
        expectedSeq = getRuntimeContext().getState(new ValueStateDescriptor<>("expected-segment", Types.LONG));
        heldSegments = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("held-segments", Types.LONG, TypeInformation.of(HeldSegment.class)));
        heldRecords = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("held-records", Types.STRING, TypeInformation.of(SpoolRecord.class)));

        MetricGroup metrics = getRuntimeContext().getMetricGroup().addGroup("kubelogs");
        counters = new HashMap<>();
        for (String name : List.of("linesIn", "replayedLinesSkipped", "unparsedContainerLines", "unparsedHostLines",
                "unroutedJournalEntries", "excludedLines",
                "podExcludedLines", "corruptSegments", "deadLetters", "joinedRecords", "truncatedRecords",
                "awaitedMetadata", "missingMetadata", "heldSegments", "segmentGaps", "podRecords",
                "multilineRuleFailures", "splitEvents", "oversizeEvents")) {
            counters.put(name, metrics.counter(name));
        }
        ruleFailures = new RuleFailureLog(counters.get("multilineRuleFailures"));
        linesIn = counters.get("linesIn");
        replayedLinesSkipped = counters.get("replayedLinesSkipped");
        eventsOut = new HashMap<>();
        for (Category c : Category.values()) {
            eventsOut.put(c, metrics.counter("events_" + c.id().replace('-', '_')));
        }
    }

    private void count(String name) {
        counters.get(name).inc();
    }

    // ---------------------------------------------------------------- segment order

    @Override
    public void processElement(SpoolRecord record, Context ctx, Collector<CloudWatchEvent> out) throws Exception {
        currentKey = ctx.getCurrentKey();
        markStart(ctx);
        KeyView view = view();
        Long expected = view.expectedSeq;
        if (expected == null) {
            expected = expectedSeq.value();
            if (expected == null) {
                // a node's first segment is 0; a node whose early segments are gone is released by the gap timeout
                expected = 0L;
                expectedSeq.update(expected);
            }
            view.expectedSeq = expected;
        }
        if (record.segmentSeq > expected && record.previousSeq != SpoolRecord.UNKNOWN && record.previousSeq < expected) {
            // everything the source read before this segment is through: the seqs between are a gap
            // (a segment set aside as corrupt, or removed by retention before it was read)
            expected = record.segmentSeq;
            setExpected(expected);
        }
        if (record.segmentSeq > expected) {
            hold(record, ctx);
            return;
        }
        handle(record, ctx);
        if (record.segmentSeq == expected && endsSegment(record)) {
            setExpected(expected + 1);
            drainHeld(ctx);
        }
    }

    private static boolean endsSegment(SpoolRecord r) {
        return r.type == SpoolRecord.SEGMENT_END || r.type == SpoolRecord.CORRUPT;
    }

    private void hold(SpoolRecord record, Context ctx) throws Exception {
        HeldSegment h = heldSegments.get(record.segmentSeq);
        long now = ctx.timerService().currentProcessingTime();
        if (h == null) {
            h = new HeldSegment();
            h.heldSince = now;
            h.first = record.indexInSegment;
            h.indices = new int[0];
            count("heldSegments");
        }
        h.first = Math.min(h.first, record.indexInSegment);
        h.last = Math.max(h.last, record.indexInSegment);
        if (h.indices != null) {
            // a segment held by 0.1.0 has no list: its [first, last] range stays the way to drain it
            h.indices = appendIndex(h.indices, record.indexInSegment);
        }
        h.ended |= endsSegment(record);
        h.previousSeq = record.previousSeq;
        heldSegments.put(record.segmentSeq, h);
        heldRecords.put(heldKey(record.segmentSeq, record.indexInSegment), record);
        if (record.previousSeq == SpoolRecord.UNKNOWN) {
            scheduleAt(ctx, h.heldSince + options.segmentGapTimeout().toMillis());
        }
        scheduleEndOfInput(ctx);
    }

    private static int[] appendIndex(int[] indices, int index) {
        int[] out = java.util.Arrays.copyOf(indices, indices.length + 1);
        out[out.length - 1] = index;
        return out;
    }

    /** The held indices of a segment in segment order; every index in [first, last] for a segment held by 0.1.0. */
    private static int[] heldIndices(HeldSegment h) {
        if (h.indices != null) {
            int[] sorted = h.indices.clone();
            java.util.Arrays.sort(sorted);
            return sorted;
        }
        return java.util.stream.IntStream.rangeClosed(h.first, h.last).toArray();
    }

    private static String heldKey(long seq, int index) {
        return seq + "#" + index;
    }

    /** Processes held segments that are next in line, in seq order. */
    private void drainHeld(Context ctx) throws Exception {
        while (true) {
            long expected = expected();
            HeldSegment h = heldSegments.get(expected);
            if (h == null) {
                return;
            }
            heldSegments.remove(expected);
            for (int i : heldIndices(h)) {
                String key = heldKey(expected, i);
                SpoolRecord r = heldRecords.get(key);
                if (r != null) {
                    heldRecords.remove(key);
                    handle(r, ctx);
                }
            }
            if (!h.ended) {
                return; // the rest of this segment is still on its way and will flow directly
            }
            setExpected(expected + 1);
        }
    }

    /**
     * Gives up waiting for a segment that never came: jumps to the oldest held one. Only when the source could
     * not say which segment preceded it — a held segment naming a predecessor at or after the expected one
     * proves the missing ones were handed to a reader and will arrive (as lines or as a corrupt-segment notice).
     */
    private void skipGap(Context ctx, boolean force) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        Long oldest = null;
        HeldSegment oldestHeld = null;
        for (Map.Entry<Long, HeldSegment> e : heldSegments.entries()) {
            if (oldest == null || e.getKey() < oldest) {
                oldest = e.getKey();
                oldestHeld = e.getValue();
            }
        }
        if (oldest == null) {
            return;
        }
        boolean onItsWay = oldestHeld.previousSeq != SpoolRecord.UNKNOWN;
        long giveUpAt = sinceStart(oldestHeld.heldSince + options.segmentGapTimeout().toMillis(), options.segmentGapTimeout().toMillis());
        if (!force && (onItsWay || giveUpAt > now)) {
            if (!onItsWay) {
                scheduleAt(ctx, giveUpAt);
            }
            return;
        }
        LOG.warn("Node {}: segment(s) {}..{} never arrived; continuing with segment {}", ctx.getCurrentKey(),
                expected(), oldest - 1, oldest);
        count("segmentGaps");
        setExpected(oldest);
        drainHeld(ctx);
    }

    // ---------------------------------------------------------------- records

    private void handle(SpoolRecord record, Context ctx) throws Exception {
        switch (record.type) {
            case SpoolRecord.SEGMENT:
                rememberNodeAttributes(record);
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
                deadLetter(ctx, record, "corrupt spool segment " + record.attributes[0] + ": "
                        + new String(record.data, StandardCharsets.UTF_8));
                break;
            default:
                break; // SEGMENT_END only drives the ordering above
        }
    }

    private void rememberNodeAttributes(SpoolRecord segment) throws Exception {
        Map<String, String> attrs = new HashMap<>();
        for (int i = 0; i + 1 < segment.attributes.length; i += 2) {
            attrs.put(segment.attributes[i], segment.attributes[i + 1]);
        }
        if (!attrs.equals(attributeCache.get(segment.nodeKey()))) {
            nodeAttributes.clear();
            nodeAttributes.putAll(attrs);
            attributeCache.put(segment.nodeKey(), attrs);
        }
    }

    /**
     * The lines of one file from one segment, in file order. The file's replay position is read once before and
     * written once after the batch: a line before it was processed already (a replayed segment) and is skipped.
     */
    private void processLines(SpoolRecord batch, Context ctx) throws Exception {
        int n = batch.lineCount();
        linesIn.inc(n);
        String fileId = batch.fileIdentity();
        Long stored = nextOffsetByFile.get(fileId);
        long next = stored == null ? Long.MIN_VALUE : stored;
        SourceKind kind = batch.kind();
        FileContext file = null;
        for (int i = 0; i < n; i++) {
            long offset = batch.lineOffset(i);
            if (offset < next) {
                replayedLinesSkipped.inc();
                continue;
            }
            next = offset + LineFlags.advance(kind, batch.lineLength(i), batch.lineFlags(i));
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
                    deadLetter(ctx, line, "unknown source kind " + batch.sourceKind);
            }
        }
        saveBatchBuffers(ctx);
        if (stored == null || next != stored) {
            nextOffsetByFile.put(fileId, next);
        }
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
        KeyView view = view();
        RawPiece piece = view.filesWithPieces(rawPieces).contains(fileId) ? rawPieces.get(fileId) : null;
        if ((line.flags & LineFlags.PARTIAL) != 0) {
            // the collector split a line longer than its maximum: gather the pieces, sending on full records
            piece = SplitLines.add(piece, batch.path, batch.data, line.from, line.length, offset, readTime,
                    options.maxRecordBytes(), longLineOutput(ctx, file, batch.cluster, batch.node, fileId));
            rawPieces.put(fileId, piece);
            view.filesWithPieces.add(fileId);
            scheduleEndOfInput(ctx);
            return;
        }
        ContainerLine parsed;
        if (piece != null) {
            rawPieces.remove(fileId);
            view.filesWithPieces.remove(fileId);
            byte[] whole = SplitLines.complete(piece, batch.data, line.from, line.length, options.maxRecordBytes(),
                    longLineOutput(ctx, file, batch.cluster, batch.node, fileId));
            if (whole == null) {
                return;
            }
            parsed = ContainerLineParser.parse(whole);
            offset = piece.offset;
            readTime = piece.readTime;
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
            flushPending(fileId, joiner, output, view);
            output.emit(parsed.record(), time, offset, false);
            return;
        }
        StreamBuffer buffer = batchBuffer(file.bufferKey(fileId, parsed.stream()), view, batch.path, fileId, route);
        if (parsed.partial()) {
            joiner.partialPiece(buffer, parsed.format(), parsed.record(), parsed.log(), time, offset, output);
        } else {
            joiner.finalPiece(buffer, parsed.format(), parsed.record(), parsed.log(), time, offset, output);
        }
    }

    /** A stream's buffer for the batch being processed: from the batch, else from state, else a new one. */
    private StreamBuffer batchBuffer(String bufferKey, KeyView view, String path, String fileId,
            RoutingRules.ContainerRoute route) throws Exception {
        BatchBuffer inBatch = batchBuffers.get(bufferKey);
        if (inBatch == null) {
            StreamBuffer buffer = view.bufferKeys(buffers).contains(bufferKey) ? buffers.get(bufferKey) : null;
            boolean existed = buffer != null;
            if (buffer == null) {
                buffer = new StreamBuffer();
                buffer.fileId = fileId;
                buffer.path = path;
                buffer.category = route == RoutingRules.ContainerRoute.DATAPLANE
                        ? Category.DATAPLANE.ordinal() : Category.APPLICATION.ordinal();
            }
            inBatch = new BatchBuffer(buffer, existed);
            batchBuffers.put(bufferKey, inBatch);
        }
        return inBatch.buffer();
    }

    /** Flushes every stream of one file identity that has something pending, in this batch or in state. */
    private void flushPending(String fileId, MultilineJoiner joiner, MultilineJoiner.Output output, KeyView view)
            throws Exception {
        String prefix = fileId + "|";
        for (String key : view.bufferKeys(buffers)) {
            if (key.startsWith(prefix) && !batchBuffers.containsKey(key)) {
                batchBuffers.put(key, new BatchBuffer(buffers.get(key), true));
            }
        }
        for (Map.Entry<String, BatchBuffer> e : batchBuffers.entrySet()) {
            if (e.getKey().startsWith(prefix) && !e.getValue().buffer().isEmpty()) {
                joiner.flushAll(e.getValue().buffer(), output);
            }
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

    /**
     * A stream's multiline buffer while a batch is processed: kept in memory and written to state once when the batch
     * is through, not after every line — a 30-frame stack trace was 30 state writes of a growing record.
     */
    private record BatchBuffer(StreamBuffer buffer, boolean existed) {}

    private void saveBatchBuffers(Context ctx) throws Exception {
        for (Map.Entry<String, BatchBuffer> e : batchBuffers.entrySet()) {
            saveBuffer(e.getKey(), e.getValue().buffer(), e.getValue().existed(), ctx);
        }
        batchBuffers.clear();
    }

    private void saveBuffer(String key, StreamBuffer buffer, boolean existed, Context ctx) throws Exception {
        if (buffer.isEmpty()) {
            if (existed) {
                buffers.remove(key);
                view().bufferKeys.remove(key);
            }
            return;
        }
        buffer.deadline = ctx.timerService().currentProcessingTime() + options.multilineFlushTimeout().toMillis();
        buffers.put(key, buffer);
        view().bufferKeys.add(key);
        scheduleAt(ctx, buffer.deadline);
        scheduleEndOfInput(ctx);
    }

    /** The rule sets for one container (see {@link SelectedRuleSet#forContainer}); dataplane logs are not joined. */
    private MultilineJoiner joinerFor(RoutingRules.ContainerRoute route, KubernetesFileName name) throws Exception {
        List<RuleSet> sets = List.of();
        String where = "node " + nodeOf(currentKey);
        if (route == RoutingRules.ContainerRoute.APPLICATION && options.stackTraceJoining()) {
            if (name == null) {
                sets = SelectedRuleSet.forContainer(List.of(), null, null, null, null);
            } else {
                PodMetadata pod = pod(name.namespace(), name.podName());
                String choice = pod == null ? null : pod.annotation(PodMetadata.MULTILINE_ANNOTATION);
                sets = SelectedRuleSet.forContainer(options.userRuleSets(), name.namespace(), name.podName(),
                        name.containerName(), choice);
                where += ", pod " + name.namespace() + "/" + name.podName() + ", container " + name.containerName();
            }
        }
        String failureContext = where;
        return new MultilineJoiner(sets, options.maxRecordBytes(), e -> ruleFailures.gaveUp(failureContext, e));
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
            emit(ctx, Category.DATAPLANE, cluster, file.names.dataplaneStream(), time,
                    EventJson.dataplaneTail(record, attributes(ctx)), fileId, offset);
            return;
        }
        KubernetesFileName name = file.names.fileName();
        if (name == null) {
            // Fluent Bit: "invalid pattern for given tag" — the kubernetes filter leaves the record untouched
            emit(ctx, Category.APPLICATION, cluster, file.names.applicationStream(), time,
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
        emit(ctx, Category.APPLICATION, cluster, file.names.applicationStream(), time,
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
            deadLetter(ctx, record, "unreadable pod metadata record: " + e.getMessage());
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
        scheduleAt(ctx, e.deadline);
        scheduleEndOfInput(ctx);
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
            long deadline = sinceStart(e.deadline, options.metadataWait().toMillis());
            boolean expired = expiredOnly && deadline <= now;
            if (expiredOnly && !expired && !match) {
                scheduleAt(ctx, deadline);
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
            boolean giveUp = expiredOnly && sinceStart(e.deadline, options.metadataWait().toMillis()) <= now
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
        emit(ctx, Category.HOST, batch.cluster, TagNames.hostStream(batch.node, name), time,
                EventJson.hostFile(record, attributes(ctx)), line.fileId, line.offset);
    }

    private void processJournalLine(Line line, Context ctx) throws Exception {
        SpoolRecord batch = line.batch;
        JournalEntry entry = JournalEntry.parse(batch.data, line.from, line.length);
        if (entry == null) {
            deadLetter(ctx, line, "journal record is not a JSON object");
            return;
        }
        long time = entry.timeMillis() >= 0 ? entry.timeMillis() : line.readTime;
        Map<String, String> attrs = attributes(ctx);
        List<JournalRouting.Target> targets =
                options.journalRouting().route(entry, JournalSources.dataplaneOnly(batch.path));
        if (targets.isEmpty()) {
            // none of Container Insights' journald inputs selects it (e.g. PRIORITY=7 of a non-dataplane unit)
            count("unroutedJournalEntries");
        }
        for (JournalRouting.Target target : targets) {
            if (target.category() == Category.DATAPLANE) {
                emit(ctx, Category.DATAPLANE, batch.cluster, TagNames.dataplaneSystemdStream(batch.node, target.name()), time,
                        EventJson.dataplaneSystemd(entry, attrs), line.fileId, line.offset);
            } else {
                emit(ctx, Category.HOST, batch.cluster, TagNames.hostStream(batch.node, target.name()), time,
                        EventJson.hostJournal(entry, attrs), line.fileId, line.offset);
            }
        }
    }

    // ---------------------------------------------------------------- timers

    private void markStart(Context ctx) {
        if (startedAt < 0) {
            startedAt = ctx.timerService().currentProcessingTime();
        }
    }

    /** A deadline from state, but never earlier than {@code timeout} after this instance started. */
    private long sinceStart(long deadline, long timeout) {
        return Math.max(deadline, startedAt + timeout);
    }

    private void scheduleAt(Context ctx, long deadline) {
        long rounded = (deadline + TIMER_GRANULARITY_MS - 1) / TIMER_GRANULARITY_MS * TIMER_GRANULARITY_MS;
        ctx.timerService().registerProcessingTimeTimer(rounded);
    }

    /**
     * At the end of a bounded input (and on stop-with-savepoint --drain) the watermark jumps to its maximum:
     * what is pending is completed then. A plain stop-with-savepoint keeps it in state for the next run.
     */
    private void scheduleEndOfInput(Context ctx) {
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CloudWatchEvent> out) throws Exception {
        currentKey = ctx.getCurrentKey();
        markStart(ctx);
        if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
            flushEverything(ctx);
            return;
        }
        long now = ctx.timerService().currentProcessingTime();
        skipGap(ctx, false);
        List<String> due = new ArrayList<>();
        for (Map.Entry<String, StreamBuffer> e : buffers.entries()) {
            long deadline = sinceStart(e.getValue().deadline, options.multilineFlushTimeout().toMillis());
            if (deadline <= now) {
                due.add(e.getKey());
            } else {
                scheduleAt(ctx, deadline);
            }
        }
        for (String key : due) {
            flushBuffer(ctx, key);
        }
        releaseAwaiting(ctx, null, true);
    }

    private void flushEverything(Context ctx) throws Exception {
        while (!heldSegments.isEmpty()) {
            skipGap(ctx, true);
        }
        List<String> pieces = new ArrayList<>();
        for (String fileId : rawPieces.keys()) {
            pieces.add(fileId);
        }
        for (String fileId : pieces) {
            RawPiece piece = rawPieces.get(fileId);
            rawPieces.remove(fileId);
            view().filesWithPieces(rawPieces).remove(fileId);
            LOG.warn("Node {}: a split line of file {} never got its last piece; shipping its last {} bytes as is",
                    ctx.getCurrentKey(), fileId, piece.bytes.length);
            FileContext file = fileContext(piece.path);
            SplitLines.abandon(piece, longLineOutput(ctx, file, clusterOf(ctx), nodeOf(ctx), fileId));
        }
        List<String> keys = new ArrayList<>();
        for (String key : buffers.keys()) {
            keys.add(key);
        }
        for (String key : keys) {
            flushBuffer(ctx, key);
        }
        releaseAwaiting(ctx, null, false);
    }

    private void flushBuffer(Context ctx, String key) throws Exception {
        StreamBuffer buffer = buffers.get(key);
        buffers.remove(key);
        view().bufferKeys(buffers).remove(key);
        if (buffer == null) {
            return;
        }
        RoutingRules.ContainerRoute route = buffer.category == Category.DATAPLANE.ordinal()
                ? RoutingRules.ContainerRoute.DATAPLANE : RoutingRules.ContainerRoute.APPLICATION;
        String cluster = clusterOf(ctx);
        String node = nodeOf(ctx);
        new MultilineJoiner(List.of(), options.maxRecordBytes()).flushAll(buffer, (record, t, o, truncated) ->
                emitContainer(ctx, route, cluster, node, buffer.path, buffer.fileId, record, t, o, truncated));
    }

    private static String clusterOf(Context ctx) {
        String key = (String) ctx.getCurrentKey();
        return key.substring(0, key.indexOf('/'));
    }

    private static String nodeOf(Context ctx) {
        return nodeOf((String) ctx.getCurrentKey());
    }

    // ---------------------------------------------------------------- output

    /** The node's attributes, read from state once per key and kept until the next segment header changes them. */
    private Map<String, String> attributes(Context ctx) throws Exception {
        String key = (String) ctx.getCurrentKey();
        Map<String, String> attrs = attributeCache.get(key);
        if (attrs == null) {
            attrs = new HashMap<>();
            for (Map.Entry<String, String> e : nodeAttributes.entries()) {
                attrs.put(e.getKey(), e.getValue());
            }
            attributeCache.put(key, attrs);
        }
        return attrs;
    }

    private void emit(Context ctx, Category category, String cluster, String stream, long time, String message,
            String fileId, long offset) {
        output(ctx, category, logGroup(category, cluster), stream, time, message, fileId, offset);
    }

    /** One event, or its parts when it is over CloudWatch's event size (see {@link EventParts}). */
    private void output(Context ctx, Category category, String group, String stream, long time, String message,
            String sourceId, long offset) {
        List<String> parts = options.splitsOversizeEvents()
                ? EventParts.split(message, options.maxEventBytes()) : List.of(message);
        if (parts.size() > 1 || !EventParts.fits(parts.get(0), options.maxEventBytes())) {
            count(parts.size() > 1 ? "splitEvents" : "oversizeEvents");
        }
        for (String part : parts) {
            ctx.output(OutputTags.of(category),
                    new CloudWatchEvent(group, stream, time, part, sourceId, offset, (String) ctx.getCurrentKey()));
            eventsOut.get(category).inc();
        }
    }

    /** A segment or pod record that cannot be processed. */
    private void deadLetter(Context ctx, SpoolRecord record, String reason) {
        byte[] raw = record.type != SpoolRecord.CORRUPT ? record.data : null;
        deadLetter(ctx, record, reason, null, record.offset, raw, record.readTimeMillis);
    }

    /** A line that cannot be processed. */
    private void deadLetter(Context ctx, Line line, String reason) {
        deadLetter(ctx, line.batch, reason, line.fileId, line.offset, line.bytes(), line.readTime);
    }

    private void deadLetter(Context ctx, SpoolRecord record, String reason, String fileId, long offset, byte[] raw,
            long readTime) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("reason", reason);
        body.put("cluster", record.cluster);
        body.put("node", record.node);
        body.put("segment", record.segmentSeq);
        if (record.path != null) {
            body.put("path", record.path);
            body.put("offset", offset);
        }
        if (raw != null) {
            body.put("raw", utf8(raw));
        }
        String group = Category.DEAD_LETTER.logGroup(options.logGroupPrefix(), record.cluster);
        long time = readTime > 0 ? readTime : System.currentTimeMillis();
        String sourceId = record.path == null ? null : fileId != null ? fileId : record.fileIdentity();
        output(ctx, Category.DEAD_LETTER, group, record.node, time, EventJson.write(body), sourceId, offset);
        count("deadLetters");
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
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

    private long expected() throws Exception {
        KeyView v = view();
        if (v.expectedSeq == null) {
            Long stored = expectedSeq.value();
            v.expectedSeq = stored == null ? 0L : stored;
        }
        return v.expectedSeq;
    }

    private void setExpected(long seq) throws Exception {
        expectedSeq.update(seq);
        view().expectedSeq = seq;
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
        Long expectedSeq;
        int awaiting = -1;
        java.util.Set<String> bufferKeys;
        java.util.Set<String> filesWithPieces;
        final java.util.Set<String> podsKnownAbsent = new java.util.HashSet<>();

        java.util.Set<String> bufferKeys(MapState<String, StreamBuffer> state) throws Exception {
            if (bufferKeys == null) {
                bufferKeys = new java.util.HashSet<>();
                for (String k : state.keys()) {
                    bufferKeys.add(k);
                }
            }
            return bufferKeys;
        }

        java.util.Set<String> filesWithPieces(MapState<String, RawPiece> state) throws Exception {
            if (filesWithPieces == null) {
                filesWithPieces = new java.util.HashSet<>();
                for (String k : state.keys()) {
                    filesWithPieces.add(k);
                }
            }
            return filesWithPieces;
        }
    }

    /** What a container file's path says (kubelet name fields, stream names): pure, kept in its file context. */
    private static PathNames names(String node, String path) {
        return new PathNames(KubernetesFileName.parse(TagNames.baseName(path)),
                TagNames.applicationStream(node, path), TagNames.dataplaneTailStream(node, path));
    }

    private static String nodeOf(String key) {
        return key.substring(key.indexOf('/') + 1);
    }

    private String logGroup(Category category, String cluster) {
        String[] groups = logGroups.get(cluster);
        if (groups == null) {
            groups = new String[Category.values().length];
            for (Category c : Category.values()) {
                groups[c.ordinal()] = c.logGroup(options.logGroupPrefix(), cluster);
            }
            logGroups.put(cluster, groups);
        }
        return groups[category.ordinal()];
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
            joiner = p.joinerFor(route, name);
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
