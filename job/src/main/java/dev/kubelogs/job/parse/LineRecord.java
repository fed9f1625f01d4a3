package dev.kubelogs.job.parse;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * A line's record as its event is written: the members in their order, each a string or, for any other value (a
 * number, a boolean, a nested object), the JSON text Jackson writes of that value. Immutable, so that a line's record
 * goes through the joiners, the metadata wait and the event writer without a tree per line; what Jackson decides
 * (escapes, numbers, nested values) it still decides, once, where the value is read.
 *
 * <p>As JSON ({@link #toJson}, which keyed state holds) a record is written exactly as Jackson writes the {@code
 * ObjectNode} of the same members, so state written by either restores into the other.
 */
public final class LineRecord implements JsonSerializable {
    private static final String[] NO_NAMES = {};
    /** A value inside an object: what follows it is the object's, not trailing text. */
    private static final ObjectReader MEMBER_VALUES =
            Json.MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final String[] names;
    /** A String for a string value, else a {@link JsonText}. */
    private final Object[] values;

    /** The JSON text of a value that is not a string, as Jackson writes it. */
    private record JsonText(String json) {}

    private LineRecord(String[] names, Object[] values) {
        this.names = names;
        this.values = values;
    }

    /** A record of one string member. */
    public static LineRecord of(String name, String text) {
        return new LineRecord(new String[] {name}, new Object[] {text});
    }

    /** A record of string members, {@code namesAndTexts} alternating name and value; the names are distinct. */
    public static LineRecord ofTexts(String... namesAndTexts) {
        int n = namesAndTexts.length / 2;
        String[] names = new String[n];
        Object[] values = new Object[n];
        for (int i = 0; i < n; i++) {
            names[i] = namesAndTexts[2 * i];
            values[i] = namesAndTexts[2 * i + 1];
        }
        return new LineRecord(names, values);
    }

    /** The record of a tree's members (a record the tree reader made, or one built as a tree). */
    public static LineRecord of(ObjectNode tree) {
        Builder b = new Builder(tree.size());
        tree.fields().forEachRemaining(f -> b.put(f.getKey(), f.getValue()));
        return b.build();
    }

    /** The record of JSON text this job wrote ({@link #toJson}, or a tree's JSON in state written before). */
    public static LineRecord parse(String json) {
        try (JsonParser parser = Json.MAPPER.createParser(json)) {
            LineRecord record = read(parser);
            if (record == null) {
                throw new IOException("not a JSON object");
            }
            return record;
        } catch (IOException e) {
            throw new UncheckedIOException("state holds JSON this job wrote", e);
        }
    }

    /**
     * Reads one JSON object from {@code parser} as the tree reader reads it: a repeated key keeps its first place and
     * takes the last value. Null when the text does not start with an object or goes on after it.
     */
    static LineRecord read(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        Builder b = new Builder(4);
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            if (parser.nextToken() == JsonToken.VALUE_STRING) {
                b.put(key, parser.getText());
            } else {
                b.put(key, (JsonNode) MEMBER_VALUES.readTree(parser));
            }
        }
        // the loop ends at the object's end: the parser throws on anything else in an object
        return parser.nextToken() == null ? b.build() : null;
    }

    public int size() {
        return names.length;
    }

    public String name(int i) {
        return names[i];
    }

    /** The string value of member {@code i}, or null when it is not a string. */
    public String text(int i) {
        return values[i] instanceof String text ? text : null;
    }

    /** The JSON text of member {@code i} when it is not a string, or null when it is. */
    public String json(int i) {
        return values[i] instanceof JsonText json ? json.json() : null;
    }

    /** The string value of {@code name}, or null when there is none or it is not a string. */
    public String text(String name) {
        int i = indexOf(name);
        return i < 0 ? null : text(i);
    }

    /** The value of {@code name} as a tree, or null: for a look at a record, not for the line's way through. */
    public JsonNode get(String name) {
        int i = indexOf(name);
        if (i < 0) {
            return null;
        }
        if (values[i] instanceof String text) {
            return TextNode.valueOf(text);
        }
        try {
            return Json.MAPPER.readTree(((JsonText) values[i]).json());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Jackson reads what it wrote", e);
        }
    }

    /** {@link #get}, with a missing node for none. */
    public JsonNode path(String name) {
        JsonNode value = get(name);
        return value == null ? MissingNode.getInstance() : value;
    }

    /** This record with {@code name} set to a string: in its place when it is there, else last. */
    public LineRecord with(String name, String text) {
        return withValue(name, text);
    }

    /** This record with {@code name} set to the JSON {@code true}, as {@code ObjectNode.put(name, true)} does. */
    public LineRecord withTrue(String name) {
        return withValue(name, TRUE);
    }

    private static final JsonText TRUE = new JsonText("true");

    private LineRecord withValue(String name, Object value) {
        int i = indexOf(name);
        if (i >= 0) {
            Object[] changed = values.clone();
            changed[i] = value;
            return new LineRecord(names, changed);
        }
        String[] moreNames = Arrays.copyOf(names, names.length + 1);
        Object[] moreValues = Arrays.copyOf(values, values.length + 1);
        moreNames[names.length] = name;
        moreValues[values.length] = value;
        return new LineRecord(moreNames, moreValues);
    }

    /** This record without {@code name}. */
    public LineRecord without(String name) {
        int i = indexOf(name);
        if (i < 0) {
            return this;
        }
        String[] fewerNames = new String[names.length - 1];
        Object[] fewerValues = new Object[values.length - 1];
        System.arraycopy(names, 0, fewerNames, 0, i);
        System.arraycopy(values, 0, fewerValues, 0, i);
        System.arraycopy(names, i + 1, fewerNames, i, names.length - i - 1);
        System.arraycopy(values, i + 1, fewerValues, i, values.length - i - 1);
        return new LineRecord(fewerNames, fewerValues);
    }

    private int indexOf(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The record as JSON, the bytes Jackson writes of the {@code ObjectNode} of the same members. */
    public String toJson() {
        try {
            return Json.MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A record always serializes", e);
        }
    }

    @Override
    public void serialize(JsonGenerator g, SerializerProvider serializers) throws IOException {
        g.writeStartObject();
        for (int i = 0; i < names.length; i++) {
            g.writeFieldName(names[i]);
            if (values[i] instanceof String text) {
                g.writeString(text);
            } else {
                g.writeRawValue(((JsonText) values[i]).json());
            }
        }
        g.writeEndObject();
    }

    @Override
    public void serializeWithType(JsonGenerator g, SerializerProvider serializers, TypeSerializer typeSer)
            throws IOException {
        serialize(g, serializers);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LineRecord other
                && Arrays.equals(names, other.names)
                && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(names) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return toJson();
    }

    /** Members in order; a repeated name keeps its first place and takes the last value, as {@code ObjectNode.put}. */
    public static final class Builder {
        private String[] names;
        private Object[] values;
        private int size;

        public Builder(int capacity) {
            names = capacity == 0 ? NO_NAMES : new String[capacity];
            values = new Object[capacity];
        }

        public Builder put(String name, String text) {
            return putValue(name, text);
        }

        /** A member of any value: a string stays a string, anything else is kept as the JSON Jackson writes of it. */
        public Builder put(String name, JsonNode value) {
            if (value.isTextual()) {
                return putValue(name, value.textValue());
            }
            try {
                return putValue(name, new JsonText(Json.MAPPER.writeValueAsString(value)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("A JSON tree always serializes", e);
            }
        }

        private Builder putValue(String name, Object value) {
            for (int i = 0; i < size; i++) {
                if (names[i].equals(name)) {
                    values[i] = value;
                    return this;
                }
            }
            if (size == names.length) {
                names = Arrays.copyOf(names, Math.max(4, size * 2));
                values = Arrays.copyOf(values, names.length);
            }
            names[size] = name;
            values[size++] = value;
            return this;
        }

        public LineRecord build() {
            return new LineRecord(
                    size == names.length ? names : Arrays.copyOf(names, size),
                    size == values.length ? values : Arrays.copyOf(values, size));
        }
    }
}
