package dev.kubelogs.cwlocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** awsJson1.1 bodies: one object per request and response; malformed ones are SerializationException. */
class JsonBodiesTest {
    private final JsonBodies bodies = new JsonBodies(new ObjectMapper());

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aRequestObjectIsReadAsATree() {
        ObjectNode n = bodies.read(utf8("{\"logGroupName\":\"g\",\"limit\":5}"));
        assertThat(n.get("logGroupName").asText()).isEqualTo("g");
        assertThat(n.get("limit").asInt()).isEqualTo(5);
    }

    @Test
    void anEmptyOrNullBodyIsAnEmptyRequest() {
        assertThat(bodies.read(new byte[0])).isEmpty();
        assertThat(bodies.read(utf8("null"))).isEmpty();
        assertThat(bodies.read(utf8("  "))).isEmpty();
    }

    @Test
    void malformedJsonIsASerializationException() {
        assertThatThrownBy(() -> bodies.read(utf8("{\"logGroupName\":")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.type()).isEqualTo("SerializationException");
                    assertThat(e.status()).isEqualTo(400);
                })
                .hasMessageStartingWith("Malformed JSON: ");
    }

    @Test
    void aBodyThatIsNoObjectIsASerializationException() {
        for (String body : new String[] {"[1,2]", "\"text\"", "42"}) {
            assertThatThrownBy(() -> bodies.read(utf8(body)))
                    .as(body)
                    .isInstanceOfSatisfying(
                            ApiException.class, e -> assertThat(e.type()).isEqualTo("SerializationException"))
                    .hasMessage("Start of structure or map found where not expected.");
        }
    }

    @Test
    void aLargeRequestIsStreamed() throws IOException {
        try (JsonParser p = bodies.parser(utf8("{\"logEvents\":[{\"message\":\"m\"}]}"))) {
            assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
            assertThat(p.nextFieldName()).isEqualTo("logEvents");
            assertThat(p.nextToken()).isEqualTo(JsonToken.START_ARRAY);
        }
    }

    @Test
    void aResponseIsOneObjectOfItsMembers() throws IOException {
        byte[] out = bodies.write(g -> {
            g.writeStringField("nextToken", "f/1/2");
            g.writeNumberField("count", 3);
        });
        assertThat(new String(out, StandardCharsets.UTF_8)).isEqualTo("{\"nextToken\":\"f/1/2\",\"count\":3}");
        assertThat(new String(bodies.write(g -> {}), StandardCharsets.UTF_8)).isEqualTo("{}");
        assertThat(new String(JsonBodies.empty(), StandardCharsets.UTF_8)).isEqualTo("{}");
    }
}
