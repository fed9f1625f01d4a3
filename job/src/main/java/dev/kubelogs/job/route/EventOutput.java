package dev.kubelogs.job.route;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubelogs.job.enrich.EventJson;
import dev.kubelogs.job.enrich.EventParts;
import dev.kubelogs.job.merge.StageContext;
import dev.kubelogs.job.model.CloudWatchEvent;
import dev.kubelogs.job.source.SpoolRecord;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * The last stage: every event leaves here, on the one side output of events under its category's log group, in parts
 * when it is over CloudWatch's event size (see {@link EventParts}); what cannot be processed leaves as a dead
 * letter with the reason. Counts the events per category, the split and oversize ones and the dead letters.
 */
public final class EventOutput {
    private final String logGroupPrefix;
    private final boolean splitOversize;
    private final int maxEventBytes;
    /** Log group names per cluster, by category ordinal. */
    private Map<String, String[]> logGroups;

    private Counter[] eventsOut;
    private Counter splitEvents;
    private Counter oversizeEvents;
    private Counter deadLetters;

    public EventOutput(String logGroupPrefix, boolean splitOversize, int maxEventBytes) {
        this.logGroupPrefix = logGroupPrefix;
        this.splitOversize = splitOversize;
        this.maxEventBytes = maxEventBytes;
    }

    public void open(MetricGroup metrics) {
        logGroups = new HashMap<>();
        eventsOut = new Counter[Category.values().length];
        for (Category c : Category.values()) {
            eventsOut[c.ordinal()] = metrics.counter("events_" + c.id().replace('-', '_'));
        }
        splitEvents = metrics.counter("splitEvents");
        oversizeEvents = metrics.counter("oversizeEvents");
        deadLetters = metrics.counter("deadLetters");
    }

    /**
     * One event of {@code category} to the cluster's log group, its JSON as UTF-8 ({@link EventJson}); {@code
     * sourceId}, {@code offset}: where it began.
     */
    public void emit(
            StageContext ctx,
            Category category,
            String cluster,
            String stream,
            long time,
            byte[] message,
            String sourceId,
            long offset) {
        String group = logGroup(category, cluster);
        if (message.length > maxEventBytes) {
            // over CloudWatch's event size: split or counted as the text
            output(ctx, category, group, stream, time, new String(message, StandardCharsets.UTF_8), sourceId, offset);
            return;
        }
        ctx.output(
                OutputTags.EVENTS, CloudWatchEvent.ofUtf8(group, stream, time, message, sourceId, offset, ctx.key()));
        eventsOut[category.ordinal()].inc();
    }

    /** A segment or pod record that cannot be processed. */
    public void deadLetter(StageContext ctx, SpoolRecord record, String reason) {
        byte[] raw = record.type != SpoolRecord.CORRUPT ? record.data : null;
        deadLetter(ctx, record, reason, null, record.offset, raw, record.readTimeMillis);
    }

    /** A line (of {@code record}, at {@code offset} of file {@code fileId}) that cannot be processed. */
    public void deadLetter(
            StageContext ctx,
            SpoolRecord record,
            String reason,
            String fileId,
            long offset,
            byte[] raw,
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
            body.put("raw", new String(raw, StandardCharsets.UTF_8));
        }
        String group = Category.DEAD_LETTER.logGroup(logGroupPrefix, record.cluster);
        long time = readTime > 0 ? readTime : System.currentTimeMillis();
        String sourceId = record.path == null ? null : fileId != null ? fileId : record.fileIdentity();
        output(ctx, Category.DEAD_LETTER, group, record.node, time, EventJson.write(body), sourceId, offset);
        deadLetters.inc();
    }

    private void output(
            StageContext ctx,
            Category category,
            String group,
            String stream,
            long time,
            String message,
            String sourceId,
            long offset) {
        List<String> parts = splitOversize ? EventParts.split(message, maxEventBytes) : List.of(message);
        if (parts.size() > 1 || !EventParts.fits(parts.get(0), maxEventBytes)) {
            (parts.size() > 1 ? splitEvents : oversizeEvents).inc();
        }
        for (String part : parts) {
            // the owner key lets the sink check that this subtask is the one writer of the event's stream
            ctx.output(OutputTags.EVENTS, new CloudWatchEvent(group, stream, time, part, sourceId, offset, ctx.key()));
            eventsOut[category.ordinal()].inc();
        }
    }

    private String logGroup(Category category, String cluster) {
        String[] groups = logGroups.get(cluster);
        if (groups == null) {
            groups = new String[Category.values().length];
            for (Category c : Category.values()) {
                groups[c.ordinal()] = c.logGroup(logGroupPrefix, cluster);
            }
            logGroups.put(cluster, groups);
        }
        return groups[category.ordinal()];
    }
}
