package dev.kubelogs.job.metrics.parse;

import dev.kubelogs.job.metrics.model.Labels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a label set {@code {name="value",...}} into {@link Labels}, by the rules of one format: the text format
 * allows blanks between tokens, a missing comma and raw newlines in values (but not a backslash before one, which
 * promlex refuses); OpenMetrics allows none of them, and a trailing comma in both. Values are unescaped ({@code \\}, {@code \"}, {@code \n}; any other backslash pair is
 * kept as it is, as Prometheus does) and must be valid UTF-8. A name given twice, or {@code __name__} (already the
 * metric name), is an error. A label given an empty value is no label, but its name is kept ({@link #emptyNames}):
 * with {@code honor_labels: true} it keeps the target's label of that name out, as in Prometheus. Identical label-set bytes map to the same {@link Labels} instance through a bounded
 * cache, so a target's next scrape builds almost nothing.
 */
final class LabelReader {
    private static final int SMALL_SET = 16;
    private static final String METRIC_NAME_LABEL = "__name__";

    /** Shared by the parsers of all threads: a label set scraped by another thread next time is the same instance. */
    private static final Interner<Labels> SHARED = new Interner<>(65536);

    private final boolean openMetrics;
    private final NameStrings names;
    private final ByteKeyedCache<LabelSet> cache = new ByteKeyedCache<>(16384);
    /** Label sets read with their {@code le} / {@code quantile} respelled: the same bytes, another result. */
    private final ByteKeyedCache<LabelSet> leCache = new ByteKeyedCache<>(4096);

    private final ByteKeyedCache<LabelSet> quantileCache = new ByteKeyedCache<>(4096);
    /** The set {@link #read} read last. */
    private LabelSet last;
    /** Per label: name start, name end, value start, value end (inside the quotes). */
    private int[] offsets = new int[4 * 16];

    private int count;

    LabelReader(boolean openMetrics, NameStrings names) {
        this.openMetrics = openMetrics;
        this.names = names;
    }

    /** Reads the label set at the cursor (at its opening brace) and leaves the cursor after its closing brace. */
    Labels read(ByteCursor c) throws ExpositionParseException {
        return read(c, null);
    }

    /**
     * Reads the label set at the cursor, with the value of label {@code floatLabel} (if not null) respelled as
     * Prometheus 3 does for {@code le} and {@code quantile} ({@link OpenMetricsFloat}).
     */
    Labels read(ByteCursor c, String floatLabel) throws ExpositionParseException {
        int start = c.pos;
        scan(c);
        ByteKeyedCache<LabelSet> sets = floatLabel == null ? cache : floatLabel.equals("le") ? leCache : quantileCache;
        int hash = ByteKeyedCache.hash(c.bytes, start, c.pos);
        LabelSet set = sets.get(hash, c.bytes, start, c.pos);
        if (set == null) {
            set = build(c, floatLabel);
            sets.put(hash, c.bytes, start, c.pos, set);
        }
        last = set;
        return set.labels;
    }

    /** The names the set read last gave an empty value (no labels, but they matter to {@code honor_labels}). */
    List<String> emptyNames() {
        return last.emptyNames;
    }

    /** Checks the label set at the cursor (an OpenMetrics exemplar's) and moves past it without building it. */
    void skip(ByteCursor c) throws ExpositionParseException {
        scan(c);
        for (int i = 0; i < count; i++) {
            checkUtf8(c, offsets[4 * i + 2], offsets[4 * i + 3]);
        }
    }

    private void scan(ByteCursor c) throws ExpositionParseException {
        count = 0;
        c.pos++;
        while (true) {
            blanks(c);
            if (c.at('}')) {
                c.pos++;
                return;
            }
            int nameStart = c.pos;
            int nameEnd = c.labelNameEnd();
            if (nameEnd == nameStart) {
                throw c.error(c.atEnd() ? "label set not closed" : "expected label name");
            }
            c.pos = nameEnd;
            blanks(c);
            if (!c.at('=')) {
                throw c.error("expected '=' after label name");
            }
            c.pos++;
            blanks(c);
            if (!c.at('"')) {
                throw c.error("expected quoted label value");
            }
            c.pos++;
            int valueStart = c.pos;
            int valueEnd = valueEnd(c);
            add(nameStart, nameEnd, valueStart, valueEnd);
            c.pos = valueEnd + 1;
            blanks(c);
            if (c.at(',')) {
                c.pos++;
            } else if (openMetrics && !c.at('}')) {
                throw c.error("expected ',' or '}' after label value");
            }
        }
    }

    private void blanks(ByteCursor c) {
        if (!openMetrics) {
            c.skipBlanks();
        }
    }

    /** The index of the closing quote of the value starting at the cursor. */
    private int valueEnd(ByteCursor c) throws ExpositionParseException {
        byte[] b = c.bytes;
        for (int i = c.pos; i < c.end; i++) {
            byte ch = b[i];
            if (ch == '"') {
                return i;
            } else if (ch == '\\') {
                i++;
                if (i < c.end && b[i] == '\n') {
                    // promlex reads an escape as a backslash and any byte but a line break, so both formats refuse it
                    throw c.error(
                            openMetrics ? "newline in label value" : "line break after a backslash in label value");
                }
            } else if (ch == '\n') {
                newlineInValue(c);
            }
        }
        throw c.error("label value not closed");
    }

    private void newlineInValue(ByteCursor c) throws ExpositionParseException {
        if (openMetrics) {
            throw c.error("newline in label value");
        }
        c.countLineBreak();
    }

    private void add(int nameStart, int nameEnd, int valueStart, int valueEnd) {
        int at = 4 * count;
        if (at + 4 > offsets.length) {
            offsets = java.util.Arrays.copyOf(offsets, offsets.length * 2);
        }
        offsets[at] = nameStart;
        offsets[at + 1] = nameEnd;
        offsets[at + 2] = valueStart;
        offsets[at + 3] = valueEnd;
        count++;
    }

    private LabelSet build(ByteCursor c, String floatLabel) throws ExpositionParseException {
        byte[] b = c.bytes;
        String[] labelNames = new String[count];
        for (int i = 0; i < count; i++) {
            labelNames[i] = names.of(b, offsets[4 * i], offsets[4 * i + 1]);
        }
        checkDistinct(c, labelNames);
        Labels.Builder builder = Labels.builder();
        List<String> emptyNames = List.of();
        for (int i = 0; i < count; i++) {
            String value = value(c, offsets[4 * i + 2], offsets[4 * i + 3]);
            if (value.isEmpty()) {
                emptyNames = emptyNames.isEmpty() ? new ArrayList<>(2) : emptyNames;
                emptyNames.add(labelNames[i]);
            }
            builder.set(labelNames[i], labelNames[i].equals(floatLabel) ? OpenMetricsFloat.normalize(value) : value);
        }
        return new LabelSet(
                SHARED.intern(builder.build()), emptyNames.isEmpty() ? emptyNames : List.copyOf(emptyNames));
    }

    private void checkDistinct(ByteCursor c, String[] labelNames) throws ExpositionParseException {
        Set<String> seen = labelNames.length > SMALL_SET ? new HashSet<>() : null;
        for (int i = 0; i < labelNames.length; i++) {
            String name = labelNames[i];
            if (name.equals(METRIC_NAME_LABEL)) {
                throw c.error("label __name__ repeats the metric name");
            }
            boolean repeated = seen != null ? !seen.add(name) : indexOf(labelNames, name, i) >= 0;
            if (repeated) {
                throw c.error("label name \"" + name + "\" given twice");
            }
        }
    }

    private static int indexOf(String[] names, String name, int before) {
        for (int j = 0; j < before; j++) {
            if (names[j].equals(name)) {
                return j;
            }
        }
        return -1;
    }

    private String value(ByteCursor c, int from, int to) throws ExpositionParseException {
        byte[] b = c.bytes;
        boolean escaped = false;
        for (int i = from; i < to; i++) {
            if (b[i] == '\\') {
                escaped = true;
                break;
            }
        }
        if (!escaped && GoUtf8.isAscii(b, from, to)) {
            return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
        }
        checkUtf8(c, from, to);
        if (!escaped) {
            return new String(b, from, to - from, StandardCharsets.UTF_8);
        }
        byte[] out = new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            byte ch = b[i];
            if (ch == '\\' && i + 1 < to) {
                byte next = b[i + 1];
                if (next == '\\' || next == '"') {
                    out[n++] = next;
                    i++;
                    continue;
                } else if (next == 'n') {
                    out[n++] = '\n';
                    i++;
                    continue;
                }
            }
            out[n++] = ch;
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    private static void checkUtf8(ByteCursor c, int from, int to) throws ExpositionParseException {
        if (!GoUtf8.isValid(c.bytes, from, to)) {
            throw c.error("label value is not valid UTF-8");
        }
    }

    /** A label set as read: its labels and the names given an empty value. */
    private record LabelSet(Labels labels, List<String> emptyNames) {}
}
