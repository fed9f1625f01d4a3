package dev.kubelogs.job.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class FluentBitJsonReaderTest {

    private static String roundTrip(String json) throws IOException {
        return Json.MAPPER.writeValueAsString(FluentBitJsonReader.read(json));
    }

    /** msgpack2json writes a repeated key once, its last occurrence, where that occurrence stands. */
    @Test
    void aRepeatedKeyIsWrittenOnceWithItsLastValueAtItsLastPlace() throws Exception {
        assertThat(roundTrip("{\"a\":1,\"b\":2,\"a\":3}")).isEqualTo("{\"b\":2,\"a\":3}");
        assertThat(roundTrip("{\"a\":1,\"b\":2,\"a\":3,\"b\":4}")).isEqualTo("{\"a\":3,\"b\":4}");
        assertThat(roundTrip("{\"o\":{\"x\":1,\"x\":2},\"l\":[{\"y\":1,\"z\":0,\"y\":2}]}"))
                .isEqualTo("{\"o\":{\"x\":2},\"l\":[{\"z\":0,\"y\":2}]}");
    }

    @Test
    void numbersAreWrittenFromTheirMsgpackValues() throws Exception {
        assertThat(roundTrip("[1,-2,0.30000000000000004,1e5,1E+5,2.50,18446744073709551616,true,null,\"s\"]"))
                .isEqualTo("[1,-2,0.3,1,100000.0,2.5,1.844674407370955e+19,true,null,\"s\"]");
    }

    @Test
    void textThatIsNotExactlyOneJsonValueIsRefused() {
        assertThatThrownBy(() -> FluentBitJsonReader.read("{\"a\":1} {\"b\":2}"))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> FluentBitJsonReader.read("{\"a\":1} x")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> FluentBitJsonReader.read("")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> FluentBitJsonReader.read("{\"a\":")).isInstanceOf(IOException.class);
    }

    /**
     * An escaped surrogate pair is unescaped unit by unit into bytes that are not UTF-8 (flb_unescape_string_utf8), and
     * written as ill-formed bytes; an emoji written as UTF-8 stays one, and an escaped backslash starts no escape.
     */
    @Test
    void escapedSurrogatesBecomeTheBytesFluentBitUnescapesThemTo() throws Exception {
        assertThat(FluentBitJsonReader.read("{\"m\":\"a\\ud83d\\uDE00b\"}")
                        .get("m")
                        .textValue())
                .isEqualTo("a\ue0ed\ue0a0\ue0bd\ue0ed\ue0b8\ue080b");
        assertThat(roundTrip("{\"m\":\"\\ud83d\"}")).isEqualTo("{\"m\":\"\ue0ed\ue0a0\ue0bd\"}");
        assertThat(roundTrip("{\"\\udc00k\":1}")).isEqualTo("{\"\ue0ed\ue0b0\ue080k\":1}");
        assertThat(FluentBitJsonReader.read("{\"m\":\"\ud83d\ude00 \\\\ud83d \\u00e9\"}")
                        .get("m")
                        .textValue())
                .isEqualTo("\ud83d\ude00 \\ud83d \u00e9");
    }
}
