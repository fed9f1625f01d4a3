package dev.kubelogs.job.metrics.emf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GoJsonBytesTest {
    private final GoJsonBytes out = new GoJsonBytes(4);

    @Test
    void stringsAreEscapedAsGoMarshalDoes() {
        out.writeString("a<b>&c\u0000\u001f\b\t\n\f\r\"\\/\u007f é中\u2028\u2029\uD83D\uDE00");
        assertThat(out.text())
                .isEqualTo("\"a\\u003cb\\u003e\\u0026c\\u0000\\u001f\\b\\t\\n\\f\\r\\\"\\\\/\u007f é中"
                        + "\\u2028\\u2029\uD83D\uDE00\"");
        assertThat(out.size()).isEqualTo(out.text().getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void unpairedSurrogatesAreEscapedSoTheTextStaysValidUtf8() {
        out.writeString("\uD800x\uDC00\uDBFF");
        assertThat(out.text()).isEqualTo("\"\\ud800x\\udc00\\udbff\"");
        out.reset();
        out.writeString("\uDE00\uD83D");
        assertThat(out.text()).isEqualTo("\"\\ude00\\ud83d\"");
    }

    @Test
    void utf8IsACopyOfTheTextsBytes() {
        out.writeString("é中\uD83D\uDE00\uD800");
        byte[] utf8 = out.utf8();
        assertThat(utf8).isEqualTo(out.text().getBytes(StandardCharsets.UTF_8));
        out.reset();
        out.writeString("overwritten");
        assertThat(new String(utf8, StandardCharsets.UTF_8)).isEqualTo("\"é中\uD83D\uDE00\\ud800\"");
    }

    @Test
    void copyOfRangeIsWhatWasWrittenSinceAPosition() {
        out.writeString("a");
        int start = out.size();
        out.writeString("é<");
        assertThat(new String(out.copyOfRange(start), StandardCharsets.UTF_8)).isEqualTo("\"é\\u003c\"");
    }

    @Test
    void longsAreWrittenInDecimal() {
        for (long v : new long[] {0, 7, -7, 10, 1_700_000_000_123L, Long.MAX_VALUE, Long.MIN_VALUE}) {
            out.reset();
            out.writeLong(v);
            assertThat(out.text()).isEqualTo(Long.toString(v));
        }
    }

    @Test
    void theBufferGrowsAndResets() {
        String value = "x".repeat(5_000);
        out.writeByte('[');
        out.writeString(value);
        out.writeAscii(",1.5e-7".getBytes(StandardCharsets.US_ASCII));
        out.writeAscii("]");
        assertThat(out.text()).isEqualTo("[\"" + value + "\",1.5e-7]");
        out.reset();
        assertThat(out.size()).isZero();
        assertThat(out.text()).isEmpty();
    }
}
