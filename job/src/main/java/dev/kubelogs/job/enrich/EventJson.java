package dev.kubelogs.job.enrich;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.kubelogs.job.parse.Json;
import dev.kubelogs.job.parse.JournalEntry;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * Builds the event JSON exactly as Container Insights' Fluent Bit lands it (reference §2): the
 * record's own keys first, then {@code log_processed} (Merge_Log), then {@code kubernetes}; host and
 * dataplane records get {@code az} and {@code ec2_instance_id} from the aws filter when the node knows them.
 */
public final class EventJson {
    private EventJson() {}

    public static final String AZ = "az";
    private static final java.util.regex.Pattern TRAILING_NEWLINES = java.util.regex.Pattern.compile("[\\r\\n]+$");
    public static final String EC2_INSTANCE_ID = "ec2_instance_id";

    /** Application container record: record keys, log_processed when log is a JSON object, kubernetes. */
    public static String application(ObjectNode record, ObjectNode kubernetes) {
        ObjectNode out = record.deepCopy();
        JsonNode log = record.get("log");
        if (log != null && log.isTextual()) {
            ObjectNode processed = mergeLog(log.textValue());
            if (processed != null) {
                out.set("log_processed", processed);
            }
        }
        if (kubernetes != null) {
            out.set("kubernetes", kubernetes);
        }
        return write(out);
    }

    /** aws-node / kube-proxy container record: no kubernetes filter, only the aws filter. */
    public static String dataplaneTail(ObjectNode record, Map<String, String> nodeAttributes) {
        ObjectNode out = record.deepCopy();
        appendAwsFields(out, nodeAttributes);
        return write(out);
    }

    /** Journald unit record after modify (hostname, systemd_unit, message) and the aws filter. */
    public static String dataplaneSystemd(JournalEntry entry, Map<String, String> nodeAttributes) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        putIfPresent(out, "hostname", entry.hostname());
        putIfPresent(out, "systemd_unit", entry.unit());
        putIfPresent(out, "message", entry.message());
        appendAwsFields(out, nodeAttributes);
        return write(out);
    }

    /** Journald host record after modify (host, ident, pid, message; every key with a capital dropped). */
    public static String hostJournal(JournalEntry entry, Map<String, String> nodeAttributes) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        putIfPresent(out, "host", entry.hostname());
        putIfPresent(out, "ident", entry.identifier());
        putIfPresent(out, "pid", entry.pid());
        putIfPresent(out, "message", entry.message());
        appendAwsFields(out, nodeAttributes);
        return write(out);
    }

    /** Host file record (legacy tail): the parsed or raw record plus the aws filter's keys. */
    public static String hostFile(ObjectNode record, Map<String, String> nodeAttributes) {
        ObjectNode out = record.deepCopy();
        appendAwsFields(out, nodeAttributes);
        return write(out);
    }

    /**
     * Merge_Log: when {@code log} is one JSON object, it is added as {@code log_processed}; string
     * values lose trailing newlines (Merge_Log_Trim). Anything else (text, arrays, broken JSON): null.
     */
    static ObjectNode mergeLog(String log) {
        String trimmed = log.strip();
        if (trimmed.isEmpty() || trimmed.charAt(0) != '{') {
            return null;
        }
        JsonNode parsed;
        try {
            parsed = Json.MAPPER.readTree(trimmed);
        } catch (IOException e) {
            return null;
        }
        if (!(parsed instanceof ObjectNode)) {
            return null;
        }
        ObjectNode obj = (ObjectNode) parsed;
        Iterator<Map.Entry<String, JsonNode>> fields = obj.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (f.getValue().isTextual()) {
                String v = f.getValue().textValue();
                String stripped = TRAILING_NEWLINES.matcher(v).replaceAll("");
                if (!stripped.equals(v)) {
                    f.setValue(TextNode.valueOf(stripped));
                }
            }
        }
        return obj;
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
