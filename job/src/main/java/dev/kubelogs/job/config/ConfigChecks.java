package dev.kubelogs.job.config;

import java.time.Duration;
import java.util.Collection;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.util.TimeUtils;

/**
 * Range checks for settings. Each failure is an {@link IllegalConfigurationException} whose message starts with
 * the option's key, so a command line can name its own flag instead.
 */
public final class ConfigChecks {

    private ConfigChecks() {}

    public static Duration longerThanZero(ReadableConfig config, ConfigOption<Duration> option) {
        Duration value = config.get(option);
        if (value.isZero() || value.isNegative()) {
            throw invalid(option, "must be longer than 0", value);
        }
        return value;
    }

    public static Duration notNegative(ReadableConfig config, ConfigOption<Duration> option) {
        Duration value = config.get(option);
        if (value.isNegative()) {
            throw invalid(option, "must not be negative", value);
        }
        return value;
    }

    public static Duration atLeast(ReadableConfig config, ConfigOption<Duration> option, Duration min) {
        Duration value = config.get(option);
        if (value.compareTo(min) < 0) {
            throw invalid(option, "must be at least " + TimeUtils.formatWithHighestUnit(min), value);
        }
        return value;
    }

    public static int atLeast(ReadableConfig config, ConfigOption<Integer> option, int min) {
        int value = config.get(option);
        if (value < min) {
            throw invalid(option, "must be at least " + min, value);
        }
        return value;
    }

    public static <T> T oneOf(
            ReadableConfig config, ConfigOption<T> option, Collection<T> allowed, String allowedText) {
        T value = config.get(option);
        if (value != null && !allowed.contains(value)) {
            throw invalid(option, "must be " + allowedText, value);
        }
        return value;
    }

    public static IllegalConfigurationException invalid(ConfigOption<?> option, String rule, Object value) {
        return new IllegalConfigurationException(outOfRange(option.key(), rule, value));
    }

    /** {@code <name> <rule> (got <value>)}, a duration written as Flink writes it (10 ms, 2 s). */
    public static String outOfRange(String name, String rule, Object value) {
        Object shown = value instanceof Duration ? TimeUtils.formatWithHighestUnit((Duration) value) : value;
        return name + " " + rule + " (got " + shown + ")";
    }
}
