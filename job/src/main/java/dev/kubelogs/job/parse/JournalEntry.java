package dev.kubelogs.job.parse;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** One line of {@code journalctl --output=json}: the fields Container Insights reads from the journal. */
public record JournalEntry(
        String hostname,
        String unit,
        String transport,
        String message,
        String identifier,
        String pid,
        Integer priority,
        Integer facility,
        long timeMillis) {

    /** Parses a journal JSON line; null when it is not a JSON object. */
    public static JournalEntry parse(byte[] bytes) {
        return parse(bytes, 0, bytes.length);
    }

    /** The entry at {@code bytes[from, from + length)}, or null when it is not a JSON object. */
    public static JournalEntry parse(byte[] bytes, int from, int length) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(bytes, from, length);
        } catch (IOException e) {
            return null;
        }
        if (node == null || !node.isObject()) {
            return null;
        }
        long micros = parseLong(text(node, "__REALTIME_TIMESTAMP"), -1L);
        return new JournalEntry(
                text(node, "_HOSTNAME"),
                text(node, "_SYSTEMD_UNIT"),
                text(node, "_TRANSPORT"),
                text(node, "MESSAGE"),
                text(node, "SYSLOG_IDENTIFIER"),
                text(node, "SYSLOG_PID"),
                parseInt(text(node, "PRIORITY")),
                parseInt(text(node, "SYSLOG_FACILITY")),
                micros < 0 ? -1L : micros / 1000L);
    }

    /** journalctl writes a field as a string, as an array of bytes when it is not valid UTF-8, or null. */
    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isArray()) {
            byte[] raw = new byte[v.size()];
            for (int i = 0; i < raw.length; i++) {
                raw[i] = (byte) v.get(i).asInt();
            }
            return new String(raw, StandardCharsets.UTF_8);
        }
        return v.asText();
    }

    private static long parseLong(String s, long fallback) {
        try {
            return s == null ? fallback : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static Integer parseInt(String s) {
        try {
            return s == null ? null : Integer.valueOf(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
