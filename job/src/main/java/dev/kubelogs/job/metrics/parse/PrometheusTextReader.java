package dev.kubelogs.job.metrics.parse;

import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.MetricType;
import dev.kubelogs.job.metrics.model.Sample;
import java.util.List;

/**
 * The text format 0.0.4 grammar, as Prometheus' {@code promparse}/{@code promlex} accept it: blank lines and
 * comments anywhere, blanks (spaces, tabs) between tokens, {@code # HELP}/{@code # TYPE} lines (types counter,
 * gauge, histogram, summary, untyped), samples {@code name[{labels}] value [timestamp-ms]}. The last line needs no
 * trailing newline (Prometheus appends one), so a body cut inside a line's value or timestamp cannot be told from a
 * complete one; a body cut anywhere else is an error. Unlike Prometheus, which stops silently at a NUL byte at the
 * start of a line (keeping what it read before), a NUL there is an error: we never drop the rest of a body unseen.
 */
final class PrometheusTextReader {
    private static final String[] TYPES = {"counter", "gauge", "histogram", "summary", "untyped"};

    private final ByteCursor c;
    private final LabelReader labelReader;
    private final NameStrings names;
    private final SampleCollector out;
    private final SampleValue value = new SampleValue();

    PrometheusTextReader(ByteCursor c, LabelReader labelReader, NameStrings names, SampleCollector out) {
        this.c = c;
        this.labelReader = labelReader;
        this.names = names;
        this.out = out;
    }

    void read() throws ExpositionParseException {
        while (!c.atEnd()) {
            c.skipBlanks();
            if (c.atLineEnd()) {
                c.nextLine();
            } else if (c.at('#')) {
                comment();
            } else {
                sample();
            }
        }
    }

    private void comment() throws ExpositionParseException {
        c.pos++;
        if (!c.atBlank()) {
            c.pos = c.lineEnd();
            c.nextLine();
            return;
        }
        c.skipBlanks();
        boolean help = c.lookingAt("HELP");
        boolean type = c.lookingAt("TYPE");
        if (help || type) {
            c.pos += 4;
            if (c.atBlank()) {
                metadata(type ? "TYPE" : "HELP");
                return;
            }
        }
        c.pos = c.lineEnd();
        c.nextLine();
    }

    private void metadata(String keyword) throws ExpositionParseException {
        c.skipBlanks();
        int nameEnd = c.metricNameEnd();
        if (nameEnd == c.pos) {
            throw c.error("expected metric name after " + keyword);
        }
        String name = names.of(c.bytes, c.pos, nameEnd);
        int lineEnd = c.lineEnd();
        // the text token is everything after the name; Prometheus drops its first character (the separator)
        int textStart = Math.min(nameEnd + 1, lineEnd);
        if (keyword.equals("TYPE")) {
            MetricType type = SampleCollector.typeNamed(c, textStart, lineEnd, TYPES);
            if (type == null) {
                throw c.error("invalid metric type");
            }
            out.declare(name, type);
        } else if (!GoUtf8.isValid(c.bytes, textStart, lineEnd)) {
            throw c.error("help text is not valid UTF-8");
        } else {
            out.describe(name);
        }
        c.pos = lineEnd;
        c.nextLine();
    }

    private void sample() throws ExpositionParseException {
        int nameEnd = c.metricNameEnd();
        if (nameEnd == c.pos) {
            throw c.error(c.peek() == 0 ? "NUL byte where a line should start" : "expected metric name or comment");
        }
        String name = names.of(c.bytes, c.pos, nameEnd);
        c.pos = nameEnd;
        c.skipBlanks();
        Labels labels = Labels.EMPTY;
        List<String> emptyLabelNames = List.of();
        if (c.at('{')) {
            labels = labelReader.read(c, out.families.floatLabel());
            emptyLabelNames = labelReader.emptyNames();
            c.skipBlanks();
        }
        int valueStart = c.pos;
        readValue(c, value);
        out.add(name, labels, emptyLabelNames, value.value, value.timestampMs, valueStart, c.pos);
        c.nextLine();
    }

    /**
     * Reads a sample's value and optional timestamp, from the value's first byte to the end of its line, where it
     * leaves the cursor: the part of a sample line that {@link BodyTemplate} reads again in a repeated body.
     */
    static void readValue(ByteCursor c, SampleValue into) throws ExpositionParseException {
        int valueStart = c.pos;
        while (!c.atLineEnd() && !c.atBlank() && !c.at('{')) {
            c.pos++;
        }
        if (c.pos == valueStart) {
            throw c.error("expected value after metric");
        }
        into.value = value(c, valueStart, c.pos);
        c.skipBlanks();
        into.timestampMs = Sample.NO_TIMESTAMP;
        if (!c.atLineEnd()) {
            into.timestampMs = timestamp(c);
            c.skipBlanks();
            if (!c.atLineEnd()) {
                throw c.error("expected end of line after timestamp");
            }
        }
    }

    private static double value(ByteCursor c, int from, int to) throws ExpositionParseException {
        try {
            return Floats.parse(c.bytes, from, to);
        } catch (NumberFormatException e) {
            throw c.error("invalid value (" + e.getMessage() + ")");
        }
    }

    private static long timestamp(ByteCursor c) throws ExpositionParseException {
        long ms = 0;
        int start = c.pos;
        for (; c.pos < c.end && c.bytes[c.pos] >= '0' && c.bytes[c.pos] <= '9'; c.pos++) {
            if (ms > (Long.MAX_VALUE - 9) / 10) {
                throw c.error("timestamp out of range");
            }
            ms = ms * 10 + (c.bytes[c.pos] - '0');
        }
        if (c.pos == start) {
            throw c.error("expected timestamp or end of line after value");
        }
        return ms;
    }
}
