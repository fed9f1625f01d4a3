package dev.kubelogs.cwlocal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The endpoint's size rules count UTF-8 bytes; a string without a UTF-8 form is found, not miscounted. */
class Utf8SizeTest {

    private static int encoded(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void eachRangeCountsItsUtf8Bytes() {
        assertThat(Utf8Size.length("")).isZero();
        assertThat(Utf8Size.length("abc")).isEqualTo(3);
        assertThat(Utf8Size.length("\u007f")).as("last one-byte char").isEqualTo(1);
        assertThat(Utf8Size.length("\u0080")).as("first two-byte char").isEqualTo(2);
        assertThat(Utf8Size.length("é")).isEqualTo(2);
        assertThat(Utf8Size.length("\u07ff")).as("last two-byte char").isEqualTo(2);
        assertThat(Utf8Size.length("\u0800")).as("first three-byte char").isEqualTo(3);
        assertThat(Utf8Size.length("€")).isEqualTo(3);
        assertThat(Utf8Size.length("\uffff")).isEqualTo(3);
        assertThat(Utf8Size.length("😀"))
                .as("a surrogate pair is one four-byte char")
                .isEqualTo(4);
    }

    @Test
    void aMixedStringCountsAsItsEncoding() {
        String s = "{\"log\":\"héllo € 😀 wörld\",\"stream\":\"stdout\"}\t\u0000";
        assertThat(Utf8Size.length(s)).isEqualTo(encoded(s));
    }

    @Test
    void anUnpairedSurrogateHasNoSize() {
        assertThat(Utf8Size.length("a\ud83d")).as("high surrogate at the end").isEqualTo(-1);
        assertThat(Utf8Size.length("\ud83da"))
                .as("high surrogate before a non-surrogate")
                .isEqualTo(-1);
        assertThat(Utf8Size.length("a\ude00b")).as("lone low surrogate").isEqualTo(-1);
        assertThat(Utf8Size.length("\ude00\ud83d"))
                .as("pair in the wrong order")
                .isEqualTo(-1);
    }

    @Test
    void sanitizeReplacesOnlyUnpairedSurrogates() {
        assertThat(Utf8Size.sanitize("a\ud83db")).isEqualTo("a\ufffdb");
        assertThat(Utf8Size.sanitize("\ude00\ud83d")).isEqualTo("\ufffd\ufffd");
        assertThat(Utf8Size.sanitize("x😀y")).isEqualTo("x😀y");
        assertThat(Utf8Size.sanitize("\ud83d\ud83d\ude00")).isEqualTo("\ufffd😀");
        assertThat(Utf8Size.sanitize("plain é €")).isEqualTo("plain é €");
    }

    @Test
    void aSanitizedStringHasASizeAndItIsItsEncodingsSize() {
        String s = Utf8Size.sanitize("bad \ud83d then good 😀 and \ude00");
        assertThat(Utf8Size.length(s))
                .isEqualTo(encoded(s))
                .isEqualTo(encoded("bad ") + 3 + encoded(" then good ") + 4 + encoded(" and ") + 3);
    }
}
