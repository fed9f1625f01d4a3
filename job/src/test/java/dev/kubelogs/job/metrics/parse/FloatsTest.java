package dev.kubelogs.job.metrics.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Go's strconv.ParseFloat as Prometheus uses it (no hex, no underscores). */
class FloatsTest {
    static double parse(String s) {
        byte[] b = ("x" + s + "y").getBytes(StandardCharsets.ISO_8859_1);
        return Floats.parse(b, 1, b.length - 1);
    }

    @Test
    void decimals() {
        assertThat(parse("0")).isEqualTo(0.0);
        assertThat(parse("-0")).isEqualTo(-0.0);
        assertThat(parse("42")).isEqualTo(42.0);
        assertThat(parse("+1.5")).isEqualTo(1.5);
        assertThat(parse("1.")).isEqualTo(1.0);
        assertThat(parse(".5")).isEqualTo(0.5);
        assertThat(parse("2.2423e-05")).isEqualTo(2.2423e-05);
        assertThat(parse("1.048576e+06")).isEqualTo(1048576.0);
        assertThat(parse("9.194635264E9")).isEqualTo(9.194635264E9);
        assertThat(parse("0.1")).isEqualTo(0.1);
        assertThat(parse("1e-400")).isEqualTo(0.0);
    }

    @Test
    void longDecimalsRoundLikeDoubleParsing() {
        for (String s : new String[] {
            "39.700000000000002842170943040401",
            "12345678901234567890",
            "0.30000000000000004",
            "1.7976931348623157e308",
            "4.9e-324",
            "123456789012345.678"
        }) {
            assertThat(parse(s)).as(s).isEqualTo(Double.parseDouble(s));
        }
    }

    @Test
    void specialValuesInAnyCase() {
        assertThat(parse("NaN")).isNaN();
        assertThat(parse("nan")).isNaN();
        assertThat(parse("+Inf")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(parse("Inf")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(parse("-Inf")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(parse("-infinity")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(parse("+INF")).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void whatGoRejects() {
        for (String s : new String[] {
            "",
            "+",
            ".",
            "e5",
            "1e",
            "1e+",
            "1..2",
            "0x1p3",
            "1_000",
            "1d",
            "1f",
            " 1",
            "1 ",
            "Infinity1",
            "+NaN",
            "-nan",
            "in",
            "1,5",
            "1e400",
            "-1e400"
        }) {
            assertThatThrownBy(() -> parse(s)).as("'%s'", s).isInstanceOf(NumberFormatException.class);
        }
    }
}
