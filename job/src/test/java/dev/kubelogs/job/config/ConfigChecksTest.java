package dev.kubelogs.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.junit.jupiter.api.Test;

class ConfigChecksTest {
    private static final ConfigOption<Duration> INTERVAL =
            ConfigOptions.key("kubelogs.test.interval").durationType().defaultValue(Duration.ofSeconds(1));
    private static final ConfigOption<Integer> COUNT =
            ConfigOptions.key("kubelogs.test.count").intType().defaultValue(10);
    private static final ConfigOption<String> MODE =
            ConfigOptions.key("kubelogs.test.mode").stringType().noDefaultValue();

    private static Configuration config(String key, String value) {
        return Configuration.fromMap(Map.of(key, value));
    }

    /** Flink's text form has no negative durations: a program (or a command line's flag) sets them. */
    private static Configuration config(Duration interval) {
        Configuration config = new Configuration();
        config.set(INTERVAL, interval);
        return config;
    }

    @Test
    void longerThanZeroRefusesZeroAndNegativeDurations() {
        assertThat(ConfigChecks.longerThanZero(config("kubelogs.test.interval", "1 ms"), INTERVAL))
                .isEqualTo(Duration.ofMillis(1));
        assertThat(ConfigChecks.longerThanZero(new Configuration(), INTERVAL)).isEqualTo(Duration.ofSeconds(1));
        assertThatThrownBy(() -> ConfigChecks.longerThanZero(config("kubelogs.test.interval", "0 s"), INTERVAL))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessage("kubelogs.test.interval must be longer than 0 (got 0 ms)");
        assertThatThrownBy(() -> ConfigChecks.longerThanZero(config(Duration.ofSeconds(-2)), INTERVAL))
                .hasMessage("kubelogs.test.interval must be longer than 0 (got -2 s)");
    }

    @Test
    void notNegativeAcceptsZero() {
        assertThat(ConfigChecks.notNegative(config("kubelogs.test.interval", "0 s"), INTERVAL))
                .isEqualTo(Duration.ZERO);
        assertThatThrownBy(() -> ConfigChecks.notNegative(config(Duration.ofMillis(-10)), INTERVAL))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessage("kubelogs.test.interval must not be negative (got -10 ms)");
    }

    @Test
    void atLeastADurationIsInclusiveAndSaysTheMinimumAsFlinkWritesIt() {
        Duration min = Duration.ofMillis(100);
        assertThat(ConfigChecks.atLeast(config("kubelogs.test.interval", "100 ms"), INTERVAL, min))
                .isEqualTo(min);
        assertThatThrownBy(() -> ConfigChecks.atLeast(config("kubelogs.test.interval", "99 ms"), INTERVAL, min))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessage("kubelogs.test.interval must be at least 100 ms (got 99 ms)");
        assertThatThrownBy(() -> ConfigChecks.atLeast(
                        config("kubelogs.test.interval", "1 min"), INTERVAL, Duration.ofMinutes(2)))
                .hasMessage("kubelogs.test.interval must be at least 2 min (got 1 min)");
    }

    @Test
    void atLeastANumberIsInclusive() {
        assertThat(ConfigChecks.atLeast(config("kubelogs.test.count", "0"), COUNT, 0))
                .isZero();
        assertThat(ConfigChecks.atLeast(new Configuration(), COUNT, 10)).isEqualTo(10);
        assertThatThrownBy(() -> ConfigChecks.atLeast(config("kubelogs.test.count", "-1"), COUNT, 0))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessage("kubelogs.test.count must be at least 0 (got -1)");
    }

    @Test
    void oneOfNamesTheAllowedValuesAndLetsAnUnsetOptionPass() {
        List<String> allowed = List.of("spool", "kinesis");
        assertThat(ConfigChecks.oneOf(config("kubelogs.test.mode", "kinesis"), MODE, allowed, "spool or kinesis"))
                .isEqualTo("kinesis");
        assertThat(ConfigChecks.oneOf(new Configuration(), MODE, allowed, "spool or kinesis"))
                .isNull();
        assertThatThrownBy(() ->
                        ConfigChecks.oneOf(config("kubelogs.test.mode", "kafka"), MODE, allowed, "spool or kinesis"))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessage("kubelogs.test.mode must be spool or kinesis (got kafka)");
    }

    @Test
    void aCommandLineNamesItsOwnFlagInTheSameWords() {
        assertThat(ConfigChecks.outOfRange("--discovery-interval", "must be longer than 0", Duration.ofMillis(-5)))
                .isEqualTo("--discovery-interval must be longer than 0 (got -5 ms)");
        assertThat(ConfigChecks.outOfRange("--parallelism", "must be at least 1", 0))
                .isEqualTo("--parallelism must be at least 1 (got 0)");
        assertThat(ConfigChecks.invalid(COUNT, "must be even", 3).getMessage())
                .isEqualTo("kubelogs.test.count must be even (got 3)");
    }
}
