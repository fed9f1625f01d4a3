package dev.kubelogs.bench;

import java.time.Duration;
import java.util.Locale;

/** How the report writes table rows, durations, latencies and sizes. */
final class ReportText {
    private ReportText() {}

    static void row(StringBuilder b, String k, String v) {
        b.append("| ").append(k).append(" | ").append(v).append(" |\n");
    }

    static String ms(double v) {
        if (!Double.isFinite(v)) {
            return "n/a";
        }
        return v >= 10_000 ? String.format(Locale.ROOT, "%.1f s", v / 1000) : String.format(Locale.ROOT, "%,.0f ms", v);
    }

    static String bytes(double v) {
        if (!Double.isFinite(v)) {
            return "n/a";
        }
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.1f MB", v / 1e6);
        }
        if (v >= 1e3) {
            return String.format(Locale.ROOT, "%.1f kB", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f B", v);
    }

    static String fmt(Duration d) {
        if (d == null || d.isZero()) {
            return "never";
        }
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
