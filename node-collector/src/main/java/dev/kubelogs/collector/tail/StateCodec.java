package dev.kubelogs.collector.tail;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link CollectorState} as JSON with jackson-core's streaming parser and generator, in the format Jackson's
 * databind wrote it before (same fields, same order, nulls written; unknown fields ignored and missing ones left at
 * their defaults when reading). Not databind: its ObjectMapper and bean introspection are ~500 classes to load on
 * every collector start, for a handful of fields.
 */
final class StateCodec {
    private static final JsonFactory JSON = new JsonFactory();

    private StateCodec() {}

    static byte[] write(CollectorState s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 160 * s.files.size() + 64 * s.pods.size());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("version", s.version);
            g.writeStringField("cluster", s.cluster);
            g.writeStringField("node", s.node);
            g.writeNumberField("committedSeq", s.committedSeq);
            g.writeFieldName("files");
            if (s.files == null) {
                g.writeNull();
            } else {
                g.writeStartArray();
                for (CollectorState.FileState f : s.files) {
                    writeFile(g, f);
                }
                g.writeEndArray();
            }
            g.writeFieldName("journal");
            if (s.journal == null) {
                g.writeNull();
            } else {
                g.writeStartObject();
                g.writeStringField("cursor", s.journal.cursor);
                g.writeNumberField("offset", s.journal.offset);
                g.writeNumberField("inode", s.journal.inode);
                g.writeEndObject();
            }
            g.writeFieldName("pods");
            if (s.pods == null) {
                g.writeNull();
            } else {
                g.writeStartObject();
                for (Map.Entry<String, String> e : s.pods.entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            g.writeFieldName("retired");
            if (s.retired == null) {
                g.writeNull();
            } else {
                g.writeStartArray();
                for (CollectorState.Retired r : s.retired) {
                    if (r == null) {
                        g.writeNull();
                        continue;
                    }
                    g.writeStartObject();
                    g.writeNumberField("device", r.device);
                    g.writeNumberField("inode", r.inode);
                    g.writeNumberField("generation", r.generation);
                    g.writeNumberField("releasedAtMillis", r.releasedAtMillis);
                    g.writeNumberField("offset", r.offset);
                    g.writeNumberField("headLen", r.headLen);
                    g.writeNumberField("headCrc", r.headCrc);
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void writeFile(JsonGenerator g, CollectorState.FileState f) throws IOException {
        if (f == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeStringField("path", f.path);
        g.writeStringField("realPath", f.realPath);
        g.writeNumberField("device", f.device);
        g.writeNumberField("inode", f.inode);
        g.writeNumberField("generation", f.generation);
        g.writeStringField("kind", f.kind);
        g.writeNumberField("offset", f.offset);
        g.writeNumberField("headLen", f.headLen);
        g.writeNumberField("headCrc", f.headCrc);
        g.writeNumberField("generationSeenMillis", f.generationSeenMillis);
        g.writeEndObject();
    }

    /** The state in {@code bytes}; null for a JSON {@code null}. Throws on anything that is not such a state. */
    static CollectorState read(byte[] bytes) throws IOException {
        try (JsonParser p = JSON.createParser(bytes)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new JsonParseException(p, "no content");
            }
            if (t == JsonToken.VALUE_NULL) {
                return null;
            }
            expect(p, t, JsonToken.START_OBJECT);
            CollectorState s = new CollectorState();
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                t = p.nextToken();
                switch (name) {
                    case "version" -> s.version = intValue(p, t);
                    case "cluster" -> s.cluster = string(p, t);
                    case "node" -> s.node = string(p, t);
                    case "committedSeq" -> s.committedSeq = longValue(p, t);
                    case "files" -> s.files = list(p, t, StateCodec::readFile);
                    case "journal" -> s.journal = readJournal(p, t);
                    case "pods" -> s.pods = stringMap(p, t);
                    case "retired" -> s.retired = list(p, t, StateCodec::readRetired);
                    default -> p.skipChildren();
                }
            }
            expect(p, t, JsonToken.END_OBJECT);
            if (p.nextToken() != null) {
                throw new JsonParseException(p, "trailing content after the state object");
            }
            return s;
        }
    }

    private static CollectorState.FileState readFile(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(p, t, JsonToken.START_OBJECT);
        CollectorState.FileState f = new CollectorState.FileState();
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            t = p.nextToken();
            switch (name) {
                case "path" -> f.path = string(p, t);
                case "realPath" -> f.realPath = string(p, t);
                case "device" -> f.device = longValue(p, t);
                case "inode" -> f.inode = longValue(p, t);
                case "generation" -> f.generation = intValue(p, t);
                case "kind" -> f.kind = string(p, t);
                case "offset" -> f.offset = longValue(p, t);
                case "headLen" -> f.headLen = intValue(p, t);
                case "headCrc" -> f.headCrc = longValue(p, t);
                case "generationSeenMillis" -> f.generationSeenMillis = longValue(p, t);
                default -> p.skipChildren();
            }
        }
        expect(p, t, JsonToken.END_OBJECT);
        return f;
    }

    private static CollectorState.Retired readRetired(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(p, t, JsonToken.START_OBJECT);
        CollectorState.Retired r = new CollectorState.Retired();
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            t = p.nextToken();
            switch (name) {
                case "device" -> r.device = longValue(p, t);
                case "inode" -> r.inode = longValue(p, t);
                case "generation" -> r.generation = intValue(p, t);
                case "releasedAtMillis" -> r.releasedAtMillis = longValue(p, t);
                case "offset" -> r.offset = longValue(p, t);
                case "headLen" -> r.headLen = intValue(p, t);
                case "headCrc" -> r.headCrc = longValue(p, t);
                default -> p.skipChildren();
            }
        }
        expect(p, t, JsonToken.END_OBJECT);
        return r;
    }

    private static CollectorState.JournalState readJournal(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(p, t, JsonToken.START_OBJECT);
        CollectorState.JournalState j = new CollectorState.JournalState();
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            t = p.nextToken();
            switch (name) {
                case "cursor" -> j.cursor = string(p, t);
                case "offset" -> j.offset = longValue(p, t);
                case "inode" -> j.inode = longValue(p, t);
                default -> p.skipChildren();
            }
        }
        expect(p, t, JsonToken.END_OBJECT);
        return j;
    }

    private interface Element<T> {
        T read(JsonParser p, JsonToken t) throws IOException;
    }

    private static <T> List<T> list(JsonParser p, JsonToken t, Element<T> element) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(p, t, JsonToken.START_ARRAY);
        List<T> out = new ArrayList<>();
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                throw new JsonParseException(p, "unexpected end of input in an array");
            }
            out.add(element.read(p, t));
        }
        return out;
    }

    private static Map<String, String> stringMap(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(p, t, JsonToken.START_OBJECT);
        Map<String, String> out = new LinkedHashMap<>();
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            out.put(key, string(p, p.nextToken()));
        }
        expect(p, t, JsonToken.END_OBJECT);
        return out;
    }

    private static String string(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t == JsonToken.VALUE_STRING || t.isScalarValue()) {
            return p.getText();
        }
        throw new JsonParseException(p, "expected a string, got " + t);
    }

    private static long longValue(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return p.getLongValue();
        }
        if (t == JsonToken.VALUE_STRING) {
            try {
                return Long.parseLong(p.getText().trim());
            } catch (NumberFormatException e) {
                throw new JsonParseException(p, "expected a number, got \"" + p.getText() + "\"");
            }
        }
        throw new JsonParseException(p, "expected a number, got " + t);
    }

    private static int intValue(JsonParser p, JsonToken t) throws IOException {
        long v = longValue(p, t);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new JsonParseException(p, "number out of int range: " + v);
        }
        return (int) v;
    }

    private static void expect(JsonParser p, JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new JsonParseException(
                    p, "expected " + expected + ", got " + (actual == null ? "end of input" : actual));
        }
    }
}
