package dev.kubelogs.job.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class JsonTest {

    /**
     * Fluent Bit 4.x writes a record's strings with json.escape_unicode on (its default): every non-ASCII character
     * as a lower-case {@code \\u} escape (outside the BMP as a surrogate pair), DEL and the control characters
     * without a short escape as {@code \\u00xx}, '/' as it is (flb_utils.c flb_utils_write_str_escaped).
     */
    @Test
    void writesStringsAsFluentBitsEncoderDoes() throws Exception {
        ObjectNode record = JsonNodeFactory.instance.objectNode();
        record.put("log", "caf\u00e9 \u001b[31mred\u001b[0m \u007f \u20ac \uD83D\uDE00 a/b \"q\" \\ \t\n\u000b");
        record.put("cl\u00e9", "x");

        assertThat(Json.MAPPER.writeValueAsString(record))
                .isEqualTo("{\"log\":\"caf\\u00e9 \\u001b[31mred\\u001b[0m \\u007f \\u20ac \\ud83d\\ude00 a/b \\\"q\\\""
                        + " \\\\ \\t\\n\\u000b\",\"cl\\u00e9\":\"x\"}");
    }

    @Test
    void readsWhatItWrites() throws Exception {
        ObjectNode record = JsonNodeFactory.instance.objectNode();
        record.put("log", "caf\u00e9 \u007f \uD83D\uDE00 \u0001");

        assertThat(Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(record))).isEqualTo(record);
    }
}
