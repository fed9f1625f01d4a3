package dev.kubelogs.job.metrics.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GoUtf8Test {
    static boolean valid(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return GoUtf8.isValid(b, 0, b.length);
    }

    @Test
    void wellFormedTextIsValid() {
        byte[] b = "aé€😀\u0000".getBytes(StandardCharsets.UTF_8);
        assertThat(GoUtf8.isValid(b, 0, b.length)).isTrue();
        assertThat(GoUtf8.isAscii(b, 0, 1)).isTrue();
        assertThat(GoUtf8.isAscii(b, 0, 2)).isFalse();
    }

    @Test
    void malformedSequencesAreInvalidAsInGo() {
        assertThat(valid(0xc3, 0x28)).as("bad continuation").isFalse();
        assertThat(valid(0xc3)).as("truncated").isFalse();
        assertThat(valid(0xc0, 0xaf)).as("overlong 2").isFalse();
        assertThat(valid(0xe0, 0x80, 0xaf)).as("overlong 3").isFalse();
        assertThat(valid(0xed, 0xa0, 0x80)).as("surrogate").isFalse();
        assertThat(valid(0xf4, 0x90, 0x80, 0x80)).as("above U+10FFFF").isFalse();
        assertThat(valid(0xff)).isFalse();
        assertThat(valid(0x80)).as("lone continuation").isFalse();
        assertThat(valid(0xf0, 0x9f, 0x98, 0x80)).isTrue();
    }
}
