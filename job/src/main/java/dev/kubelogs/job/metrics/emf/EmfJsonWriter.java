package dev.kubelogs.job.metrics.emf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes one event's JSON byte for byte as the agent's exporter does with Go's {@code json.Marshal} of a map: root
 * keys in sorted order (a metric field replaces a label of the same name, and {@code Timestamp}, {@code Version},
 * {@code CloudWatchMetrics}, {@code _aws} replace either, as the exporter's later map writes do), except the metrics
 * a directive declares, which follow all other keys, sorted among themselves (see {@link #write}); each directive's
 * members in its struct's order ({@code Namespace}, {@code Dimensions}, {@code Metrics}), a metric definition as the
 * exporter's {@code cWMetricInfo} struct marshals (untagged fields, so always {@code Name}, {@code Unit} — empty when
 * {@code metric_unit} names none — and {@code StorageResolution} 60), numbers as {@link GoFloats}, strings escaped as {@link GoJsonBytes}.
 * Key order is by Java string order, which is Go's byte order for every name Prometheus produces (it differs only
 * between supplementary characters and U+E000..U+FFFF).
 *
 * <p>The bytes are written here rather than through Jackson: the generator's custom-escape path was the largest
 * cost of the EMF stage (benchmarks/RESULTS.md, issue 14). One buffer is reused for every event; not thread-safe.
 */
final class EmfJsonWriter {
    private static final String CLOUDWATCH_METRICS = "CloudWatchMetrics";
    private static final String TIMESTAMP = "Timestamp";
    private static final String VERSION = "Version";
    private static final String AWS = "_aws";
    private static final String[] V0_WITH_DIRECTIVES = {CLOUDWATCH_METRICS, TIMESTAMP, VERSION};
    private static final String[] V0_PLAIN = {TIMESTAMP, VERSION};
    private static final String[] AWS_WITH_DIRECTIVES = {VERSION, AWS};
    private static final String[] AWS_PLAIN = {};
    // fixed text written on every event, encoded once
    private static final byte[] NAMESPACE_KEY = ascii("{\"Namespace\":");
    private static final byte[] DIMENSIONS_KEY = ascii(",\"Dimensions\":[");
    private static final byte[] METRICS_KEY = ascii("],\"Metrics\":[");
    private static final byte[] NAME_KEY = ascii("{\"Name\":");
    private static final byte[] UNIT_KEY = ascii(",\"Unit\":");
    // the exporter's cWMetricInfo has no storage-resolution setting from the agent: always standard resolution
    private static final byte[] STORAGE_RESOLUTION = ascii(",\"StorageResolution\":60}");
    private static final byte[] CLOUDWATCH_METRICS_KEY = ascii("\"CloudWatchMetrics\":[");
    private static final byte[] TIMESTAMP_KEY = ascii("\"Timestamp\":");
    private static final byte[] VERSION_0 = ascii("\"Version\":\"0\"");
    private static final byte[] VERSION_1 = ascii("\"Version\":\"1\"");
    private static final byte[] AWS_KEY = ascii("\"_aws\":{\"CloudWatchMetrics\":[");
    private static final byte[] VALUES_KEY = ascii("{\"Values\":[");
    private static final byte[] COUNTS_KEY = ascii("],\"Counts\":[");
    private static final byte[] MAX_KEY = ascii("],\"Max\":");
    private static final byte[] MIN_KEY = ascii(",\"Min\":");
    private static final byte[] COUNT_KEY = ascii(",\"Count\":");
    private static final byte[] SUM_KEY = ascii(",\"Sum\":");

    private final EmfFormat format;
    private final String namespace;
    private final Map<String, String> units;
    private final GoJsonBytes out = new GoJsonBytes(1024);
    /** Label names and values and metric names repeat from event to event: escaped once, copied after. */
    private final QuotedStringCache strings = new QuotedStringCache(1024);

    private final List<MetricField> declared = new ArrayList<>();
    private final List<MetricField> plain = new ArrayList<>();
    private final Set<String> declaredNames = new HashSet<>();

    EmfJsonWriter(EmfFormat format, String namespace, Map<String, String> units) {
        this.format = format;
        this.namespace = namespace;
        this.units = units;
    }

    /**
     * Writes the event; afterwards {@link #size()} is its UTF-8 length, {@link #messageUtf8()} its bytes and {@link #message()}
     * its text.
     *
     * <p>Key order is the exporter's ({@code translateCWMetricToEMF}): it marshals the field map without the
     * declared metrics (those a directive names), then appends the declared metrics marshalled on their own, so
     * labels, undeclared metrics and the EMF keys come first, in sorted order, and the declared metrics follow in
     * sorted order. A declared metric takes its name's place from a label; should it be named like an EMF key, that
     * key's value moves to the end in its place, as the map entry does in Go.
     *
     * @param fields the metric fields, sorted by name, names distinct
     * @param directives the directives, each naming only metrics among {@code fields}; empty for a plain event
     */
    void write(EventLabels labels, List<MetricField> fields, List<Directive> directives, long timestampMs) {
        out.reset();
        boolean withDirectives = !directives.isEmpty();
        String[] meta = format == EmfFormat.AGENT_V0
                ? withDirectives ? V0_WITH_DIRECTIVES : V0_PLAIN
                : withDirectives ? AWS_WITH_DIRECTIVES : AWS_PLAIN;
        declaredNames.clear();
        for (Directive d : directives) {
            declaredNames.addAll(d.metricNames());
        }
        declared.clear();
        plain.clear();
        for (MetricField f : fields) {
            (declaredNames.contains(f.name()) ? declared : plain).add(f);
        }
        out.writeByte('{');
        int li = 0;
        int fi = 0;
        int mi = 0;
        int di = 0;
        int ln = labels.size();
        int fn = plain.size();
        int dn = declared.size();
        boolean first = true;
        while (li < ln || fi < fn || mi < meta.length) {
            String label = li < ln ? labels.name(li) : null;
            String field = fi < fn ? plain.get(fi).name() : null;
            String metaKey = mi < meta.length ? meta[mi] : null;
            String least = least(least(label, field), metaKey);
            while (di < dn && declared.get(di).name().compareTo(least) < 0) {
                di++;
            }
            boolean movedToEnd = di < dn && declared.get(di).name().equals(least);
            if (!movedToEnd) {
                if (!first) {
                    out.writeByte(',');
                }
                first = false;
                if (least.equals(metaKey)) {
                    writeMeta(metaKey, directives, timestampMs);
                } else if (least.equals(field)) {
                    writeField(plain.get(fi));
                } else {
                    strings.write(label, out);
                    out.writeByte(':');
                    strings.write(labels.value(li), out);
                }
            }
            if (least.equals(metaKey)) {
                mi++;
            }
            if (least.equals(field)) {
                fi++;
            }
            if (least.equals(label)) {
                li++;
            }
        }
        for (int d = 0; d < dn; d++) {
            if (!first) {
                out.writeByte(',');
            }
            first = false;
            MetricField f = declared.get(d);
            String metaKey = metaKeyNamed(meta, f.name());
            if (metaKey != null) {
                writeMeta(metaKey, directives, timestampMs);
            } else {
                writeField(f);
            }
        }
        out.writeByte('}');
    }

    private static String metaKeyNamed(String[] meta, String name) {
        for (String key : meta) {
            if (key.equals(name)) {
                return key;
            }
        }
        return null;
    }

    int size() {
        return out.size();
    }

    String message() {
        return out.text();
    }

    /** The event as UTF-8, a copy the caller keeps. */
    byte[] messageUtf8() {
        return out.utf8();
    }

    private static String least(String a, String b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.compareTo(b) <= 0 ? a : b;
    }

    private void writeMeta(String key, List<Directive> directives, long timestampMs) {
        switch (key) {
            case CLOUDWATCH_METRICS:
                out.writeAscii(CLOUDWATCH_METRICS_KEY);
                writeDirectives(directives);
                break;
            case TIMESTAMP:
                out.writeAscii(TIMESTAMP_KEY);
                out.writeByte('"');
                out.writeLong(timestampMs);
                out.writeByte('"');
                break;
            case VERSION:
                out.writeAscii(format == EmfFormat.AGENT_V0 ? VERSION_0 : VERSION_1);
                break;
            default:
                out.writeAscii(AWS_KEY);
                writeDirectives(directives);
                out.writeByte(',');
                out.writeAscii(TIMESTAMP_KEY);
                out.writeLong(timestampMs);
                out.writeByte('}');
        }
    }

    /** The directives' members and the array's closing bracket. */
    private void writeDirectives(List<Directive> directives) {
        for (int d = 0; d < directives.size(); d++) {
            Directive directive = directives.get(d);
            if (d > 0) {
                out.writeByte(',');
            }
            out.writeAscii(NAMESPACE_KEY);
            out.writeString(namespace);
            out.writeAscii(DIMENSIONS_KEY);
            List<List<String>> sets = directive.dimensionSets();
            for (int s = 0; s < sets.size(); s++) {
                if (s > 0) {
                    out.writeByte(',');
                }
                out.writeByte('[');
                List<String> set = sets.get(s);
                for (int i = 0; i < set.size(); i++) {
                    if (i > 0) {
                        out.writeByte(',');
                    }
                    out.writeString(set.get(i));
                }
                out.writeByte(']');
            }
            out.writeAscii(METRICS_KEY);
            List<String> names = directive.metricNames();
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    out.writeByte(',');
                }
                String name = names.get(i);
                out.writeAscii(NAME_KEY);
                out.writeString(name);
                out.writeAscii(UNIT_KEY);
                out.writeString(units.getOrDefault(name, ""));
                out.writeAscii(STORAGE_RESOLUTION);
            }
            out.writeByte(']');
            out.writeByte('}');
        }
        out.writeByte(']');
    }

    private void writeField(MetricField field) {
        strings.write(field.name(), out);
        out.writeByte(':');
        HistogramDistribution d = field.distribution();
        if (d == null) {
            writeNumber(field.value());
            return;
        }
        // the exporter's cWMetricHistogram, members in its struct order
        out.writeAscii(VALUES_KEY);
        writeNumbers(d.values);
        out.writeAscii(COUNTS_KEY);
        writeNumbers(d.counts);
        out.writeAscii(MAX_KEY);
        writeNumber(d.max);
        out.writeAscii(MIN_KEY);
        writeNumber(d.min);
        out.writeAscii(COUNT_KEY);
        writeNumber(d.count);
        out.writeAscii(SUM_KEY);
        writeNumber(d.sum);
        out.writeByte('}');
    }

    private void writeNumbers(double[] numbers) {
        for (int i = 0; i < numbers.length; i++) {
            if (i > 0) {
                out.writeByte(',');
            }
            writeNumber(numbers[i]);
        }
    }

    private void writeNumber(double v) {
        if (GoFloats.isExactLong(v)) {
            out.writeLong((long) v);
        } else {
            out.writeAscii(GoFloats.format(v));
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
