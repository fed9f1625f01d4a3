package dev.kubelogs.job.sink.cloudwatch.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kubelogs.job.sink.cloudwatch.SinkEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {

    @Test
    void lengthIfWellFormedCountsUtf8BytesOrSaysMinusOneForUnpairedSurrogates() {
        for (String s :
                new String[] {"", "plain ascii", "é and ü", "€ and 中", "emoji 😀 pair", "\u007f\u0080\u07ff\u0800\uffff"
                }) {
            assertEquals(s.getBytes(StandardCharsets.UTF_8).length, Utf8.lengthIfWellFormed(s), s);
            assertEquals(Utf8.length(s), Utf8.lengthIfWellFormed(s), s);
        }
        assertEquals(-1, Utf8.lengthIfWellFormed("lone high \ud83d end"));
        assertEquals(-1, Utf8.lengthIfWellFormed("lone low \ude00"));
        assertEquals(-1, Utf8.lengthIfWellFormed("high at the end \ud83d"));
        assertEquals(-1, Utf8.lengthIfWellFormed("swapped \ude00\ud83d"));
        String sanitized = Utf8.sanitize("lone high \ud83d end");
        assertEquals("lone high \ufffd end", sanitized);
        assertEquals(sanitized.getBytes(StandardCharsets.UTF_8).length, Utf8.lengthIfWellFormed(sanitized));
    }

    @Test
    void encodeIfWellFormedGivesTheUtf8BytesOrNullForUnpairedSurrogates() {
        for (String s : new String[] {"", "plain ascii", "what? yes?", "?", "é and ü?", "€ and 中", "emoji 😀 pair?"}) {
            assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), Utf8.encodeIfWellFormed(s), s);
        }
        for (String s : new String[] {"\ud83d", "ascii \ud83d?", "? \ude00", "é \ud83d", "swapped \ude00\ud83d"}) {
            assertNull(Utf8.encodeIfWellFormed(s), s);
            // encode() sanitizes: the lone surrogate becomes U+FFFD, not the JDK's '?'
            assertEquals(Utf8.sanitize(s), new String(Utf8.encode(s), StandardCharsets.UTF_8), s);
        }
        assertEquals("a\ufffdb", new SinkEvent(1, "a\ud83db", null, 0).message());
        assertEquals(5, new SinkEvent(1, "a\ud83db", null, 0).utf8Length());
    }

    @Test
    void aLoneSurrogateIsFoundAtEveryOffsetAmongQuestionMarks() {
        for (int len = 1; len < 40; len++) {
            for (int at = 0; at < len; at++) {
                StringBuilder plain = new StringBuilder();
                for (int i = 0; i < len; i++) {
                    plain.append(i % 3 == 0 ? '?' : 'a');
                }
                String s = plain.toString();
                assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), Utf8.encodeIfWellFormed(s), s);
                StringBuilder broken = new StringBuilder(s);
                broken.setCharAt(at, '\ud83d');
                assertNull(Utf8.encodeIfWellFormed(broken.toString()), broken.toString());
            }
        }
    }

    /**
     * isWellFormed reports what a decoder would replace (it is the committable check that a stored message was
     * written by us), within the range it is given only.
     */
    @Test
    void isWellFormedReportsMalformedBytesWithinItsRangeOnly() {
        int[][] malformed = {
            {0x80},
            {0x61, 0x80, 0x61}, // a continuation byte without a lead
            {0xC0, 0x80}, // an overlong form
            {0xED, 0xA0, 0x80}, // a UTF-16 surrogate encoded
            {0xF4, 0x90, 0x80, 0x80},
            {0xFF}, // beyond U+10FFFF, never a byte
            {0xC2},
            {0xF1, 0x80, 0x80}, // cut short at the end
            {0xE1, 0x80, 0x41}, // cut short by an ASCII byte
        };
        for (int[] m : malformed) {
            byte[] b = new byte[m.length + 2];
            b[0] = 'x';
            for (int i = 0; i < m.length; i++) {
                b[i + 1] = (byte) m[i];
            }
            b[b.length - 1] = 'y';
            String what = java.util.Arrays.toString(m);
            assertEquals(false, Utf8.isWellFormed(b, 0, b.length), what);
            // the bytes around it are fine on their own: only the range counts
            assertEquals(true, Utf8.isWellFormed(b, 0, 1), what);
            assertEquals(true, Utf8.isWellFormed(b, b.length - 1, b.length), what);
        }
        // a, b: 1 byte each; é: 2; €: 3; 😀: 4; c, d
        byte[] text = "ab\u00e9\u20ac\ud83d\ude00cd".getBytes(StandardCharsets.UTF_8);
        assertEquals(true, Utf8.isWellFormed(text, 0, text.length));
        for (int to = 3; to <= 11; to++) {
            // a range ending inside a character is cut short; one ending between characters is not
            boolean between = to == 4 || to == 7 || to == 11;
            assertEquals(between, Utf8.isWellFormed(text, 0, to), "to " + to);
        }
    }
}
