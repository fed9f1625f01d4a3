package dev.kubelogs.job.merge;

import dev.kubelogs.job.enrich.EventJson;
import dev.kubelogs.job.enrich.MetadataJoin;
import dev.kubelogs.job.enrich.NodeAttributes;
import dev.kubelogs.job.enrich.ParserAnnotations;
import dev.kubelogs.job.multiline.MultilineBuffers;
import dev.kubelogs.job.multiline.MultilineJoiner;
import dev.kubelogs.job.multiline.SplitLineJoiner;
import dev.kubelogs.job.multiline.SplitLines;
import dev.kubelogs.job.parse.ContainerLine;
import dev.kubelogs.job.parse.ContainerLineParser;
import dev.kubelogs.job.parse.LineRecord;
import dev.kubelogs.job.parse.LogParser;
import dev.kubelogs.job.parse.ParserBudgetExceededException;
import dev.kubelogs.job.parse.Parsers;
import dev.kubelogs.job.route.Category;
import dev.kubelogs.job.route.EventOutput;
import dev.kubelogs.job.route.RoutingRules;
import dev.kubelogs.job.source.SpoolRecord;
import dev.kubelogs.spool.ContainerLogName;
import dev.kubelogs.spool.LineFlags;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container log line's way through the stages: the file's route (excluded files are counted and left out),
 * split-line joining, runtime parsing, multiline buffering, then for application logs the metadata join, and the
 * output, whose Merge_Log step takes the parser a pod's fluentbit.io/parser annotation names. The {@link
 * ContainerFile} of each path is derived once. Counts unparsed, excluded, joined and truncated records, and records of
 * containers whose annotation names a parser that is not defined.
 */
final class ContainerLines {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerLines.class);
    private static final int MAX_FILES = 100_000;
    private static final int MAX_REMEMBERED_WARNINGS = 1_000;

    private final RoutingRules routing;
    private final Parsers parsers;
    private final StageContext stage;
    private final SplitLineJoiner splitLines;
    private final MultilineBuffers multiline;
    private final MetadataJoin metadata;
    private final NodeAttributes attributes;
    private final EventOutput events;
    /** Per (key, container file path). */
    private final Map<String, ContainerFile> files = new HashMap<>();

    private final MultilineBuffers.Flushed flushed = this::flushed;
    private final MetadataJoin.Released released = this::released;
    private final Counter unparsedContainerLines;
    private final Counter excludedLines;
    private final Counter joinedRecords;
    private final Counter truncatedRecords;
    private final Counter unknownParserRecords;
    private final Counter parserGaveUpRecords;
    /** Annotation warnings already logged (pod and text), so a pod's every change does not log them again. */
    private final Map<String, Boolean> warned = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_REMEMBERED_WARNINGS;
        }
    };

    ContainerLines(
            RoutingRules routing,
            Parsers parsers,
            StageContext stage,
            SplitLineJoiner splitLines,
            MultilineBuffers multiline,
            MetadataJoin metadata,
            NodeAttributes attributes,
            EventOutput events,
            MetricGroup metrics) {
        this.routing = routing;
        this.parsers = parsers;
        this.stage = stage;
        this.splitLines = splitLines;
        this.multiline = multiline;
        this.metadata = metadata;
        this.attributes = attributes;
        this.events = events;
        unparsedContainerLines = metrics.counter("unparsedContainerLines");
        excludedLines = metrics.counter("excludedLines");
        joinedRecords = metrics.counter("joinedRecords");
        truncatedRecords = metrics.counter("truncatedRecords");
        unknownParserRecords = metrics.counter("unknownParserRecords");
        parserGaveUpRecords = metrics.counter("parserGaveUpRecords");
    }

    /** Where a multiline buffer flushed by its deadline or the end of input goes. */
    MultilineBuffers.Flushed flushed() {
        return flushed;
    }

    /** Where a record released from the metadata wait goes. */
    MetadataJoin.Released released() {
        return released;
    }

    /** Where the rest of a split line goes at the end of input. */
    SplitLineJoiner.Outputs abandoned() {
        return (fileId, path) -> longLineOutput(file(path), stage.cluster(), stage.node(), fileId);
    }

    /** The context of a container file path of the current key (created on first use). */
    ContainerFile file(String path) {
        String key = stage.key() + "|" + path;
        ContainerFile file = files.get(key);
        if (file == null) {
            if (files.size() > MAX_FILES) {
                files.clear();
            }
            file = new ContainerFile(
                    path, routing.routeContainerFile(path), ContainerFile.PathNames.of(stage.node(), path));
            files.put(key, file);
        }
        return file;
    }

    void line(BatchLine line, ContainerFile file) throws Exception {
        RoutingRules.ContainerRoute route = file.route;
        if (route == RoutingRules.ContainerRoute.DROP) {
            excludedLines.inc();
            return;
        }
        SpoolRecord batch = line.batch;
        long offset = line.offset;
        long readTime = line.readTime;
        String fileId = line.fileId;
        if ((line.flags & LineFlags.PARTIAL) != 0) {
            // the collector split a line longer than its maximum: gather the pieces, sending on full records
            splitLines.add(
                    stage,
                    fileId,
                    batch.path,
                    batch.data,
                    line.from,
                    line.length,
                    offset,
                    readTime,
                    longLineOutput(file, batch.cluster, batch.node, fileId));
            return;
        }
        ContainerLine parsed;
        if (splitLines.pending(stage, fileId)) {
            RawPiece whole = splitLines.complete(
                    stage,
                    fileId,
                    batch.data,
                    line.from,
                    line.length,
                    longLineOutput(file, batch.cluster, batch.node, fileId));
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
        MultilineJoiner joiner = file.joiner(stage, metadata, multiline);
        MultilineJoiner.Output output = (record, t, o, truncated) ->
                emit(file, route, batch.cluster, batch.node, fileId, record, t, o, truncated);
        if (parsed.format() == ContainerLine.Format.RAW) {
            unparsedContainerLines.inc();
            // Fluent Bit: a line no parser accepts breaks the file's pending multiline sequences, which leave first
            multiline.flushFile(stage, fileId, joiner, output);
            output.emit(parsed.record(), time, offset, false);
            return;
        }
        StreamBuffer buffer = multiline.forBatch(
                stage,
                file.bufferKey(fileId, parsed.stream()),
                batch.path,
                fileId,
                categoryOf(route).ordinal());
        if (parsed.partial()) {
            joiner.partialPiece(buffer, parsed.format(), parsed.record(), parsed.log(), time, offset, output);
        } else {
            joiner.finalPiece(buffer, parsed.format(), parsed.record(), parsed.log(), time, offset, output);
        }
    }

    private static Category categoryOf(RoutingRules.ContainerRoute route) {
        return route == RoutingRules.ContainerRoute.DATAPLANE ? Category.DATAPLANE : Category.APPLICATION;
    }

    /** Where the records of a line the collector split go: out like any container record, counted when unparsed. */
    private SplitLines.Output longLineOutput(ContainerFile file, String cluster, String node, String fileId) {
        return (record, time, offset, truncated, unparsed) -> {
            if (unparsed) {
                unparsedContainerLines.inc();
            }
            emit(file, file.route, cluster, node, fileId, record, time, offset, truncated);
        };
    }

    private MultilineJoiner.Output flushed(StreamBuffer buffer) {
        RoutingRules.ContainerRoute route = buffer.category == Category.DATAPLANE.ordinal()
                ? RoutingRules.ContainerRoute.DATAPLANE
                : RoutingRules.ContainerRoute.APPLICATION;
        String cluster = stage.cluster();
        String node = stage.node();
        return (record, t, o, truncated) ->
                emit(file(buffer.path), route, cluster, node, buffer.fileId, record, t, o, truncated);
    }

    private void released(AwaitingEvent e, LineRecord record, String kubernetesJson) throws Exception {
        ContainerFile file = file(e.path);
        // the pod that released the record is the file's pod now: its annotations choose the record's parser
        file.refreshPod(stage, metadata, multiline);
        if (kubernetesJson == null) {
            kubernetesJson = file.kubernetesJsonWithoutStatus(metadata);
        }
        emitApplication(e.cluster, file, e.fileId, record, kubernetesJson, e.time, e.offset);
    }

    private void emit(
            ContainerFile file,
            RoutingRules.ContainerRoute route,
            String cluster,
            String node,
            String fileId,
            LineRecord record,
            long time,
            long offset,
            boolean truncated)
            throws Exception {
        if (truncated) {
            record = record.withTrue("multiline_truncated");
            truncatedRecords.inc();
        }
        if (route == RoutingRules.ContainerRoute.DATAPLANE) {
            events.emit(
                    stage,
                    Category.DATAPLANE,
                    cluster,
                    file.names.dataplaneStream(),
                    time,
                    EventJson.dataplaneTail(record, attributes.of(stage.key())),
                    fileId,
                    offset);
            return;
        }
        ContainerLogName name = file.names.fileName();
        if (name == null) {
            // Fluent Bit: "invalid pattern for given tag" — the kubernetes filter leaves the record untouched
            events.emit(
                    stage,
                    Category.APPLICATION,
                    cluster,
                    file.names.applicationStream(),
                    time,
                    EventJson.unenriched(record),
                    fileId,
                    offset);
            return;
        }
        file.refreshPod(stage, metadata, multiline);
        if (file.podExcluded) {
            metadata.excludedLine();
            return;
        }
        if (file.container != null && !metadata.queued(stage, file.containerKey)) {
            emitApplication(cluster, file, fileId, record, file.kubernetesJson, time, offset);
            return;
        }
        if (!metadata.park(stage, file.containerKey, cluster, node, file.path, fileId, record, time, offset)) {
            emitApplication(cluster, file, fileId, record, file.kubernetesJsonWithoutStatus(metadata), time, offset);
        }
    }

    private void emitApplication(
            String cluster,
            ContainerFile file,
            String fileId,
            LineRecord record,
            String kubernetesJson,
            long time,
            long offset) {
        String text = record.text("log");
        if (text != null) {
            int newline = text.indexOf('\n');
            if (newline >= 0 && newline < text.length() - 1) {
                joinedRecords.inc();
            }
        }
        ParserAnnotations.Chosen chosen = file.parsers(parsers);
        if (chosen != ParserAnnotations.Chosen.NONE) {
            warnOnce(file, chosen);
        }
        LogParser parser = chosen.forRecord(record);
        long eventTime = time;
        byte[] event;
        if (parser == null) {
            // the default JSON merge, copied into the event as it is written
            event = EventJson.application(record, kubernetesJson);
        } else {
            EventJson.Merged merged;
            try {
                merged = EventJson.mergeLog(record, parser, time);
            } catch (ParserBudgetExceededException e) {
                // as Onigmo's retry limit: no match, so the record goes out as it is
                parserGaveUpRecords.inc();
                warnOnce(file, e.parser(), e.getMessage() + "; such records go out without log_processed");
                merged = new EventJson.Merged(null, time);
            }
            eventTime = merged.timeMillis();
            event = EventJson.application(record, merged, kubernetesJson);
        }
        events.emit(
                stage, Category.APPLICATION, cluster, file.names.applicationStream(), eventTime, event, fileId, offset);
    }

    /** Logs the annotation warnings of a pod once, and counts each record of a container whose parser is missing. */
    private void warnOnce(ContainerFile file, ParserAnnotations.Chosen chosen) {
        if (chosen.unknownParser()) {
            unknownParserRecords.inc();
        }
        for (String warning : chosen.warnings()) {
            warnOnce(file, warning, warning);
        }
    }

    /** Logs {@code warning} for the container's pod unless one was logged for it under {@code topic} already. */
    private void warnOnce(ContainerFile file, String topic, String warning) {
        if (warned.put(file.containerKey + " " + topic, Boolean.TRUE) == null) {
            LOG.warn("Pod {}: {}", file.containerKey, warning);
        }
    }
}
