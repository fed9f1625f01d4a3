package dev.kubelogs.job.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;

/** Expected strings are what Fluent Bit's flb_utils_write_str_escaped writes for the same text. */
class FluentBitEscapesTest {
    private static final ObjectMapper MAPPER = JsonMapper.builder(new JsonFactoryBuilder()
                    .characterEscapes(new FluentBitEscapes())
                    .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
                    .build())
            .build();

    @Test
    void nonAsciiIsALowerCaseEscapeOfEachUtf16Unit() throws Exception {
        assertThat(write("café")).isEqualTo("\"caf\\u00e9\"");
        assertThat(write("Ω")).isEqualTo("\"\\u03a9\"");
        assertThat(write(new String(Character.toChars(0x1F600)))).isEqualTo("\"\\ud83d\\ude00\"");
    }

    @Test
    void controlCharactersAndDelAreEscaped() throws Exception {
        assertThat(write("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
        assertThat(write("\b\f\n\r\t")).isEqualTo("\"\\b\\f\\n\\r\\t\"");
        assertThat(write("\u0001\u001f")).isEqualTo("\"\\u0001\\u001f\"");
        assertThat(write("x\u007fy")).isEqualTo("\"x\\u007fy\"");
    }

    @Test
    void slashAndPrintableAsciiStayAsTheyAre() throws Exception {
        assertThat(write("/var/log ~!@#$%^&*()")).isEqualTo("\"/var/log ~!@#$%^&*()\"");
    }

    @Test
    void bytesThatWereNotUtf8AreWrittenRaw() throws Exception {
        String decoded = Utf8Text.decode(new byte[] {'a', (byte) 0xC3, 'b'});
        assertThat(decoded).hasSize(3);
        assertThat(write(decoded)).isEqualTo("\"" + decoded + "\"");
        // the neighbours of that range are escaped
        assertThat(write(String.valueOf((char) 0xE07F))).isEqualTo("\"\\ue07f\"");
        assertThat(write(String.valueOf((char) 0xE100))).isEqualTo("\"\\ue100\"");
    }

    @Test
    void unicodeEscapeIsSixCharactersLowerCase() {
        assertThat(FluentBitEscapes.unicodeEscape(0xABCD)).isEqualTo("\\uabcd");
        assertThat(FluentBitEscapes.unicodeEscape(0x7)).isEqualTo("\\u0007");
    }

    private static String write(String text) throws Exception {
        return MAPPER.writeValueAsString(text);
    }
}
