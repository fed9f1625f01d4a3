package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReportTextTest {

    @Test
    void latenciesInMillisecondsUpTo10sThenInSeconds() {
        assertThat(ReportText.ms(1234.4)).isEqualTo("1,234 ms");
        assertThat(ReportText.ms(9_999)).isEqualTo("9,999 ms");
        assertThat(ReportText.ms(12_345)).isEqualTo("12.3 s");
        assertThat(ReportText.ms(Double.NaN)).isEqualTo("n/a");
    }

    @Test
    void sizesInTheLargestFittingUnit() {
        assertThat(ReportText.bytes(999)).isEqualTo("999 B");
        assertThat(ReportText.bytes(1_500)).isEqualTo("1.5 kB");
        assertThat(ReportText.bytes(2_500_000)).isEqualTo("2.5 MB");
        assertThat(ReportText.bytes(Double.POSITIVE_INFINITY)).isEqualTo("n/a");
    }

    @Test
    void durationsInWholeSecondsOrMillisecondsAndZeroIsNever() {
        assertThat(ReportText.fmt(Duration.ofSeconds(20))).isEqualTo("20 s");
        assertThat(ReportText.fmt(Duration.ofMillis(1500))).isEqualTo("1500 ms");
        assertThat(ReportText.fmt(Duration.ZERO)).isEqualTo("never");
        assertThat(ReportText.fmt(null)).isEqualTo("never");
    }

    @Test
    void aRowIsOneMarkdownTableLine() {
        StringBuilder b = new StringBuilder();
        ReportText.row(b, "measure", "value");

        assertThat(b).hasToString("| measure | value |\n");
    }
}
