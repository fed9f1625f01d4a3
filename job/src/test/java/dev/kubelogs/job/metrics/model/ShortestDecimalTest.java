package dev.kubelogs.job.metrics.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Expected digits are those of Go's strconv shortest formatting (FormatFloat with precision -1). */
class ShortestDecimalTest {

    @Test
    void theFewestDigitsThatReadBack() {
        assertThat(ShortestDecimal.of(0.1 + 0.2)).isEqualTo(new ShortestDecimal(false, "30000000000000004", 0));
        assertThat(ShortestDecimal.of(-1500)).isEqualTo(new ShortestDecimal(true, "15", 4));
        assertThat(ShortestDecimal.of(0.005)).isEqualTo(new ShortestDecimal(false, "5", -2));
        assertThat(ShortestDecimal.of(2.82879384806159e17))
                .isEqualTo(new ShortestDecimal(false, "282879384806159", 18));
    }

    @Test
    void oneDigitWhereJavaKeepsTwo() {
        // Java writes 4.9E-324 and 1.0E23-style two-digit forms; Go the one digit that reads back
        assertThat(ShortestDecimal.of(Double.MIN_VALUE)).isEqualTo(new ShortestDecimal(false, "5", -323));
        assertThat(ShortestDecimal.of(2e-323)).isEqualTo(new ShortestDecimal(false, "2", -322));
    }

    @Test
    void zeroAndNonFiniteValuesHaveNoDigits() {
        assertThatThrownBy(() -> ShortestDecimal.of(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ShortestDecimal.of(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ShortestDecimal.of(Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aOneDigitDecimalReadsAsTheJdkParsesIt() {
        for (int digit = 1; digit <= 9; digit++) {
            for (int pointExponent = -330; pointExponent <= 330; pointExponent++) {
                assertThat(ShortestDecimal.read(digit, pointExponent))
                        .as("0.%dE%d", digit, pointExponent)
                        .isEqualTo(Double.parseDouble("0." + digit + "E" + pointExponent));
            }
        }
    }
}
