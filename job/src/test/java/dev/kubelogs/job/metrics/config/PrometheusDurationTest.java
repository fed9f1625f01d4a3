package dev.kubelogs.job.metrics.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Cases from Prometheus' common/model time_test.go (TestParseDuration, TestDuration String). */
class PrometheusDurationTest {

    @Test
    void parsesEveryUnitLargestFirst() {
        assertThat(PrometheusDuration.parse("0")).isEqualTo(Duration.ZERO);
        assertThat(PrometheusDuration.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(PrometheusDuration.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(PrometheusDuration.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(PrometheusDuration.parse("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(PrometheusDuration.parse("2w")).isEqualTo(Duration.ofDays(14));
        assertThat(PrometheusDuration.parse("1y")).isEqualTo(Duration.ofDays(365));
        assertThat(PrometheusDuration.parse("1y1w1d1h1m1s1ms"))
                .isEqualTo(Duration.ofDays(373)
                        .plusHours(1)
                        .plusMinutes(1)
                        .plusSeconds(1)
                        .plusMillis(1));
    }

    @Test
    void refusesWhatPrometheusRefuses() {
        assertThatThrownBy(() -> PrometheusDuration.parse("")).hasMessage("empty duration string");
        assertThatThrownBy(() -> PrometheusDuration.parse("1")).hasMessage("not a valid duration string: \"1\"");
        assertThatThrownBy(() -> PrometheusDuration.parse("m")).hasMessage("not a valid duration string: \"m\"");
        assertThatThrownBy(() -> PrometheusDuration.parse("1m1h")).hasMessage("not a valid duration string: \"1m1h\"");
        assertThatThrownBy(() -> PrometheusDuration.parse("1s1s")).hasMessage("not a valid duration string: \"1s1s\"");
        assertThatThrownBy(() -> PrometheusDuration.parse("1.5s")).hasMessageContaining("unknown unit \".\"");
        assertThatThrownBy(() -> PrometheusDuration.parse("5x")).hasMessage("unknown unit \"x\" in duration \"5x\"");
        assertThatThrownBy(() -> PrometheusDuration.parse("-1s")).hasMessageContaining("not a valid duration");
        assertThatThrownBy(() -> PrometheusDuration.parse("300y")).hasMessage("duration out of range");
    }

    @Test
    void formatsAsPrometheusDoes() {
        assertThat(PrometheusDuration.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(PrometheusDuration.format(Duration.ofMinutes(1))).isEqualTo("1m");
        assertThat(PrometheusDuration.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(PrometheusDuration.format(Duration.ofMillis(1500))).isEqualTo("1s500ms");
        assertThat(PrometheusDuration.format(Duration.ofDays(14))).isEqualTo("2w");
        assertThat(PrometheusDuration.format(Duration.ofDays(90))).isEqualTo("90d");
        assertThat(PrometheusDuration.format(Duration.ofDays(365))).isEqualTo("1y");
    }
}
