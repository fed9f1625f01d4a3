package dev.kubelogs.job.metrics.parse;

import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.MetricType;
import dev.kubelogs.job.metrics.model.Sample;
import java.util.List;

/**
 * The OpenMetrics 1.0 text grammar, as Prometheus' {@code openmetricsparse}/{@code openmetricslex} accept it:
 * single spaces between tokens, no blank lines and no comments other than {@code # HELP}, {@code # TYPE} (counter,
 * gauge, histogram, gaugehistogram, summary, info, stateset, unknown) and {@code # UNIT} (which must be a suffix of
 * the name); timestamps are seconds (a float) and become milliseconds (truncated); an exemplar
 * ({@code  # {labels} value [timestamp]}) is checked and skipped; the body must end with {@code # EOF} (optionally
 * followed by one newline) and nothing after it.
 *
 * <p>Skipping an exemplar departs from the CloudWatch agent on purpose: its appender adds an exemplar as one more
 * sample of the series ({@code plugins/inputs/prometheus/metrics_receiver.go} {@code AppendExemplar}), whose value
 * then overwrites the sample's in the event; a trace's observation is no value of the metric.
 */
final class OpenMetricsReader {
    private static final String[] TYPES = {
        "counter", "gauge", "histogram", "gaugehistogram", "summary", "info", "stateset", "unknown"
    };
    private static final String NO_EOF = "data does not end with # EOF";

    private final ByteCursor c;
    private final LabelReader labelReader;
    private final NameStrings names;
    private final SampleCollector out;
    private final SampleValue value = new SampleValue();

    OpenMetricsReader(ByteCursor c, LabelReader labelReader, NameStrings names, SampleCollector out) {
        this.c = c;
        this.labelReader = labelReader;
        this.names = names;
        this.out = out;
    }

    void read() throws ExpositionParseException {
        while (true) {
            if (c.atEnd()) {
                throw c.error(NO_EOF);
            }
            if (c.lookingAt("# ")) {
                c.pos += 2;
                if (c.lookingAt("EOF")) {
                    c.pos += 3;
                    if (c.at('\n')) {
                        c.pos++;
                    }
                    if (!c.atEnd()) {
                        throw c.error("unexpected data after # EOF");
                    }
                    return;
                }
                metadata();
            } else if (c.at('\n')) {
                throw c.error("blank line");
            } else {
                sample();
            }
        }
    }

    private void metadata() throws ExpositionParseException {
        String keyword =
                c.lookingAt("HELP ") ? "HELP" : c.lookingAt("TYPE ") ? "TYPE" : c.lookingAt("UNIT ") ? "UNIT" : null;
        if (keyword == null) {
            throw c.error("expected HELP, TYPE, UNIT or EOF after '# '");
        }
        c.pos += 5;
        int nameStart = c.pos;
        int nameEnd = c.metricNameEnd();
        if (nameEnd == nameStart) {
            throw c.error("expected metric name after " + keyword);
        }
        c.pos = nameEnd;
        if (!c.at(' ')) {
            throw c.error("expected text after " + keyword + " metric name");
        }
        int textStart = c.pos + 1;
        int lineEnd = c.lineEnd();
        if (lineEnd == c.end) {
            throw c.error(NO_EOF);
        }
        if (keyword.equals("TYPE")) {
            MetricType type = SampleCollector.typeNamed(c, textStart, lineEnd, TYPES);
            if (type == null) {
                throw c.error("invalid metric type");
            }
            out.declare(names.of(c.bytes, nameStart, nameEnd), type);
        } else {
            if (keyword.equals("HELP")) {
                if (!GoUtf8.isValid(c.bytes, textStart, lineEnd)) {
                    throw c.error("help text is not valid UTF-8");
                }
            } else {
                checkUnit(nameStart, nameEnd, textStart, lineEnd);
            }
            out.describe(names.of(c.bytes, nameStart, nameEnd));
        }
        c.pos = lineEnd;
        c.nextLine();
    }

    private void checkUnit(int nameStart, int nameEnd, int unitStart, int unitEnd) throws ExpositionParseException {
        int unitLength = unitEnd - unitStart;
        if (unitLength == 0) {
            return;
        }
        int at = nameEnd - unitLength;
        // openmetricsparse: the name is at least the unit plus one byte, and that byte is '_' (so "_seconds" passes)
        boolean suffix = at - 1 >= nameStart && c.bytes[at - 1] == '_';
        for (int i = 0; suffix && i < unitLength; i++) {
            suffix = c.bytes[at + i] == c.bytes[unitStart + i];
        }
        if (!suffix) {
            throw c.error("unit is not a suffix of the metric name");
        }
    }

    private void sample() throws ExpositionParseException {
        int nameEnd = c.metricNameEnd();
        if (nameEnd == c.pos) {
            throw c.error("expected metric name, # HELP, # TYPE, # UNIT or # EOF");
        }
        String name = names.of(c.bytes, c.pos, nameEnd);
        c.pos = nameEnd;
        Labels labels = Labels.EMPTY;
        List<String> emptyLabelNames = List.of();
        if (c.at('{')) {
            labels = labelReader.read(c, out.families.floatLabel());
            emptyLabelNames = labelReader.emptyNames();
        }
        space(c, "value");
        int valueStart = c.pos;
        readValue(c, labelReader, value);
        out.add(name, labels, emptyLabelNames, value.value, value.timestampMs, valueStart, c.pos);
        c.nextLine();
    }

    /**
     * Reads a sample's value, optional timestamp and exemplar, from the value's first byte to the end of its line,
     * where it leaves the cursor: the part of a sample line that {@link BodyTemplate} reads again in a repeated body.
     *
     * @param labelReader reads the exemplar's labels
     */
    static void readValue(ByteCursor c, LabelReader labelReader, SampleValue into) throws ExpositionParseException {
        into.value = floatToken(c, "value");
        into.timestampMs = Sample.NO_TIMESTAMP;
        if (c.at(' ') && !exemplarFollows(c)) {
            double seconds = spaceThenFloat(c, "timestamp");
            if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
                throw c.error("invalid timestamp");
            }
            into.timestampMs = (long) (seconds * 1000.0);
        }
        if (exemplarFollows(c)) {
            exemplar(c, labelReader);
        }
        endOfLine(c);
    }

    private static boolean exemplarFollows(ByteCursor c) {
        return c.lookingAt(" # {");
    }

    private static void exemplar(ByteCursor c, LabelReader labelReader) throws ExpositionParseException {
        c.pos += 3;
        labelReader.skip(c);
        spaceThenFloat(c, "exemplar value");
        if (c.at(' ')) {
            double seconds = spaceThenFloat(c, "exemplar timestamp");
            if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
                throw c.error("invalid exemplar timestamp");
            }
        }
    }

    private static void endOfLine(ByteCursor c) throws ExpositionParseException {
        if (c.atEnd()) {
            throw c.error(NO_EOF);
        }
        if (!c.at('\n')) {
            throw c.error("expected end of line");
        }
    }

    /** Reads {@code ' '} and a float token ({@code [^ \n]+}). */
    private static double spaceThenFloat(ByteCursor c, String what) throws ExpositionParseException {
        space(c, what);
        return floatToken(c, what);
    }

    /** Reads the {@code ' '} before a token. */
    private static void space(ByteCursor c, String what) throws ExpositionParseException {
        if (!c.at(' ')) {
            throw c.error(c.atEnd() ? NO_EOF : "expected " + what);
        }
        c.pos++;
    }

    /** Reads a float token ({@code [^ \n]+}). */
    private static double floatToken(ByteCursor c, String what) throws ExpositionParseException {
        int start = c.pos;
        while (!c.atLineEnd() && !c.at(' ')) {
            c.pos++;
        }
        if (c.pos == start) {
            throw c.error("expected " + what);
        }
        try {
            return Floats.parse(c.bytes, start, c.pos);
        } catch (NumberFormatException e) {
            throw c.error("invalid " + what + " (" + e.getMessage() + ")");
        }
    }
}
