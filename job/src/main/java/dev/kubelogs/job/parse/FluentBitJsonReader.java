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
        try (JsonParser parser = Json.MAPPER.createParser(text)) {
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
