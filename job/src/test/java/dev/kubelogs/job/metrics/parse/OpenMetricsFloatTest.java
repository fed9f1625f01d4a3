package dev.kubelogs.job.metrics.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Expected spellings are those of Go's strconv.FormatFloat(f, 'g', -1, 64) plus Prometheus' ".0" rule. */
class OpenMetricsFloatTest {

    @Test
    void integersGetAFractionAndLargeOrTinyValuesAnExponent() {
        assertThat(OpenMetricsFloat.format(0)).isEqualTo("0.0");
        assertThat(OpenMetricsFloat.format(-0.0)).isEqualTo("0.0");
        assertThat(OpenMetricsFloat.format(1)).isEqualTo("1.0");
        assertThat(OpenMetricsFloat.format(-1)).isEqualTo("-1.0");
        assertThat(OpenMetricsFloat.format(10)).isEqualTo("10.0");
        assertThat(OpenMetricsFloat.format(100000)).isEqualTo("100000.0");
        assertThat(OpenMetricsFloat.format(1e6)).isEqualTo("1e+06");
        assertThat(OpenMetricsFloat.format(2.5e7)).isEqualTo("2.5e+07");
        assertThat(OpenMetricsFloat.format(123456789)).isEqualTo("1.23456789e+08");
        assertThat(OpenMetricsFloat.format(1e100)).isEqualTo("1e+100");
        assertThat(OpenMetricsFloat.format(0.005)).isEqualTo("0.005");
        assertThat(OpenMetricsFloat.format(0.0001)).isEqualTo("0.0001");
        assertThat(OpenMetricsFloat.format(0.00001)).isEqualTo("1e-05");
        assertThat(OpenMetricsFloat.format(-2.5e-7)).isEqualTo("-2.5e-07");
        assertThat(OpenMetricsFloat.format(0.1 + 0.2)).isEqualTo("0.30000000000000004");
        assertThat(OpenMetricsFloat.format(Double.NaN)).isEqualTo("NaN");
        assertThat(OpenMetricsFloat.format(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(OpenMetricsFloat.format(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
    }

    @Test
    void theDigitsAreTheShortestThatReadBackWhereJava17sDoubleToStringIsNot() {
        // JDK-4511638: Java 17 writes 4.9E-324 and 2.82879384806159008E17; Go the shortest, as here
        assertThat(OpenMetricsFloat.format(Double.MIN_VALUE)).isEqualTo("5e-324");
        assertThat(OpenMetricsFloat.format(2.82879384806159e17)).isEqualTo("2.82879384806159e+17");
    }

    @Test
    void aValueThatIsNoFloatIsKept() {
        assertThat(OpenMetricsFloat.normalize("0.50")).isEqualTo("0.5");
        assertThat(OpenMetricsFloat.normalize("Inf")).isEqualTo("+Inf");
        assertThat(OpenMetricsFloat.normalize("fast")).isEqualTo("fast");
        assertThat(OpenMetricsFloat.normalize("")).isEqualTo("");
    }
}
