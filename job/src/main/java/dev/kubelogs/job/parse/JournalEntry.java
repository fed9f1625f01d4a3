package dev.kubelogs.job.parse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One journal entry as the collector spools it (a JSON object whose members are the entry's fields in the order
 * {@code sd_journal_enumerate_data} gives them, a repeated field once per value, a value that is not UTF-8 as an array
 * of its bytes; before, journalctl's {@code --output=json}: a repeated field as one array of its values) turned into
 * the record Fluent Bit's systemd input makes of it (plugins/in_systemd/systemd.c, systemd_enumerate_data_store): the
 * fields in that order, each value a string of the field's bytes, and a field the entry repeats one array of its values
 * that takes the place of its second occurrence (the input removes the string and appends the array), its first value
 * cut at a NUL (it is copied as a C string). journalctl's own fields ({@code __CURSOR}, {@code __REALTIME_TIMESTAMP},
 * ...) are not in the record; the entry's time is {@code __REALTIME_TIMESTAMP}, as the input's
 * {@code sd_journal_get_realtime_usec}. Lowercase and Strip_Underscores are off, as Container Insights leaves them.
 */
public final class JournalEntry {
    /** A field of the record: a String, or a List of Strings for a field the entry repeats. */
    public record Field(String name, Object value) {}

    private final List<Field> record;
    private final Map<String, List<String>> values;
    private final long timeMillis;

    private JournalEntry(List<Field> record, Map<String, List<String>> values, long timeMillis) {
        this.record = record;
        this.values = values;
        this.timeMillis = timeMillis;
    }

    /** Parses a journal JSON line; null when it is not a JSON object. */
    public static JournalEntry parse(byte[] bytes) {
        return parse(bytes, 0, bytes.length);
    }

    /** The entry at {@code bytes[from, from + length)}, or null when it is not a JSON object. */
    public static JournalEntry parse(byte[] bytes, int from, int length) {
        Builder b = new Builder();
        try (JsonParser p = Json.MAPPER.createParser(bytes, from, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (t == JsonToken.START_ARRAY) {
                    array(p, name, b);
                } else if (t == JsonToken.START_OBJECT) {
                    p.skipChildren();
                } else if (t != JsonToken.VALUE_NULL) {
                    b.add(name, p.getText());
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                return null;
            }
        } catch (IOException e) {
            return null;
        }
        return b.build();
    }

    /**
     * A field written as an array: the bytes of one value that is not UTF-8, or (journalctl's JSON) a repeated field's
     * values, each a string or such an array.
     */
    private static void array(JsonParser p, String name, Builder b) throws IOException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.VALUE_NUMBER_INT) {
            b.add(name, bytes(p));
            return;
        }
        for (; t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == JsonToken.START_ARRAY) {
                p.nextToken();
                b.add(name, bytes(p));
            } else if (t == JsonToken.START_OBJECT) {
                p.skipChildren();
            } else if (t != JsonToken.VALUE_NULL) {
                b.add(name, p.getText());
            }
        }
    }

    /** The bytes of an array of numbers whose first number is the current token, up to its end. */
    private static String bytes(JsonParser p) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        for (JsonToken t = p.currentToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == JsonToken.VALUE_NUMBER_INT) {
                raw.write(p.getIntValue());
            } else {
                p.skipChildren();
            }
        }
        return Utf8Text.decode(raw.toByteArray());
    }

    /** Collects the fields as the systemd input does. */
    private static final class Builder {
        private final LinkedHashMap<String, Object> record = new LinkedHashMap<>();
        private final Map<String, List<String>> values = new LinkedHashMap<>();
        private long timeMillis = -1L;

        void add(String name, String value) {
            if (name.startsWith("__")) {
                // journalctl's own fields: sd_journal_enumerate_data does not return them
                if (name.equals("__REALTIME_TIMESTAMP")) {
                    timeMillis = micros(value);
                }
                return;
            }
            values.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value);
            Object seen = record.get(name);
            if (seen == null) {
                record.put(name, value);
            } else if (seen instanceof String first) {
                record.remove(name);
                List<String> list = new ArrayList<>(2);
                int nul = first.indexOf('\0');
                list.add(nul < 0 ? first : first.substring(0, nul));
                list.add(value);
                record.put(name, list);
            } else {
                @SuppressWarnings("unchecked")
                List<String> list = (List<String>) seen;
                list.add(value);
            }
        }

        JournalEntry build() {
            List<Field> fields = new ArrayList<>(record.size());
            record.forEach((name, value) ->
                    fields.add(new Field(name, value instanceof List<?> l ? Collections.unmodifiableList(l) : value)));
            return new JournalEntry(Collections.unmodifiableList(fields), values, timeMillis);
        }

        private static long micros(String s) {
            try {
                long micros = Long.parseLong(s);
                return micros < 0 ? -1L : micros / 1000L;
            } catch (NumberFormatException e) {
                return -1L;
            }
        }
    }

    /** The record's fields, in the systemd input's order. */
    public List<Field> record() {
        return record;
    }

    /** Every value of the field, in the entry's order (none: empty): what a journal match on the field sees. */
    public List<String> values(String field) {
        return values.getOrDefault(field, List.of());
    }

    /** The field's first value, as {@code sd_journal_get_data} returns it; null when the entry has none. */
    public String first(String field) {
        List<String> v = values.get(field);
        return v == null ? null : v.get(0);
    }

    /** The record's value of the field: a String, a List of Strings (repeated), or null. */
    public Object recordValue(String field) {
        for (Field f : record) {
            if (f.name().equals(field)) {
                return f.value();
            }
        }
        return null;
    }

    /** The entry's realtime timestamp in milliseconds, -1 when it has none. */
    public long timeMillis() {
        return timeMillis;
    }
}
