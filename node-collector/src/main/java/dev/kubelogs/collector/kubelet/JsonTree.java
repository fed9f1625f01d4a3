package dev.kubelogs.collector.kubelet;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON tree on jackson-core's streaming parser and generator: objects are {@code LinkedHashMap<String, Object>}
 * (document order, a repeated key keeps its first place and its last value), arrays {@code ArrayList<Object>},
 * strings {@code String}, numbers {@code Long}/{@code BigInteger}/{@code Double}/{@code BigDecimal}, booleans
 * {@code Boolean}, JSON null {@link #NULL}. Written back compactly, byte for byte as Jackson's databind wrote the same
 * tree ({@code JsonNode}s) before. Not databind: its ObjectMapper alone is ~400 classes to load and keep per collector,
 * for reading the kubelet's pod list and writing small records.
 */
public final class JsonTree {
    /** JSON {@code null} (a missing value is Java {@code null}). */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonTree() {}

    /** The first JSON value in {@code in} (anything after it is ignored), or null if there is none. */
    public static Object parse(InputStream in) throws IOException {
        try (JsonParser p = FACTORY.createParser(in)) {
            JsonToken t = p.nextToken();
            return t == null ? null : value(p, t);
        }
    }

    public static Object parse(String json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            JsonToken t = p.nextToken();
            return t == null ? null : value(p, t);
        }
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    m.put(key, value(p, p.nextToken()));
                }
                if (t != JsonToken.END_OBJECT) {
                    throw new JsonParseException(p, "unexpected " + t + " in an object");
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t == null) {
                        throw new JsonParseException(p, "unexpected end of input in an array");
                    }
                    l.add(value(p, t));
                }
                return l;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT -> {
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? p.getBigIntegerValue()
                        : (Object) p.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return p.getNumberType() == JsonParser.NumberType.BIG_DECIMAL
                        ? p.getDecimalValue()
                        : (Object) p.getDoubleValue();
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return NULL;
            }
            default -> throw new JsonParseException(p, "unexpected " + t);
        }
    }

    /** {@code v}'s field {@code name}, or null if {@code v} is not an object or has no such field. */
    public static Object get(Object v, String name) {
        return v instanceof Map<?, ?> m ? m.get(name) : null;
    }

    /** Like {@code JsonNode.asText(fallback)}: strings as they are, numbers and booleans as JSON text, containers "", null or missing: fallback. */
    public static String text(Object v, String fallback) {
        if (v == null || v == NULL) {
            return fallback;
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Map || v instanceof List) {
            return "";
        }
        return v.toString();
    }

    /** Like iterating a {@code JsonNode}: an array's elements, an object's values, nothing for anything else. */
    public static Iterable<Object> elements(Object v) {
        if (v instanceof List<?> l) {
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) l;
            return list;
        }
        if (v instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Iterable<Object> values = (Iterable<Object>) m.values();
            return values;
        }
        return List.of();
    }

    /** Compact JSON as UTF-8, as Jackson writes it to bytes (characters outside the BMP as {@code \\u} escapes). */
    public static byte[] bytes(Object v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Compact JSON, as Jackson writes it to a String (characters outside the BMP as they are). */
    public static String string(Object v) {
        java.io.StringWriter out = new java.io.StringWriter(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, Object v) throws IOException {
        if (v == null || v == NULL) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName((String) e.getKey());
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> l) {
            g.writeStartArray();
            for (Object o : l) {
                write(g, o);
            }
            g.writeEndArray();
        } else if (v instanceof Long n) {
            g.writeNumber(n);
        } else if (v instanceof Integer n) {
            g.writeNumber(n);
        } else if (v instanceof Double n) {
            g.writeNumber(n);
        } else if (v instanceof BigInteger n) {
            g.writeNumber(n);
        } else if (v instanceof BigDecimal n) {
            g.writeNumber(n);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else {
            throw new IllegalArgumentException("not a JSON value: " + v.getClass());
        }
    }
}
