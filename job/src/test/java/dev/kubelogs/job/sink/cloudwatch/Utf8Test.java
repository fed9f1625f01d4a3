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

    /** isWellFormed agrees with the JDK's strict UTF-8 decoder, on random bytes and on every boundary sequence. */
    @Test
    void isWellFormedAgreesWithTheJdkDecoder() {
        java.util.Random r = new java.util.Random(11);
        byte[] specials = {0, 0x41, 0x7F, (byte) 0x80, (byte) 0x8F, (byte) 0x90, (byte) 0x9F, (byte) 0xA0, (byte) 0xBF,
                (byte) 0xC0, (byte) 0xC1, (byte) 0xC2, (byte) 0xDF, (byte) 0xE0, (byte) 0xE1, (byte) 0xEC, (byte) 0xED,
                (byte) 0xEE, (byte) 0xEF, (byte) 0xF0, (byte) 0xF1, (byte) 0xF3, (byte) 0xF4, (byte) 0xF5, (byte) 0xFF};
        for (int round = 0; round < 200_000; round++) {
            byte[] b = new byte[r.nextInt(20)];
            for (int i = 0; i < b.length; i++) {
                b[i] = r.nextInt(3) == 0 ? (byte) r.nextInt(256) : r.nextInt(2) == 0 ? specials[r.nextInt(specials.length)] : 0x61;
            }
            assertEquals(jdkAccepts(b), Utf8.isWellFormed(b, 0, b.length), java.util.Arrays.toString(b));
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

    private static boolean jdkAccepts(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(b));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }
}
