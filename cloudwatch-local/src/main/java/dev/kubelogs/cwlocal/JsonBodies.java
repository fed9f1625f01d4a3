package dev.kubelogs.cwlocal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * The JSON of awsJson1.1 bodies: a request is one object (an empty body is an empty object), a response is one
 * object. Malformed requests are the service's {@code SerializationException}.
 */
final class JsonBodies {

    /** Writes the members of a response object. */
    @FunctionalInterface
    interface ResponseMembers {
        void write(JsonGenerator g) throws IOException;
    }

    private final ObjectMapper mapper;
    private final JsonFactory json;

    JsonBodies(ObjectMapper mapper) {
        this.mapper = mapper;
        this.json = mapper.getFactory();
    }

    /** The request body as a tree; for requests small enough that a tree costs nothing. */
    ObjectNode read(byte[] body) {
        if (body.length == 0) {
            return mapper.createObjectNode();
        }
        JsonNode n;
        try {
            n = mapper.readTree(body);
        } catch (IOException e) {
            throw ApiException.serialization("Malformed JSON: " + e.getMessage());
        }
        if (n == null || n.isMissingNode() || n.isNull()) {
            return mapper.createObjectNode();
        }
        if (!n.isObject()) {
            throw ApiException.serialization("Start of structure or map found where not expected.");
        }
        return (ObjectNode) n;
    }

    /** A streaming parser over the request body, for requests too large to build a tree of. */
    JsonParser parser(byte[] body) throws IOException {
        return json.createParser(body);
    }

    /** A response object with the given members. */
    byte[] write(ResponseMembers members) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            members.write(g);
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    /** The response of an operation whose output has no members. */
    static byte[] empty() {
        return new byte[] {'{', '}'};
    }
}
