package dev.kubelogs.job.route;

import dev.kubelogs.job.enrich.EventJson;
import dev.kubelogs.job.merge.BatchLine;
import dev.kubelogs.job.merge.StageContext;
import dev.kubelogs.job.parse.JournalEntry;
import dev.kubelogs.job.parse.LineRecord;
import dev.kubelogs.job.parse.SyslogParser;
import dev.kubelogs.job.source.SpoolRecord;
import dev.kubelogs.spool.JournalSources;
import java.util.List;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Host file and journal lines: parsed (syslog, dmesg as is, journal JSON) and routed the way Container Insights'
 * host and dataplane inputs do, with the node's attributes. Counts the host lines no parser accepts and the journal
 * entries no input selects; a journal record that is not JSON is a dead letter.
 */
public final class HostLines {
    private final JournalRouting journalRouting;
    private EventOutput events;
    private Counter unparsedHostLines;
    private Counter unroutedJournalEntries;

    public HostLines(JournalRouting journalRouting) {
        this.journalRouting = journalRouting;
    }

    public void open(MetricGroup metrics, EventOutput events) {
        this.events = events;
        unparsedHostLines = metrics.counter("unparsedHostLines");
        unroutedJournalEntries = metrics.counter("unroutedJournalEntries");
    }

    /** A line of a host log file ({@code /var/log/messages}, {@code secure}, {@code dmesg}). */
    public void hostFileLine(StageContext ctx, BatchLine line, Map<String, String> attributes) {
        SpoolRecord batch = line.batch;
        String name = TagNames.baseName(batch.path);
        String text = line.text();
        LineRecord record;
        long time = line.readTime;
        if (name.equals("dmesg")) {
            // legacy input: tail with Key message and no parser
            record = LineRecord.of("message", text);
        } else {
            SyslogParser.Parsed parsed = SyslogParser.parse(text, line.readTime);
            if (parsed != null) {
                record = parsed.record();
                time = parsed.timeMillis();
            } else {
                // in_tail packs what its parser rejects as raw text under "log"
                unparsedHostLines.inc();
                record = LineRecord.of("log", text);
            }
        }
        events.emit(
                ctx,
                Category.HOST,
                batch.cluster,
                TagNames.hostStream(batch.node, name),
                time,
                EventJson.hostFile(record, attributes),
                line.fileId,
                line.offset);
    }

    /** A journal entry: to each of the host and dataplane inputs that select it. */
    public void journalLine(StageContext ctx, BatchLine line, Map<String, String> attributes) {
        SpoolRecord batch = line.batch;
        JournalEntry entry = JournalEntry.parse(batch.data, line.from, line.length);
        if (entry == null) {
            events.deadLetter(
                    ctx,
                    batch,
                    "journal record is not a JSON object",
                    line.fileId,
                    line.offset,
                    line.bytes(),
                    line.readTime);
            return;
        }
        long time = entry.timeMillis() >= 0 ? entry.timeMillis() : line.readTime;
        List<JournalRouting.Target> targets = journalRouting.route(entry, JournalSources.dataplaneOnly(batch.path));
        if (targets.isEmpty()) {
            // none of Container Insights' journald inputs selects it (e.g. PRIORITY=7 of a non-dataplane unit)
            unroutedJournalEntries.inc();
        }
        for (JournalRouting.Target target : targets) {
            if (target.category() == Category.DATAPLANE) {
                events.emit(
                        ctx,
                        Category.DATAPLANE,
                        batch.cluster,
                        TagNames.dataplaneSystemdStream(batch.node, target.name()),
                        time,
                        EventJson.dataplaneSystemd(entry, attributes),
                        line.fileId,
                        line.offset);
            } else {
                events.emit(
                        ctx,
                        Category.HOST,
                        batch.cluster,
                        TagNames.hostStream(batch.node, target.name()),
                        time,
                        EventJson.hostJournal(entry, attributes),
                        line.fileId,
                        line.offset);
            }
        }
    }
}
