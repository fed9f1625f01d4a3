package dev.kubelogs.bench;

import java.util.List;
import java.util.Locale;

/** The report's JMH section: one row per benchmark. */
final class JmhSection {
    private JmhSection() {}

    static ReportSection render(List<Jmh.Row> rows) {
        StringBuilder b = new StringBuilder("## JMH microbenchmarks\n\n");
        b.append(
                "Single-threaded, so ops/s is per core. One op is one line (or event / record) where the unit says ops/s; "
                        + "raw JSON in `jmh.json`.\n\n| benchmark | params | mode | score | error | unit |\n|---|---|---|---|---|---|\n");
        for (Jmh.Row r : rows) {
            b.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %,.0f | ±%,.0f | %s |\n",
                    r.benchmark(),
                    r.params(),
                    r.mode(),
                    r.score(),
                    r.error(),
                    r.unit()));
        }
        b.append('\n');
        ReportSection section = new ReportSection("jmh", b.toString());
        for (Jmh.Row r : rows) {
            if (r.benchmark().contains("KeyedStage") && r.unit().equals("ops/s")) {
                section.target(
                        "Keyed stage ≥ 150k lines/s per core (" + r.params() + ")",
                        String.format(Locale.ROOT, "%,.0f lines/s", r.score()),
                        r.score() >= 150_000);
            }
        }
        return section;
    }
}
