package dev.kubelogs.job.parse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.IOException;

/**
 * Reads JSON text into the tree that Fluent Bit writes back out for it: the JSON is packed to msgpack
 * (flb_pack.c tokens_to_msgpack) and written by msgpack2json, which keeps only the last of repeated keys, at its
 * own place (key_exists_in_map), and writes numbers from the msgpack value ({@link FluentBitNumbers#writeToken}).
 * Jackson's tree keeps a repeated key at its first place with the last value, and numbers as Java writes them.
 */
public final class FluentBitJsonReader {
    private FluentBitJsonReader() {}

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The one JSON value of {@code text}; an IOException when it is not exactly one (trailing tokens too). */
    public static JsonNode read(String text) throws IOException {
        try (JsonParser parser = Json.MAPPER.createParser(surrogateEscapesAsBytes(text))) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new IOException("no JSON value");
            }
            JsonNode value = value(parser, first);
            if (parser.nextToken() != null) {
                throw new IOException("more than one JSON value");
            }
            return value;
        }
    }

    /**
     * Fluent Bit unescapes a JSON string one escape at a time (flb_unescape.c flb_unescape_string_utf8, from
     * flb_pack.c pack_string_token): an escaped UTF-16 surrogate (Python's json.dumps writes an emoji as two)
     * becomes the three bytes of that code unit alone, never a pair, which are not UTF-8, so it writes
     * each byte out as an ill-formed one. The escape is replaced here by those bytes' characters ({@link
     * Utf8Text#decode}); a backslash that is itself escaped starts no escape.
     */
    public static String surrogateEscapesAsBytes(String json) {
        if (json.indexOf("\\u") < 0) {
            return json;
        }
        StringBuilder out = null;
        int copied = 0;
        for (int i = 0; i < json.length() - 1; i++) {
            if (json.charAt(i) != '\\') {
                continue;
            }
            int unit = json.charAt(i + 1) == 'u' ? surrogateUnit(json, i + 2) : -1;
            if (unit >= 0) {
                if (out == null) {
                    out = new StringBuilder(json.length() + 16);
                }
                out.append(json, copied, i)
                        .append(Utf8Text.invalidByteChar((byte) 0xED))
                        .append(Utf8Text.invalidByteChar((byte) (0x80 | ((unit >> 6) & 0x3F))))
                        .append(Utf8Text.invalidByteChar((byte) (0x80 | (unit & 0x3F))));
                copied = i + 6;
                i += 5;
            } else {
                i++; // the escaped character, a backslash too, is no escape's start
            }
        }
        return out == null ? json : out.append(json, copied, json.length()).toString();
    }

    /** The code unit of the four hex digits at {@code from} when it is a surrogate, else -1. */
    private static int surrogateUnit(String json, int from) {
        if (from + 4 > json.length()) {
            return -1;
        }
        int unit = 0;
        for (int k = from; k < from + 4; k++) {
            int digit = Character.digit(json.charAt(k), 16);
            if (digit < 0) {
                return -1;
            }
            unit = unit << 4 | digit;
        }
        return unit >= 0xD800 && unit <= 0xDFFF ? unit : -1;
    }

    private static JsonNode value(JsonParser parser, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT:
                ObjectNode object = NODES.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    JsonNode v = value(parser, parser.nextToken());
                    // a repeated key goes last: msgpack2json writes only its last occurrence
                    object.remove(key);
                    object.set(key, v);
                }
                return object;
            case START_ARRAY:
                ArrayNode array = NODES.arrayNode();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    array.add(value(parser, t));
                }
                return array;
            case VALUE_STRING:
                return NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT:
                if (parser.getNumberType() == JsonParser.NumberType.INT
                        || parser.getNumberType() == JsonParser.NumberType.LONG) {
                    return NODES.numberNode(parser.getLongValue());
                }
                return NODES.rawValueNode(new RawValue(FluentBitNumbers.writeToken(parser.getText())));
            case VALUE_NUMBER_FLOAT:
                return NODES.rawValueNode(new RawValue(FluentBitNumbers.writeToken(parser.getText())));
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw new IOException("unexpected JSON token " + token);
        }
    }
}
