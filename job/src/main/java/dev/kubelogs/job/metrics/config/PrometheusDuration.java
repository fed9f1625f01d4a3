package dev.kubelogs.job.metrics.config;

import java.time.Duration;

/**
 * Prometheus' duration syntax ({@code model.Duration}): units {@code y w d h m s ms}, largest first, each at most once
 * ({@code 1h30m}, {@code 500ms}, {@code 1d}); {@code 0} alone needs no unit; a year is 365 days. {@link #format} writes
 * what Prometheus writes (the value of {@code __scrape_interval__}).
 */
public final class PrometheusDuration {
    private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};
    private static final long[] MILLIS = {
        365L * 24 * 3600_000, 7L * 24 * 3600_000, 24L * 3600_000, 3600_000L, 60_000L, 1000L, 1L
    };

    private PrometheusDuration() {}

    /** Parses {@code s}; throws {@link IllegalArgumentException} with Prometheus' message when it is not one. */
    public static Duration parse(String s) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException("empty duration string");
        }
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        long total = 0;
        int lastUnit = -1;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && isDigit(s.charAt(i))) {
                i++;
            }
            if (i == start) {
                throw new IllegalArgumentException("not a valid duration string: \"" + s + "\"");
            }
            long value;
            try {
                value = Long.parseLong(s.substring(start, i));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a valid duration string: \"" + s + "\"");
            }
            int unitStart = i;
            while (i < s.length() && !isDigit(s.charAt(i))) {
                i++;
            }
            String unit = s.substring(unitStart, i);
            if (unit.isEmpty()) {
                throw new IllegalArgumentException("not a valid duration string: \"" + s + "\"");
            }
            int u = unitIndex(unit);
            if (u < 0) {
                throw new IllegalArgumentException("unknown unit \"" + unit + "\" in duration \"" + s + "\"");
            }
            if (u <= lastUnit) {
                throw new IllegalArgumentException("not a valid duration string: \"" + s + "\"");
            }
            lastUnit = u;
            // Prometheus' bound: the total must fit a Go time.Duration (int64 nanoseconds)
            long maxMillis = Long.MAX_VALUE / 1_000_000;
            if (value > maxMillis / MILLIS[u] || total + value * MILLIS[u] > maxMillis) {
                throw new IllegalArgumentException("duration out of range");
            }
            total += value * MILLIS[u];
        }
        return Duration.ofMillis(total);
    }

    /** The Prometheus form of {@code d} (milliseconds precision): {@code 1m}, {@code 1h30m}, {@code 0s}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        StringBuilder b = new StringBuilder();
        for (int u = 0; u < UNITS.length; u++) {
            // years and weeks only when exact, as Prometheus ("90d" reads better than "12w6d")
            if (u < 2 && ms % MILLIS[u] != 0) {
                continue;
            }
            long v = ms / MILLIS[u];
            if (v > 0) {
                b.append(v).append(UNITS[u]);
                ms -= v * MILLIS[u];
            }
        }
        return b.toString();
    }

    private static int unitIndex(String unit) {
        for (int u = 0; u < UNITS.length; u++) {
            if (UNITS[u].equals(unit)) {
                return u;
            }
        }
        return -1;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
