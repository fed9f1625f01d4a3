package dev.kubelogs.job.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubelogs.job.parse.Json;
import dev.kubelogs.job.parse.LineRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventPartsTest {
    private static final String KUBERNETES =
            "{\"pod_name\":\"web-1\",\"namespace_name\":\"default\",\"container_name\":\"web\"}";

    private static ObjectNode cri(String log) {
        ObjectNode record = JsonNodeFactory.instance.objectNode();
        record.put("time", "2024-05-14T09:12:03.123456789Z");
        record.put("stream", "stdout");
        record.put("_p", "F");
        record.put("log", log);
        return record;
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void anEventThatFitsIsLeftAlone() {
        String event = json(EventJson.application(LineRecord.of(cri("hello")), KUBERNETES));
        assertThat(EventParts.split(event, 1_000)).containsExactly(event);
    }

    @Test
    void aLongLogBecomesValidPartsWithinTheLimitThatGiveItBack() throws Exception {
        // quotes, backslashes and control characters grow when escaped (NUL to six bytes), é and € to six, the
        // emoji to a surrogate pair of twelve: a cut by characters or by raw length would overflow or split
        String unit = "a\"b\\c\td\u0000é€\uD83D\uDE00 {\"k\":1}\n";
        String log = unit.repeat(400);
        String event = json(EventJson.application(LineRecord.of(cri(log)), KUBERNETES));
        assertThat(bytes(event)).isGreaterThan(10_000);

        List<String> parts = EventParts.split(event, 2_000);

        assertThat(parts.size()).isBetween(6, 12);
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            String part = parts.get(i);
            assertThat(bytes(part)).isLessThanOrEqualTo(2_000);
            JsonNode node = Json.MAPPER.readTree(part);
            assertThat(node.get("time").textValue()).isEqualTo("2024-05-14T09:12:03.123456789Z");
            assertThat(node.get("stream").textValue()).isEqualTo("stdout");
            assertThat(node.get("kubernetes").toString()).isEqualTo(KUBERNETES);
            assertThat(node.has("log_processed")).isFalse();
            assertThat(node.get(EventParts.PART_KEY).toString())
                    .isEqualTo("{\"index\":" + i + ",\"count\":" + parts.size() + "}");
            // the record's own keys keep their order; the part index goes last
            assertThat(node.fieldNames())
                    .toIterable()
                    .containsExactly("time", "stream", "_p", "log", "kubernetes", EventParts.PART_KEY);
            String piece = node.get("log").textValue();
            assertThat(piece).isNotEmpty();
            assertThat(Character.isLowSurrogate(piece.charAt(0))).isFalse();
            assertThat(Character.isHighSurrogate(piece.charAt(piece.length() - 1)))
                    .isFalse();
            joined.append(piece);
        }
        assertThat(joined.toString()).isEqualTo(log);
        // parts are filled: all but the last within 30 bytes of the limit (the part index's digits, one escape of
        // up to 12 bytes)
        for (String part : parts.subList(0, parts.size() - 1)) {
            assertThat(bytes(part)).isGreaterThan(2_000 - 30);
        }
    }

    @Test
    void aHostRecordIsSplitByItsMessage() throws Exception {
        String message = "m".repeat(5_000);
        String event = "{\"host\":\"h\",\"ident\":\"kernel\",\"message\":\"" + message + "\",\"az\":\"us-west-2a\"}";
        List<String> parts = EventParts.split(event, 1_000);
        StringBuilder joined = new StringBuilder();
        for (String part : parts) {
            JsonNode node = Json.MAPPER.readTree(part);
            assertThat(node.get("az").textValue()).isEqualTo("us-west-2a");
            joined.append(node.get("message").textValue());
        }
        assertThat(joined.toString()).isEqualTo(message);
        assertThat(parts).hasSize(6);
    }

    @Test
    void anEventWhoseOtherFieldsAloneNearlyFillTheLimitIsLeftWholeForTheSink() {
        ObjectNode record = cri("x".repeat(3_000));
        record.put("attrs", "y".repeat(600));
        String event = EventJson.write(record);
        assertThat(EventParts.split(event, 1_000)).containsExactly(event);
    }

    @Test
    void sizesCountWhatTheMapperAndTheSinkWrite() throws Exception {
        char[] chars = {'a', '"', '\\', '\n', '\u0000', '\u001f', '\u007f', 'é', '€', '\u2028', '\uD800'};
        for (char c : chars) {
            String written = Json.MAPPER.writeValueAsString(String.valueOf(c));
            assertThat(EventParts.escapedUtf8Length(c)).as("U+%04X", (int) c).isEqualTo(bytes(written) - 2);
        }
        assertThat(EventParts.utf8Length("é€\uD83D\uDE00\uD800")).isEqualTo(2 + 3 + 4 + 3);
    }

    /** The event as text (the keyed stage writes it as UTF-8). */
    private static String json(byte[] utf8) {
        return new String(utf8, StandardCharsets.UTF_8);
    }
}
