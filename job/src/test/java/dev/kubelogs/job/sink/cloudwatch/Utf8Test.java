package dev.kubelogs.job.sink.cloudwatch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class Utf8Test {

    @Test
    void lengthIfWellFormedCountsUtf8BytesOrSaysMinusOneForUnpairedSurrogates() {
        for (String s : new String[] {"", "plain ascii", "é and ü", "€ and 中", "emoji 😀 pair", "\u007f\u0080\u07ff\u0800\uffff"}) {
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
}
