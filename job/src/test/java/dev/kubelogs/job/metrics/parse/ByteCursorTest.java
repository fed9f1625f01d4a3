package dev.kubelogs.job.metrics.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ByteCursorTest {
    static ByteCursor cursor(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return new ByteCursor(b, b.length);
    }

    @Test
    void namesByThePrometheusCharacterClasses() {
        ByteCursor c = cursor("a:b_9 x");
        assertThat(c.metricNameEnd()).isEqualTo(5);
        assertThat(c.labelNameEnd()).isEqualTo(1);
        assertThat(cursor("9a").metricNameEnd()).isEqualTo(0);
        assertThat(cursor(":a").labelNameEnd()).isEqualTo(0);
    }

    @Test
    void errorNamesTheLineAndEscapesControlCharacters() {
        ByteCursor c = cursor("ok 1\nbad\t\u0001line\nnext\n");
        c.pos = c.lineEnd();
        c.nextLine();
        c.pos += 3;
        ExpositionParseException e = c.error("broken");
        assertThat(e.lineNumber()).isEqualTo(2);
        assertThat(e.excerpt()).isEqualTo("bad\\x09\\x01line");
        assertThat(e.reason()).isEqualTo("broken");
    }
}
