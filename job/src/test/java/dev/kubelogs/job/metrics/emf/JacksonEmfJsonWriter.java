package dev.kubelogs.job.metrics.emf;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The reference the hand-written {@link EmfJsonWriter} is compared with, byte for byte
 * ({@code EmfJsonWriterJacksonParityTest}): the exporter's steps done literally (labels, metrics and its own keys put
 * into one sorted map, the declared metrics taken out of it and written after it, as {@code translateCWMetricToEMF}
 * does), written by Jackson's generator with Go's extra escapes ({@link GoStringEscapes}), lowercase hex and surrogate
 * pairs combined.
 */
final class JacksonEmfJsonWriter {
    // names written on every event, encoded once
    private static final SerializedString NAMESPACE_NAME = new SerializedString("Namespace");
    private static final SerializedString DIMENSIONS_NAME = new SerializedString("Dimensions");
    private static final SerializedString METRICS_NAME = new SerializedString("Metrics");
    private static final SerializedString NAME_NAME = new SerializedString("Name");
    private static final SerializedString UNIT_NAME = new SerializedString("Unit");
    private static final String CLOUDWATCH_METRICS = "CloudWatchMetrics";
    private static final String TIMESTAMP = "Timestamp";
    private static final String VERSION = "Version";
    private static final String AWS = "_aws";
    private static final String[] V0_WITH_DIRECTIVES = {CLOUDWATCH_METRICS, TIMESTAMP, VERSION};
    private static final String[] V0_PLAIN = {TIMESTAMP, VERSION};
    private static final String[] AWS_WITH_DIRECTIVES = {VERSION, AWS};
    private static final String[] AWS_PLAIN = {};

    private final EmfFormat format;
    private final String namespace;
    private final Map<String, String> units;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);
    private final JsonGenerator generator;

    JacksonEmfJsonWriter(EmfFormat format, String namespace, Map<String, String> units) {
        this.format = format;
        this.namespace = namespace;
        this.units = units;
        JsonFactoryBuilder builder = new JsonFactoryBuilder();
        builder.characterEscapes(new GoStringEscapes());
        builder.rootValueSeparator((String) null);
        builder.disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE);
        builder.disable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES);
        builder.enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8);
        JsonFactory factory = builder.build();
        try {
            generator = factory.createGenerator(buffer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes the event; afterwards {@link #size()} is its UTF-8 length and {@link #message()} its text.
     *
     * @param fields the metric fields, sorted by name, names distinct
     * @param directives the directives, each naming only metrics among {@code fields}; empty for a plain event
     */
    void write(EventLabels labels, List<MetricField> fields, List<Directive> directives, long timestampMs) {
        buffer.reset();
        boolean withDirectives = !directives.isEmpty();
        String[] meta = format == EmfFormat.AGENT_V0
                ? withDirectives ? V0_WITH_DIRECTIVES : V0_PLAIN
                : withDirectives ? AWS_WITH_DIRECTIVES : AWS_PLAIN;
        // the exporter's steps: labels, then metrics, then its own keys into one map; the declared metrics taken out
        // of it and marshalled after it
        Map<String, Entry> fieldMap = new TreeMap<>();
        for (int i = 0; i < labels.size(); i++) {
            String value = labels.value(i);
            fieldMap.put(labels.name(i), g -> g.writeString(value));
        }
        for (MetricField f : fields) {
            fieldMap.put(f.name(), g -> writeValue(f));
        }
        for (String key : meta) {
            fieldMap.put(key, g -> writeMetaValue(key, directives, timestampMs));
        }
        Map<String, Entry> metricsMap = new TreeMap<>();
        for (Directive d : directives) {
            for (String name : d.metricNames()) {
                Entry e = fieldMap.remove(name);
                if (e != null) {
                    metricsMap.put(name, e);
                }
            }
        }
        try {
            JsonGenerator g = generator;
            g.writeStartObject();
            for (Map.Entry<String, Entry> e : fieldMap.entrySet()) {
                g.writeFieldName(e.getKey());
                e.getValue().write(g);
            }
            for (Map.Entry<String, Entry> e : metricsMap.entrySet()) {
                g.writeFieldName(e.getKey());
                e.getValue().write(g);
            }
            g.writeEndObject();
            g.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One value of the event's map. */
    private interface Entry {
        void write(JsonGenerator g) throws IOException;
    }

    int size() {
        return buffer.size();
    }

    String message() {
        return buffer.toString(StandardCharsets.UTF_8);
    }

    private void writeMetaValue(String key, List<Directive> directives, long timestampMs) throws IOException {
        JsonGenerator g = generator;
        switch (key) {
            case CLOUDWATCH_METRICS:
                writeDirectives(directives);
                break;
            case TIMESTAMP:
                g.writeString(Long.toString(timestampMs));
                break;
            case VERSION:
                g.writeString(format == EmfFormat.AGENT_V0 ? "0" : "1");
                break;
            default:
                g.writeStartObject();
                g.writeFieldName(CLOUDWATCH_METRICS);
                writeDirectives(directives);
                g.writeNumberField(TIMESTAMP, timestampMs);
                g.writeEndObject();
        }
    }

    private void writeDirectives(List<Directive> directives) throws IOException {
        JsonGenerator g = generator;
        g.writeStartArray();
        for (Directive d : directives) {
            g.writeStartObject();
            g.writeFieldName(NAMESPACE_NAME);
            g.writeString(namespace);
            g.writeFieldName(DIMENSIONS_NAME);
            g.writeStartArray();
            for (List<String> set : d.dimensionSets()) {
                g.writeStartArray();
                for (String name : set) {
                    g.writeString(name);
                }
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeFieldName(METRICS_NAME);
            g.writeStartArray();
            for (String name : d.metricNames()) {
                g.writeStartObject();
                g.writeFieldName(NAME_NAME);
                g.writeString(name);
                g.writeFieldName(UNIT_NAME);
                g.writeString(units.getOrDefault(name, ""));
                g.writeNumberField("StorageResolution", 60);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private void writeValue(MetricField field) throws IOException {
        JsonGenerator g = generator;
        HistogramDistribution d = field.distribution();
        if (d == null) {
            g.writeNumber(GoFloats.format(field.value()));
            return;
        }
        // the exporter's cWMetricHistogram, members in its struct order
        g.writeStartObject();
        g.writeFieldName("Values");
        writeNumbers(d.values);
        g.writeFieldName("Counts");
        writeNumbers(d.counts);
        g.writeFieldName("Max");
        g.writeNumber(GoFloats.format(d.max));
        g.writeFieldName("Min");
        g.writeNumber(GoFloats.format(d.min));
        g.writeFieldName("Count");
        g.writeNumber(GoFloats.format(d.count));
        g.writeFieldName("Sum");
        g.writeNumber(GoFloats.format(d.sum));
        g.writeEndObject();
    }

    private void writeNumbers(double[] numbers) throws IOException {
        generator.writeStartArray();
        for (double v : numbers) {
            generator.writeNumber(GoFloats.format(v));
        }
        generator.writeEndArray();
    }
}
