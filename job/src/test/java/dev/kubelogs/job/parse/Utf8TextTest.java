package dev.kubelogs.job.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8TextTest {

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    @Test
    void wellFormedTextIsDecodedAsItIs() {
        String text = "plain é € \uD83D\uDE00 and a real \uFFFD";
        assertThat(Utf8Text.decode(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(text);
    }

    /** Fluent Bit 4.x (flb_utils_write_str_escaped on x86-64) writes each such byte as U+E000 + the byte. */
    @Test
    void everyByteOfNoWellFormedSequenceIsItsOwnPrivateUseCharacterLikeFluentBit() {
        // a lone continuation byte, a lead byte never used (0xC0), a 3-byte sequence cut after 2 bytes, a surrogate
        // encoded in UTF-8 (ED A0 80) and a 4-byte sequence past U+10FFFF
        byte[] b = bytes('a', 0x80, 'b', 0xC0, 'c', 0xE2, 0x82, 'd', 0xED, 0xA0, 0x80, 'e', 0xF4, 0x90, 0x80, 0x80);
        assertThat(Utf8Text.decode(b))
                .isEqualTo("a\uE080b\uE0C0c\uE0E2\uE082d\uE0ED\uE0A0\uE080e\uE0F4\uE090\uE080\uE080");
        // Java's decoder gives one replacement for the cut sequence E2 82
        assertThat(new String(bytes(0xE2, 0x82, 'd'), StandardCharsets.UTF_8)).isEqualTo("\uFFFDd");
    }

    @Test
    void piecesCutInsideACharacterAreWholeOnceJoined() {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8); // E2 82 AC
        String first = Utf8Text.decode(bytes('a', euro[0]));
        String next = Utf8Text.decode(bytes(euro[1], euro[2], 'b'));
        assertThat(Utf8Text.joinPieces(first, next)).isEqualTo("a€b");
        byte[] emoji = "\uD83D\uDE00".getBytes(StandardCharsets.UTF_8);
        assertThat(Utf8Text.joinPieces(
                        Utf8Text.decode(bytes('x', emoji[0], emoji[1], emoji[2])), Utf8Text.decode(bytes(emoji[3]))))
                .isEqualTo("x\uD83D\uDE00");
        // bytes that stay ill-formed across the join stay one character each
        assertThat(Utf8Text.joinPieces(Utf8Text.decode(bytes('a', 0xE2)), Utf8Text.decode(bytes(0x82, 'b'))))
                .isEqualTo("a\uE0E2\uE082b");
        assertThat(Utf8Text.joinPieces("a", "b")).isEqualTo("ab");
    }

    /** Fluent Bit skips a lead byte whose sequence runs past the end of the string ("skip truncated UTF-8"). */
    @Test
    void aLeadByteWhoseSequenceRunsPastTheEndIsDropped() {
        assertThat(Utf8Text.dropCutSequenceAtEnd(Utf8Text.decode(bytes('a', 0xE2, 0x82))))
                .isEqualTo("a\uE082");
        assertThat(Utf8Text.dropCutSequenceAtEnd(Utf8Text.decode(bytes('a', 0xF0, 0x9F, 0x98))))
                .isEqualTo("a\uE09F\uE098");
        assertThat(Utf8Text.dropCutSequenceAtEnd(Utf8Text.decode(bytes('a', 0xF8, 'b', 'c', 'd'))))
                .isEqualTo("abcd");
        // with enough bytes after it, the lead is ill-formed where it stands and written
        assertThat(Utf8Text.dropCutSequenceAtEnd(Utf8Text.decode(bytes('a', 0xE2, 'b', 'c'))))
                .isEqualTo("a\uE0E2bc");
        assertThat(Utf8Text.dropCutSequenceAtEnd(Utf8Text.decode(bytes('a', 0xE2, 0x82, 'b'))))
                .isEqualTo("a\uE0E2\uE082b");
        assertThat(Utf8Text.dropCutSequenceAtEnd("plain é \uD83D\uDE00")).isEqualTo("plain é \uD83D\uDE00");
    }

    @Test
    void aCutNeverFallsInsideACharacter() {
        byte[] b = "a€b".getBytes(StandardCharsets.UTF_8); // 61 E2 82 AC 62
        assertThat(Utf8Text.boundaryAtOrBefore(b, 0, 1)).isEqualTo(1);
        assertThat(Utf8Text.boundaryAtOrBefore(b, 0, 2)).isEqualTo(1);
        assertThat(Utf8Text.boundaryAtOrBefore(b, 0, 3)).isEqualTo(1);
        assertThat(Utf8Text.boundaryAtOrBefore(b, 0, 4)).isEqualTo(4);
        byte[] emoji = "\uD83D\uDE00".getBytes(StandardCharsets.UTF_8);
        assertThat(Utf8Text.boundaryAtOrBefore(emoji, 0, 3)).isZero();
        // the bytes so far end inside a character whose rest has not come yet
        assertThat(Utf8Text.boundaryAtOrBefore(java.util.Arrays.copyOf(emoji, 2), 0, 2))
                .isZero();
        assertThat(Utf8Text.boundaryAtOrBefore(java.util.Arrays.copyOf(b, 3), 0, 3))
                .isEqualTo(1);
        // ill-formed bytes may be cut anywhere: each is its own character
        assertThat(Utf8Text.boundaryAtOrBefore(bytes('a', 0x80, 0x80, 0x80, 0x80), 0, 3))
                .isEqualTo(3);
        assertThat(Utf8Text.boundaryAtOrBefore(bytes('a', 0xE2, 'b'), 0, 2)).isEqualTo(2);
    }
}
