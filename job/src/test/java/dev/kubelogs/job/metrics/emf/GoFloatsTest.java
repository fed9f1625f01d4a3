package dev.kubelogs.job.metrics.emf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Expected texts are what Go's json.Marshal writes for the same float64 (its floatEncoder: 'f' or 'e', shortest). */
class GoFloatsTest {

    @Test
    void integersHaveNoFractionAndZeroKeepsItsSign() {
        assertThat(GoFloats.format(0)).isEqualTo("0");
        assertThat(GoFloats.format(-0.0)).isEqualTo("-0");
        assertThat(GoFloats.format(42)).isEqualTo("42");
        assertThat(GoFloats.format(-7)).isEqualTo("-7");
        assertThat(GoFloats.format(9007199254740991d)).isEqualTo("9007199254740991");
    }

    @Test
    void exactLongsAreTheIntegersBelowTwoToTheFiftyThreeButNegativeZero() {
        assertThat(GoFloats.isExactLong(0)).isTrue();
        assertThat(GoFloats.isExactLong(-0.0)).isFalse();
        assertThat(GoFloats.isExactLong(-7)).isTrue();
        assertThat(GoFloats.isExactLong(9007199254740991d)).isTrue();
        assertThat(GoFloats.isExactLong(0x1p53)).isFalse();
        assertThat(GoFloats.isExactLong(0.5)).isFalse();
        assertThat(GoFloats.isExactLong(Double.NaN)).isFalse();
        assertThat(GoFloats.isExactLong(Double.POSITIVE_INFINITY)).isFalse();
    }

    @Test
    void plainNotationBetweenOneMillionthAndTenToTheTwentyOne() {
        assertThat(GoFloats.format(0.25)).isEqualTo("0.25");
        assertThat(GoFloats.format(0.1 + 0.2)).isEqualTo("0.30000000000000004");
        assertThat(GoFloats.format(123.456)).isEqualTo("123.456");
        assertThat(GoFloats.format(1e-6)).isEqualTo("0.000001");
        assertThat(GoFloats.format(1.5e-6)).isEqualTo("0.0000015");
        assertThat(GoFloats.format(1e20)).isEqualTo("100000000000000000000");
        // beyond 2^53 Go writes the shortest digits padded with zeros, not the exact integer
        assertThat(GoFloats.format(Math.pow(2, 60))).isEqualTo("1152921504606847000");
        assertThat(GoFloats.format(12345678.9)).isEqualTo("12345678.9");
        assertThat(GoFloats.format(-1234.5e10)).isEqualTo("-12345000000000");
    }

    @Test
    void exponentNotationOutsideWithoutALeadingZeroInNegativeExponents() {
        assertThat(GoFloats.format(1e21)).isEqualTo("1e+21");
        assertThat(GoFloats.format(1.5e300)).isEqualTo("1.5e+300");
        assertThat(GoFloats.format(1e-7)).isEqualTo("1e-7");
        assertThat(GoFloats.format(-2.5e-7)).isEqualTo("-2.5e-7");
        assertThat(GoFloats.format(1.234e-10)).isEqualTo("1.234e-10");
        assertThat(GoFloats.format(2e23)).isEqualTo("2e+23");
    }

    @Test
    void theShortestDigitsEvenWhereJavaPicksTwo() {
        // Java's Double.toString writes 4.9E-324 (the closer of one and two digits); Go the shortest, 5e-324
        assertThat(GoFloats.format(Double.MIN_VALUE)).isEqualTo("5e-324");
        assertThat(GoFloats.format(Double.MAX_VALUE)).isEqualTo("1.7976931348623157e+308");
    }

    @Test
    void nonFiniteValuesAreRefused() {
        assertThatThrownBy(() -> GoFloats.format(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GoFloats.format(Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
