package dev.kubelogs.job.enrich;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.kubelogs.job.parse.FluentBitJsonReader;
import dev.kubelogs.job.parse.JournalEntry;
import dev.kubelogs.job.parse.Json;
import dev.kubelogs.job.parse.LineRecord;
import dev.kubelogs.job.parse.LogParser;
import dev.kubelogs.job.parse.Utf8Text;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Builds the event JSON exactly as Container Insights' Fluent Bit lands it (reference §2): the
 * record's own keys first, then {@code log_processed} (Merge_Log), then {@code kubernetes}; host and
 * dataplane records get {@code az} and {@code ec2_instance_id} from the aws filter when the node knows them.
 *
 * <p>Events are written as UTF-8 bytes, the form the sink buffers and sends: Fluent Bit's escapes leave nothing but
 * ASCII and the raw private-use characters of ill-formed input bytes, so the bytes are the text's UTF-8 exactly, made
 * without a String in between that the sink would encode again.
 */
public final class EventJson {
    private EventJson() {}

    public static final String AZ = "az";
    public static final String EC2_INSTANCE_ID = "ec2_instance_id";

    /**
     * Application container record: record keys, log_processed when log is a JSON object, and the {@code
     * kubernetes} block already written as JSON (a pod's block is the same for all its lines, so the keyed stage
     * writes it once per container).
     */
    public static byte[] application(LineRecord record, String kubernetesJson) {
        String log = record.text("log");
        if (log == null || !MergedLogWriter.opensObject(log)) {
            return application(record, (ObjectNode) null, kubernetesJson);
        }
        try {
            // Merge_Log copied from the log into the event as it is written, without a tree of it
            return writeWith(
                    record,
                    "log_processed",
                    new LogToMerge(log),
                    "kubernetes",
                    kubernetesJson == null ? null : new RawJson(block(kubernetesJson)));
        } catch (MergedLogWriter.NotMergeable e) {
            return application(record, mergeLog(log), kubernetesJson);
        }
    }

    /** The same with the Merge_Log step already taken ({@link #mergeLog(LineRecord, LogParser, long)}). */
    public static byte[] application(LineRecord record, Merged merged, String kubernetesJson) {
        return application(record, merged.processed(), kubernetesJson);
    }

    private static byte[] application(LineRecord record, ObjectNode processed, String kubernetesJson) {
        return writeWith(
                record,
                "log_processed",
                processed,
                "kubernetes",
                kubernetesJson == null ? null : new RawJson(block(kubernetesJson)));
    }

    /**
     * What the Merge_Log step gives a record: {@code log_processed} (null for none) and the event's time.
     *
     * @param processed the parsed log with its string values trimmed (Merge_Log_Trim), or null
     * @param timeMillis the CloudWatch event's timestamp
     */
    public record Merged(ObjectNode processed, long timeMillis) {}

    /**
     * Merge_Log as kubernetes.c merge_log_handler and pack_map_content take it, with the parser a pod annotation
     * chose for the record's stream, or {@code null} for the default JSON merge ({@link #mergeLog(String)}).
     *
     * <p>With a parser: the log goes to that parser alone (no default merge after it). Not accepted, the record is
     * left as it is (MERGE_NONE: no {@code log_processed}, its own time). Accepted, its fields become {@code
     * log_processed} (none when there are no fields), string values trimmed like the default merge's, and the
     * record's time becomes the time the parser read (its Time_Key), which is the CloudWatch event's timestamp
     * ({@code tv_sec * 1000 + tv_nsec / 1e6}). A parser that read no time has Fluent Bit stamp the record with the
     * time of the filter's run (flb_time_get); here that is the record's own time, which the run follows by the
     * collection delay, so that a replayed record gets the same timestamp. That time also gives a Time_Format
     * without a year its year.
     *
     * @param timeMillis the record's time (the runtime's timestamp, or the read time)
     */
    public static Merged mergeLog(LineRecord record, LogParser parser, long timeMillis) {
        String log = record.text("log");
        if (log == null) {
            return new Merged(null, timeMillis);
        }
        if (parser == null) {
            return new Merged(mergeLog(log), timeMillis);
        }
        LogParser.Parsed parsed = parser.parse(log, timeMillis);
        if (parsed == null) {
            return new Merged(null, timeMillis);
        }
        long time = parsed.timeNanos() == 0 ? timeMillis : Math.floorDiv(parsed.timeNanos(), 1_000_000L);
        ObjectNode fields = parsed.fields();
        if (fields.isEmpty()) {
            return new Merged(null, time);
        }
        trimStrings(fields);
        return new Merged(fields, time);
    }

    /** Application container record whose file name the kubernetes filter does not match: the record alone. */
    public static byte[] unenriched(LineRecord record) {
        return writeWith(record, "log_processed", null, "kubernetes", null);
    }

    /** aws-node / kube-proxy container record: no kubernetes filter, only the aws filter. */
    public static byte[] dataplaneTail(LineRecord record, Map<String, String> nodeAttributes) {
        return writeWith(record, AZ, nodeAttributes.get(AZ), EC2_INSTANCE_ID, nodeAttributes.get(EC2_INSTANCE_ID));
    }

    /**
     * Journald unit record after dataplane-log.conf's modify filter (Rename _HOSTNAME hostname, _SYSTEMD_UNIT
     * systemd_unit, MESSAGE message; Remove_regex {@code ^((?!hostname|systemd_unit|message).)*$}) and the aws filter:
     * the kept fields in the systemd input's order.
     */
    public static byte[] dataplaneSystemd(JournalEntry entry, Map<String, String> nodeAttributes) {
        return journal(entry, DATAPLANE_RENAMES, DATAPLANE_REMOVED, nodeAttributes);
    }

    /**
     * Journald host record after host-log.conf's modify filter (Rename _HOSTNAME host, MESSAGE message,
     * SYSLOG_IDENTIFIER ident, SYSLOG_PID pid; Remove_regex {@code [A-Z]}): the aws filter, which runs first, appends
     * az and ec2_instance_id, which keep their place.
     */
    public static byte[] hostJournal(JournalEntry entry, Map<String, String> nodeAttributes) {
        return journal(entry, HOST_RENAMES, HOST_REMOVED, nodeAttributes);
    }

    private static final List<Map.Entry<String, String>> DATAPLANE_RENAMES = List.of(
            Map.entry("_HOSTNAME", "hostname"),
            Map.entry("_SYSTEMD_UNIT", "systemd_unit"),
            Map.entry("MESSAGE", "message"));
    private static final Pattern DATAPLANE_REMOVED =
            Pattern.compile("^((?!hostname|systemd_unit|message).)*$", Pattern.MULTILINE | Pattern.UNIX_LINES);
    private static final List<Map.Entry<String, String>> HOST_RENAMES = List.of(
            Map.entry("_HOSTNAME", "host"),
            Map.entry("MESSAGE", "message"),
            Map.entry("SYSLOG_IDENTIFIER", "ident"),
            Map.entry("SYSLOG_PID", "pid"));
    private static final Pattern HOST_REMOVED = Pattern.compile("[A-Z]");

    /**
     * The record through a modify filter (plugins/filter_modify/modify.c): each Rename in its order renames the key in
     * place unless the new name is taken, then Remove_regex drops every key the regex finds a match in.
     */
    private static byte[] journal(
            JournalEntry entry,
            List<Map.Entry<String, String>> renames,
            Pattern removed,
            Map<String, String> nodeAttributes) {
        List<JournalEntry.Field> fields = entry.record();
        List<String> names = new ArrayList<>(fields.size());
        fields.forEach(f -> names.add(f.name()));
        for (Map.Entry<String, String> rename : renames) {
            int at = names.indexOf(rename.getKey());
            if (at >= 0 && !names.contains(rename.getValue())) {
                names.set(at, rename.getValue());
            }
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < fields.size(); i++) {
            String name = names.get(i);
            if (removed.matcher(name).find()) {
                continue;
            }
            if (fields.get(i).value() instanceof String value) {
                out.put(name, Utf8Text.dropCutSequenceAtEnd(value));
            } else {
                ArrayNode values = out.putArray(name);
                for (Object value : (List<?>) fields.get(i).value()) {
                    values.add(Utf8Text.dropCutSequenceAtEnd((String) value));
                }
            }
        }
        appendAwsFields(out, nodeAttributes);
        try {
            return Json.MAPPER.writeValueAsBytes(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A JSON tree always serializes", e);
        }
    }

    /** Host file record (legacy tail): the parsed or raw record plus the aws filter's keys. */
    public static byte[] hostFile(LineRecord record, Map<String, String> nodeAttributes) {
        return writeWith(record, AZ, nodeAttributes.get(AZ), EC2_INSTANCE_ID, nodeAttributes.get(EC2_INSTANCE_ID));
    }

    /**
     * One buffer and one generator per thread (a keyed stage's events are written one at a time), so an event
     * allocates its bytes only: a generator made and closed per event took and gave back Jackson's recycled buffers
     * each time, which cost as much as writing a short event.
     */
    private static final ThreadLocal<EventWriter> WRITERS = ThreadLocal.withInitial(EventWriter::new);

    /** JSON text to be written as it is. */
    private record RawJson(SerializableString json) {}

    /** A log whose JSON object is copied into the event as {@code log_processed} ({@link MergedLogWriter}). */
    private record LogToMerge(String log) {}

    /**
     * Per thread, the kubernetes block written last, which keeps its UTF-8 bytes once made: a container's lines
     * share their block, so it is encoded once per container instead of once per event.
     */
    private static final ThreadLocal<SerializedString[]> LAST_BLOCK =
            ThreadLocal.withInitial(() -> new SerializedString[1]);

    private static SerializableString block(String json) {
        SerializedString[] last = LAST_BLOCK.get();
        if (last[0] == null || !json.equals(last[0].getValue())) {
            last[0] = new SerializedString(json);
        }
        return last[0];
    }

    /**
     * Writes {@code record} with two keys set, as {@code ObjectNode.set/put} on a copy would: a key the record
     * already has keeps its place with the new value, a new key goes last, a null value leaves the record as it
     * is. Streams straight from the record instead of copying its tree first.
     */
    private static byte[] writeWith(LineRecord record, String key1, Object value1, String key2, Object value2) {
        EventWriter writer = WRITERS.get();
        ByteArrayBuilder out = writer.out;
        out.reset();
        boolean written = false;
        try {
            JsonGenerator g = writer.generator();
            g.writeStartObject();
            boolean wrote1 = value1 == null;
            boolean wrote2 = value2 == null;
            for (int i = 0; i < record.size(); i++) {
                String key = record.name(i);
                if (!wrote1 && key.equals(key1)) {
                    writeField(g, key, value1);
                    wrote1 = true;
                } else if (!wrote2 && key.equals(key2)) {
                    writeField(g, key, value2);
                    wrote2 = true;
                } else {
                    writeMember(g, record, i);
                }
            }
            if (!wrote1) {
                writeField(g, key1, value1);
            }
            if (!wrote2) {
                writeField(g, key2, value2);
            }
            g.writeEndObject();
            g.flush();
            written = true;
        } catch (IOException e) {
            throw new IllegalStateException("Writing JSON to memory cannot fail", e);
        } finally {
            if (!written) {
                writer.discardGenerator(); // left inside an object: the next event starts with a new one
            }
        }
        return out.toByteArray();
    }

    /**
     * A thread's event buffer and the generator that writes into it, kept from event to event. Each event is a root
     * value of its own, written without the separator Jackson puts between root values and flushed whole into the
     * buffer, so the bytes are those a generator made for the event alone writes.
     */
    private static final class EventWriter {
        final ByteArrayBuilder out = new ByteArrayBuilder();
        private JsonGenerator generator;

        JsonGenerator generator() throws IOException {
            if (generator == null) {
                generator = Json.MAPPER.createGenerator(out, JsonEncoding.UTF8);
                generator.setRootValueSeparator(null);
            }
            return generator;
        }

        void discardGenerator() {
            generator = null;
        }
    }

    /** A record's own member: its text goes out as Fluent Bit writes a string's end, anything else as it was read. */
    private static void writeMember(JsonGenerator g, LineRecord record, int i) throws IOException {
        g.writeFieldName(record.name(i));
        String text = record.text(i);
        if (text != null) {
            g.writeString(Utf8Text.dropCutSequenceAtEnd(text));
        } else {
            g.writeRawValue(record.json(i));
        }
    }

    private static void writeField(JsonGenerator g, String key, Object value) throws IOException {
        g.writeFieldName(key);
        if (value instanceof String) {
            g.writeString((String) value);
        } else if (value instanceof RawJson) {
            g.writeRawValue(((RawJson) value).json());
        } else if (value instanceof LogToMerge) {
            MergedLogWriter.write(((LogToMerge) value).log(), g);
        } else {
            Json.MAPPER.writeTree(g, (JsonNode) value);
        }
    }

    /**
     * Merge_Log: when {@code log} is one JSON object with entries, it is added as {@code log_processed}; string
     * values are trimmed like Merge_Log_Trim (see mergeLogTrimmedLength). Anything else (text, arrays, broken JSON): null.
     */
    static ObjectNode mergeLog(String log) {
        // most logs are text: decided by their first non-blank character, without stripping a copy of each
        int first = 0;
        while (first < log.length() && Character.isWhitespace(log.charAt(first))) {
            first++;
        }
        if (first == log.length() || log.charAt(first) != '{') {
            return null;
        }
        String trimmed = log.strip();
        JsonNode parsed;
        try {
            parsed = FluentBitJsonReader.read(trimmed);
        } catch (IOException e) {
            return null;
        }
        // an empty object merges nothing: Fluent Bit adds the key only for a map with entries (kubernetes.c
        // pack_map_content, log_buf_entries > 0)
        if (!(parsed instanceof ObjectNode) || parsed.isEmpty()) {
            return null;
        }
        ObjectNode obj = (ObjectNode) parsed;
        trimStrings(obj);
        return obj;
    }

    /** Merge_Log_Trim on the top-level string values (kubernetes.c pack_map_content). */
    private static void trimStrings(ObjectNode obj) {
        Iterator<Map.Entry<String, JsonNode>> fields = obj.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (f.getValue().isTextual()) {
                String v = f.getValue().textValue();
                int end = mergeLogTrimmedLength(v);
                if (end < v.length()) {
                    f.setValue(TextNode.valueOf(v.substring(0, end)));
                }
            }
        }
    }

    /** Fluent Bit's Merge_Log_Trim on a whole value ({@link MergedLogWriter#trimmedLength}). */
    static int mergeLogTrimmedLength(String v) {
        return MergedLogWriter.trimmedLength(v.toCharArray(), 0, v.length());
    }

    /**
     * An OutputStream into a byte array that is kept from event to event (unlike ByteArrayOutputStream, no locking),
     * so that once it has grown to the thread's usual event size, writing an event copies its bytes only into it and
     * out of it.
     */
    private static final class ByteArrayBuilder extends java.io.OutputStream {
        /** Kept between events up to this size; after an event larger than that (up to 1 MiB) it starts small again. */
        private static final int KEPT_BYTES = 64 * 1024;

        private byte[] bytes = new byte[1024];
        private int length;

        /** Empties the buffer for the next event. */
        void reset() {
            length = 0;
            if (bytes.length > KEPT_BYTES) {
                bytes = new byte[1024];
            }
        }

        @Override
        public void write(byte[] source, int off, int len) {
            ensure(len);
            System.arraycopy(source, off, bytes, length, len);
            length += len;
        }

        @Override
        public void write(int b) {
            ensure(1);
            bytes[length++] = (byte) b;
        }

        private void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}

        byte[] toByteArray() {
            return java.util.Arrays.copyOf(bytes, length);
        }
    }

    private static void appendAwsFields(ObjectNode out, Map<String, String> nodeAttributes) {
        putIfPresent(out, AZ, nodeAttributes.get(AZ));
        putIfPresent(out, EC2_INSTANCE_ID, nodeAttributes.get(EC2_INSTANCE_ID));
    }

    private static void putIfPresent(ObjectNode out, String key, String value) {
        if (value != null) {
            out.put(key, value);
        }
    }

    public static String write(JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A JSON tree always serializes", e);
        }
    }
}
