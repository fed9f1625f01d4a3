package dev.kubelogs.job.multiline;

import dev.kubelogs.job.merge.StreamBuffer;
import dev.kubelogs.job.parse.ContainerLine;
import dev.kubelogs.job.parse.LineRecord;
import dev.kubelogs.job.parse.Utf8Text;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Fluent Bit's multiline semantics on one (file, stream) buffer, without Flink: runtime partial lines
 * (CRI P…F, Docker pieces without a trailing newline) are concatenated into one line keeping the first
 * piece's fields; complete lines then run through the rule sets (java, python, go, user-defined) — a
 * line continues the pending record, or flushes it and starts a new one, or flushes it and goes out
 * alone. Joined lines are separated by {@code \n}; the first line's time and fields win.
 */
public final class MultilineJoiner {

    /** Receives what is ready to leave: the record with {@code log} set to the joined text. */
    public interface Output {
        void emit(LineRecord record, long timeMillis, long offset, boolean truncated) throws Exception;
    }

    /** Told about each line a user rule set gave up on (the line went out unjoined). */
    public interface RuleFailures {
        void gaveUp(RuleBudgetExceededException e);
    }

    private final List<RuleSet> ruleSets;
    private final int maxRecordBytes;
    private final RuleFailures ruleFailures;

    /** A joiner whose rule sets have no user rules (nothing to give up on: a failure would be a bug and throws). */
    public MultilineJoiner(List<RuleSet> ruleSets, int maxRecordBytes) {
        this(ruleSets, maxRecordBytes, e -> {
            throw e;
        });
    }

    public MultilineJoiner(List<RuleSet> ruleSets, int maxRecordBytes, RuleFailures ruleFailures) {
        this.ruleSets = List.copyOf(ruleSets);
        this.maxRecordBytes = maxRecordBytes;
        this.ruleFailures = ruleFailures;
    }

    /** A runtime piece that the next piece of this stream continues. */
    public void partialPiece(
            StreamBuffer b,
            ContainerLine.Format format,
            LineRecord record,
            String log,
            long time,
            long offset,
            Output out)
            throws Exception {
        breakOnFormatChange(b, format, out);
        if (b.lineRecord == null) {
            b.lineRecord = record.toJson();
            b.lineLog = log;
            b.lineTime = time;
            b.lineOffset = offset;
            b.lineBytes = utf8Length(log);
        } else {
            b.lineLog = Utf8Text.joinPieces(b.lineLog, log);
            b.lineBytes += utf8Length(log);
        }
        if (b.lineBytes >= maxRecordBytes) {
            // a runtime line past the record limit goes out as it is, marked; the rest follows as its own line
            completeLine(b, out, true);
        }
    }

    /** The final piece of a line (or a whole line): completes any assembled pieces and runs the rules. */
    public void finalPiece(
            StreamBuffer b,
            ContainerLine.Format format,
            LineRecord record,
            String log,
            long time,
            long offset,
            Output out)
            throws Exception {
        breakOnFormatChange(b, format, out);
        if (b.lineRecord != null) {
            b.lineLog = Utf8Text.joinPieces(b.lineLog, log);
            completeLine(b, out, false);
        } else {
            accept(b, new LogicalLine(record, log, time, offset), out);
        }
    }

    /**
     * One buffer serves a (file, stream) whatever wrote it; a file is written by one runtime, so a line of another
     * format (a corrupt or hand-made file) flushes what is pending rather than gluing Docker and CRI text together.
     */
    private void breakOnFormatChange(StreamBuffer b, ContainerLine.Format format, Output out) throws Exception {
        String name = format.name();
        if (b.format != null && !b.format.equals(name) && !b.isEmpty()) {
            flushAll(b, out);
        }
        b.format = name;
    }

    private void completeLine(StreamBuffer b, Output out, boolean truncated) throws Exception {
        LineRecord first = LineRecord.parse(b.lineRecord).with("log", b.lineLog);
        LogicalLine line = new LogicalLine(first, b.lineLog, b.lineTime, b.lineOffset);
        b.lineRecord = null;
        b.lineLog = null;
        b.lineBytes = 0;
        if (truncated) {
            flushRecord(b, out);
            out.emit(line.record(), line.timeMillis(), line.offset(), true);
        } else {
            accept(b, line, out);
        }
    }

    /**
     * Runs one complete line through the rule sets. The rules see the line as it arrived: a Docker line keeps
     * its trailing newline, which Fluent Bit's java start rule ({@code ...Exception[:\r\n]}) relies on.
     * A line a user rule gave up on breaks the pending record and goes out alone, like a line no rule matches.
     */
    void accept(StreamBuffer b, LogicalLine line, Output out) throws Exception {
        try {
            runRules(b, line, out);
        } catch (RuleBudgetExceededException e) {
            flushRecord(b, out);
            ruleFailures.gaveUp(e);
            out.emit(line.record(), line.timeMillis(), line.offset(), false);
        }
    }

    private void runRules(StreamBuffer b, LogicalLine line, Output out) throws Exception {
        String text = line.log();
        if (b.record != null) {
            RuleSet pending = ruleSet(b.ruleSet);
            String next = pending == null ? null : pending.continueFrom(b.state, text);
            if (next != null) {
                b.log = join(b.log, b.lastHadNewline, line.log());
                b.lastHadNewline = line.log().endsWith("\n");
                b.bytes += utf8Length(line.log()) + 1;
                b.state = next;
                if (b.bytes >= maxRecordBytes) {
                    b.truncated = true;
                    flushRecord(b, out);
                } else if (pending.ends(next)) {
                    flushRecord(b, out);
                }
                return;
            }
            flushRecord(b, out);
        }
        for (RuleSet rs : ruleSets) {
            String state = rs.start(text);
            if (state != null) {
                b.record = line.record().toJson();
                b.log = line.log();
                b.lastHadNewline = line.log().endsWith("\n");
                b.time = line.timeMillis();
                b.offset = line.offset();
                b.ruleSet = rs.name();
                b.state = state;
                b.bytes = utf8Length(line.log());
                b.truncated = false;
                return;
            }
        }
        out.emit(line.record(), line.timeMillis(), line.offset(), false);
    }

    /** Emits whatever is pending: a half-assembled runtime line, then the multiline record. */
    public void flushAll(StreamBuffer b, Output out) throws Exception {
        if (b.lineRecord != null) {
            completeLine(b, out, false);
        }
        flushRecord(b, out);
    }

    private static void flushRecord(StreamBuffer b, Output out) throws Exception {
        if (b.record == null) {
            return;
        }
        LineRecord record = LineRecord.parse(b.record).with("log", b.log);
        boolean truncated = b.truncated;
        long time = b.time;
        long offset = b.offset;
        b.record = null;
        b.log = null;
        b.ruleSet = null;
        b.state = null;
        b.bytes = 0;
        b.truncated = false;
        out.emit(record, time, offset, truncated);
    }

    private RuleSet ruleSet(String name) {
        for (RuleSet rs : ruleSets) {
            if (rs.name().equals(name)) {
                return rs;
            }
        }
        return null;
    }

    /** Docker lines bring their own trailing newline; CRI lines are joined with one. */
    static String join(String pending, boolean pendingEndsWithItsNewline, String next) {
        return pendingEndsWithItsNewline ? pending + next : pending + "\n" + next;
    }

    static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
