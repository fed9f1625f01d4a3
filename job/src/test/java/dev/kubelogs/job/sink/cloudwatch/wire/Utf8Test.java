package dev.kubelogs.job.sink.cloudwatch.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.kubelogs.job.sink.cloudwatch.SinkEvent;

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

    /** isWellFormed agrees with the JDK's strict UTF-8 decoder, on random bytes and on every boundary sequence. */
    @Test
    void isWellFormedRejectsWhatRfc3629Rejects() {
        int[][] malformed = {
            {0x80}, {0xBF}, {0x61, 0x80, 0x61},                 // a continuation byte without a lead
            {0xC0, 0x80}, {0xC1, 0xBF},                         // overlong 2-byte forms
            {0xE0, 0x80, 0x80}, {0xE0, 0x9F, 0xBF},             // overlong 3-byte forms
            {0xF0, 0x80, 0x80, 0x80}, {0xF0, 0x8F, 0xBF, 0xBF}, // overlong 4-byte forms
            {0xED, 0xA0, 0x80}, {0xED, 0xBF, 0xBF},             // UTF-16 surrogates encoded
            {0xF4, 0x90, 0x80, 0x80}, {0xF5, 0x80, 0x80, 0x80}, {0xFF}, {0xFE}, // beyond U+10FFFF, never bytes
            {0xC2}, {0xE1, 0x80}, {0xF1, 0x80, 0x80},           // cut short at the end
            {0xC2, 0x41}, {0xE1, 0x80, 0x41}, {0xF1, 0x80, 0x80, 0x41}, // cut short by an ASCII byte
        };
        for (int[] m : malformed) {
            byte[] b = new byte[m.length + 2];
            b[0] = 'x';
            for (int i = 0; i < m.length; i++) {
                b[i + 1] = (byte) m[i];
            }
            b[b.length - 1] = 'y';
            assertEquals(false, Utf8.isWellFormed(b, 0, b.length), java.util.Arrays.toString(m));
        }
        int[][] wellFormed = {
            {0xC2, 0x80}, {0xDF, 0xBF}, {0xE0, 0xA0, 0x80}, {0xED, 0x9F, 0xBF}, {0xEE, 0x80, 0x80},
            {0xF0, 0x90, 0x80, 0x80}, {0xF4, 0x8F, 0xBF, 0xBF}, {0x00}, {0x7F},
        };
        for (int[] w : wellFormed) {
            byte[] b = new byte[w.length];
            for (int i = 0; i < w.length; i++) {
                b[i] = (byte) w[i];
            }
            assertEquals(true, Utf8.isWellFormed(b, 0, b.length), java.util.Arrays.toString(w));
        }
        for (int cp = 0; cp <= 0x10FFFF; cp++) {
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                continue;
            }
            byte[] b = ("ab" + Character.toString(cp) + "cdefghij").getBytes(StandardCharsets.UTF_8);
            assertEquals(true, Utf8.isWellFormed(b, 0, b.length));
            int len = b.length - 10; // the character's own bytes
            if (len > 1) {
                // cut inside the character
                assertEquals(false, Utf8.isWellFormed(b, 0, 2 + len - 1));
            }
        }
    }
}
