package dev.kubelogs.job.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FluentBitNumbersTest {

    @Test
    void integralDoublesArePercentPointOneF() {
        assertThat(FluentBitNumbers.write(1.0)).isEqualTo("1.0");
        assertThat(FluentBitNumbers.write(100.0)).isEqualTo("100.0");
        assertThat(FluentBitNumbers.write(-0.0)).isEqualTo("-0.0");
        assertThat(FluentBitNumbers.write(1e18)).isEqualTo("1000000000000000000.0");
        assertThat(FluentBitNumbers.write(-Math.pow(2, 63))).isEqualTo("-9223372036854775808.0");
    }

    /** Expected texts are C's printf("%.16g") of the same doubles. */
    @Test
    void otherDoublesArePercentSixteenG() {
        assertThat(FluentBitNumbers.write(0.1 + 0.2)).isEqualTo("0.3");
        assertThat(FluentBitNumbers.write(1e-5)).isEqualTo("1e-05");
        assertThat(FluentBitNumbers.write(1.5e-7)).isEqualTo("1.5e-07");
        assertThat(FluentBitNumbers.write(12345678.5)).isEqualTo("12345678.5");
        assertThat(FluentBitNumbers.write(3.14159)).isEqualTo("3.14159");
        assertThat(FluentBitNumbers.write(1e20)).isEqualTo("1e+20");
        assertThat(FluentBitNumbers.write(1.2345678901234567e22)).isEqualTo("1.234567890123457e+22");
        assertThat(FluentBitNumbers.write(0.0001)).isEqualTo("0.0001");
        assertThat(FluentBitNumbers.write(0.00001234)).isEqualTo("1.234e-05");
        assertThat(FluentBitNumbers.write(123456789012345.6)).isEqualTo("123456789012345.6");
        assertThat(FluentBitNumbers.write(1234567890123456.7)).isEqualTo("1234567890123457");
        assertThat(FluentBitNumbers.write(Math.pow(2, 63))).isEqualTo("9.223372036854776e+18");
        assertThat(FluentBitNumbers.write(1e-300)).isEqualTo("1e-300");
        assertThat(FluentBitNumbers.write(Double.MAX_VALUE)).isEqualTo("1.797693134862316e+308");
        assertThat(FluentBitNumbers.write(-2.5e-3)).isEqualTo("-0.0025");
    }

    @Test
    void numberTokensAreTheMsgpackValuesFluentBitsTokenizerMakes() {
        assertThat(FluentBitNumbers.writeToken("42")).isEqualTo("42");
        assertThat(FluentBitNumbers.writeToken("-0")).isEqualTo("0");
        assertThat(FluentBitNumbers.writeToken("2.50")).isEqualTo("2.5");
        assertThat(FluentBitNumbers.writeToken("1E+5")).isEqualTo("100000.0");
        assertThat(FluentBitNumbers.writeToken("1.0E-5")).isEqualTo("1e-05");
        // an exponent without a sign is not a float to is_float: strtoull reads the integer before it
        assertThat(FluentBitNumbers.writeToken("1e5")).isEqualTo("1");
        assertThat(FluentBitNumbers.writeToken("-7E3")).isEqualTo("-7");
        assertThat(FluentBitNumbers.writeToken("18446744073709551615")).isEqualTo("18446744073709551615");
        assertThat(FluentBitNumbers.writeToken("-9223372036854775808")).isEqualTo("-9223372036854775808");
        // out of range: strtod of the token
        assertThat(FluentBitNumbers.writeToken("18446744073709551616")).isEqualTo("1.844674407370955e+19");
        // one below int64 becomes the double -2^63, which a long long holds: %.1f
        assertThat(FluentBitNumbers.writeToken("-9223372036854775809")).isEqualTo("-9223372036854775808.0");
        assertThat(FluentBitNumbers.writeToken("-10000000000000000000")).isEqualTo("-1e+19");
    }
}
