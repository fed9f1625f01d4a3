package dev.kubelogs.job.merge;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubelogs.job.JobOptions;
import dev.kubelogs.job.enrich.EventJson;
import dev.kubelogs.job.enrich.KubernetesFileName;
import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.parse.ContainerLine;
import dev.kubelogs.job.parse.ContainerLineParser;
import dev.kubelogs.job.parse.JournalEntry;
import dev.kubelogs.job.parse.SyslogParser;
import dev.kubelogs.job.route.Category;
import dev.kubelogs.job.route.JournalRouting;
import dev.kubelogs.job.route.OutputTags;
import dev.kubelogs.job.route.RoutingRules;
import dev.kubelogs.job.route.TagNames;
import dev.kubelogs.job.source.SpoolRecord;
import dev.kubelogs.spool.LineFlags;
import dev.kubelogs.spool.SourceKind;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The keyed stage, one key per (cluster, node): drops lines a replayed segment delivers again, parses
 * each line by its source (Docker/CRI, syslog, journal), classifies it with the Container Insights rules
 * and emits the event JSON on the side output of its category. Nothing is dropped silently: excluded
 * files, raw lines and corrupt segments are counted, and what cannot become a log event goes to the
 * dead-letter output with the reason.
 */
public class NodeProcessor extends KeyedProcessFunction<String, SpoolRecord, CloudWatchEvent> {
    private static final long serialVersionUID = 1L;

    private final JobOptions options;

    /** file identity (dev:inode:generation) → offset of the first byte not yet processed. */
    private transient MapState<String, Long> nextOffsetByFile;
    /** the node's attributes from the latest segment header (az, ec2_instance_id, …). */
    private transient MapState<String, String> nodeAttributes;

    private transient Counter linesIn;
    private transient Counter replayedLinesSkipped;
    private transient Counter rawLines;
    private transient Counter excludedLines;
    private transient Counter corruptSegments;
    private transient Counter deadLetters;
    private transient Map<Category, Counter> eventsOut;

    public NodeProcessor(JobOptions options) {
        this.options = options;
    }

    @Override
    public void open(OpenContext openContext) {
        nextOffsetByFile = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("next-offset-by-file", Types.STRING, Types.LONG));
        nodeAttributes = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("node-attributes", Types.STRING, Types.STRING));
        MetricGroup metrics = getRuntimeContext().getMetricGroup().addGroup("kubelogs");
        linesIn = metrics.counter("linesIn");
        replayedLinesSkipped = metrics.counter("replayedLinesSkipped");
        rawLines = metrics.counter("unparsedContainerLines");
        excludedLines = metrics.counter("excludedLines");
        corruptSegments = metrics.counter("corruptSegments");
        deadLetters = metrics.counter("deadLetters");
        eventsOut = new HashMap<>();
        for (Category c : Category.values()) {
            eventsOut.put(c, metrics.counter("events_" + c.groupSuffix().replace('-', '_')));
        }
    }

    @Override
    public void processElement(SpoolRecord record, Context ctx, Collector<CloudWatchEvent> out) throws Exception {
        switch (record.type) {
            case SpoolRecord.SEGMENT:
                rememberNodeAttributes(record);
                break;
            case SpoolRecord.LINE:
                processLine(record, ctx);
                break;
            case SpoolRecord.CORRUPT:
                corruptSegments.inc();
                deadLetter(ctx, record, "corrupt spool segment " + record.attributes[0] + ": "
                        + new String(record.data, StandardCharsets.UTF_8));
                break;
            default:
                // POD records: pod metadata joins are the enrichment stage's work (issue 4); kept out of state for now
                break;
        }
    }

    private void rememberNodeAttributes(SpoolRecord segment) throws Exception {
        nodeAttributes.clear();
        for (int i = 0; i + 1 < segment.attributes.length; i += 2) {
            nodeAttributes.put(segment.attributes[i], segment.attributes[i + 1]);
        }
    }

    private void processLine(SpoolRecord line, Context ctx) throws Exception {
        linesIn.inc();
        if (!advanceOffset(line)) {
            replayedLinesSkipped.inc();
            return;
        }
        SourceKind kind = line.kind();
        switch (kind) {
            case CONTAINER:
                processContainerLine(line, ctx);
                break;
            case HOST_FILE:
                processHostFileLine(line, ctx);
                break;
            case JOURNAL:
                processJournalLine(line, ctx);
                break;
            default:
                deadLetter(ctx, line, "unknown source kind " + kind);
        }
    }

    /** True when the line is new; false when a replayed segment delivers a line already processed. */
    private boolean advanceOffset(SpoolRecord line) throws Exception {
        String file = line.fileIdentity();
        Long next = nextOffsetByFile.get(file);
        if (next != null && line.offset < next) {
            return false;
        }
        nextOffsetByFile.put(file, line.offset + consumedBytes(line));
        return true;
    }

    private static long consumedBytes(SpoolRecord line) {
        if (line.sourceKind == SourceKind.JOURNAL.code()) {
            return 1;
        }
        boolean newlineConsumed = (line.flags & (LineFlags.PARTIAL | LineFlags.NO_NEWLINE)) == 0;
        return line.data.length + (newlineConsumed ? 1 : 0);
    }

    private void processContainerLine(SpoolRecord line, Context ctx) throws Exception {
        RoutingRules.ContainerRoute route = options.routingRules().routeContainerFile(line.path);
        if (route == RoutingRules.ContainerRoute.DROP) {
            excludedLines.inc();
            return;
        }
        ContainerLine parsed = ContainerLineParser.parse(line.data);
        if (parsed.format() == ContainerLine.Format.RAW) {
            rawLines.inc();
        }
        long time = parsed.timeMillis() >= 0 ? parsed.timeMillis() : line.readTimeMillis;
        if (route == RoutingRules.ContainerRoute.DATAPLANE) {
            String stream = TagNames.dataplaneTailStream(line.node, line.path);
            emit(ctx, Category.DATAPLANE, line, stream, time, EventJson.dataplaneTail(parsed.record(), attributes()));
        } else {
            KubernetesFileName name = KubernetesFileName.parse(TagNames.baseName(line.path));
            ObjectNode kubernetes = name == null ? null : name.toKubernetesBlock();
            String stream = TagNames.applicationStream(line.node, line.path);
            emit(ctx, Category.APPLICATION, line, stream, time, EventJson.application(parsed.record(), kubernetes));
        }
    }

    private void processHostFileLine(SpoolRecord line, Context ctx) throws Exception {
        String name = TagNames.baseName(line.path);
        String text = new String(line.data, StandardCharsets.UTF_8);
        ObjectNode record;
        long time = line.readTimeMillis;
        if (name.equals("dmesg")) {
            // legacy input: tail with Key message and no parser
            record = JsonNodeFactory.instance.objectNode().put("message", text);
        } else {
            SyslogParser.Parsed parsed = SyslogParser.parse(text, line.readTimeMillis);
            if (parsed != null) {
                record = parsed.record();
                time = parsed.timeMillis();
            } else {
                // in_tail packs what its parser rejects as raw text under "log"
                rawLines.inc();
                record = JsonNodeFactory.instance.objectNode().put("log", text);
            }
        }
        String stream = TagNames.hostStream(line.node, name);
        emit(ctx, Category.HOST, line, stream, time, EventJson.hostFile(record, attributes()));
    }

    private void processJournalLine(SpoolRecord line, Context ctx) throws Exception {
        JournalEntry entry = JournalEntry.parse(line.data);
        if (entry == null) {
            deadLetter(ctx, line, "journal record is not a JSON object");
            return;
        }
        long time = entry.timeMillis() >= 0 ? entry.timeMillis() : line.readTimeMillis;
        Map<String, String> attrs = attributes();
        for (JournalRouting.Target target : options.journalRouting().route(entry)) {
            if (target.category() == Category.DATAPLANE) {
                emit(ctx, Category.DATAPLANE, line, TagNames.dataplaneSystemdStream(line.node, target.name()), time,
                        EventJson.dataplaneSystemd(entry, attrs));
            } else {
                emit(ctx, Category.HOST, line, TagNames.hostStream(line.node, target.name()), time,
                        EventJson.hostJournal(entry, attrs));
            }
        }
    }

    private Map<String, String> attributes() throws Exception {
        Map<String, String> attrs = new HashMap<>();
        for (Map.Entry<String, String> e : nodeAttributes.entries()) {
            attrs.put(e.getKey(), e.getValue());
        }
        return attrs;
    }

    private void emit(Context ctx, Category category, SpoolRecord line, String stream, long time, String message) {
        String group = category.logGroup(options.logGroupPrefix(), line.cluster);
        ctx.output(OutputTags.of(category),
                new CloudWatchEvent(group, stream, time, message, line.fileIdentity(), line.offset));
        eventsOut.get(category).inc();
    }

    private void deadLetter(Context ctx, SpoolRecord record, String reason) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("reason", reason);
        body.put("cluster", record.cluster);
        body.put("node", record.node);
        body.put("segment", record.segmentSeq);
        if (record.path != null) {
            body.put("path", record.path);
            body.put("offset", record.offset);
        }
        if (record.type == SpoolRecord.LINE && record.data != null) {
            body.put("raw", new String(record.data, StandardCharsets.UTF_8));
        }
        String group = Category.DEAD_LETTER.logGroup(options.logGroupPrefix(), record.cluster);
        long time = record.readTimeMillis > 0 ? record.readTimeMillis : System.currentTimeMillis();
        ctx.output(OutputTags.DEAD_LETTER, new CloudWatchEvent(group, record.node, time, EventJson.write(body),
                record.path == null ? null : record.fileIdentity(), record.offset));
        deadLetters.inc();
    }
}
