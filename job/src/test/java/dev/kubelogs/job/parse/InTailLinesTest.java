package dev.kubelogs.job.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InTailLinesTest {

    private static int length(String line) {
        byte[] b = ("xx" + line + "yy").getBytes(StandardCharsets.US_ASCII);
        return InTailLines.withoutCarriageReturn(b, 2, line.length());
    }

    @Test
    void theCarriageReturnOfACrLfEndingIsNotPartOfTheLine() {
        assertThat(length("abc\r")).isEqualTo(3);
        assertThat(length("a\rbc")).isEqualTo(4);
        assertThat(length("abc")).isEqualTo(3);
    }

    @Test
    void aLineThatIsOnlyACarriageReturnKeepsIt() {
        assertThat(length("\r")).isEqualTo(1);
        assertThat(length("")).isZero();
    }
}
