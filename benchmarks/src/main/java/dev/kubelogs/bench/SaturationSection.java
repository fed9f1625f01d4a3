package dev.kubelogs.bench;

import static dev.kubelogs.bench.ReportText.fmt;
import static dev.kubelogs.bench.ReportText.ms;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/** The report's saturation section: one row per step of the search, and the throughput and p99 plots against the rate. */
final class SaturationSection {
    private SaturationSection() {}

    static ReportSection render(Saturation.Result s, Duration bound, Path dir) throws IOException {
        StringBuilder b = new StringBuilder("## Saturation search\n\n");
        b.append(String.format(
                Locale.ROOT,
                "Doubling the total rate until a step fails, then bisecting twice. A step passes with 0 lost/"
                        + "duplicated, the collectors and the generator keeping up, delivered ≥ 95 %% of offered, and p99 ≤ %s overall and in the "
                        + "last third. **Highest passing rate: %s lines/s** (all nodes together, %d nodes).\n\n",
                fmt(bound),
                Double.isFinite(s.maxPassingRate) ? String.format(Locale.ROOT, "%,.0f", s.maxPassingRate) : "none",
                s.steps.isEmpty() ? 0 : s.steps.get(0).result().spec.nodes()));
        b.append(
                "| offered lines/s | delivered lines/s | cores used | lines/s per core | p50 | p99 | lost/dup | verdict | load after |\n|---|---|---|---|---|---|---|---|---|\n");
        int n = s.steps.size();
        double[] x = new double[n];
        double[] y = new double[n];
        double[] pc = new double[n];
        double[] p99 = new double[n];
        for (int i = 0; i < n; i++) {
            Saturation.Step st = s.steps.get(i);
            EndToEndResult r = st.result();
            b.append(String.format(
                    Locale.ROOT,
                    "| %,.0f | %,.0f | %.2f | %,.0f | %s | %s | %d/%d | %s | %s |\n",
                    st.totalRate(),
                    r.deliveredLinesPerSec,
                    r.jobCores + r.collectorCores,
                    r.linesPerSecPerCore,
                    ms(r.p50),
                    ms(r.p99),
                    r.lost,
                    r.duplicated,
                    st.pass() ? "pass" : "fail: " + st.why().replace("|", "/"),
                    r.loadAfter));
            x[i] = st.totalRate();
            y[i] = r.deliveredLinesPerSec;
            pc[i] = r.linesPerSecPerCore;
            p99[i] = r.p99 / 1000;
        }
        new Charts.Chart("Throughput vs offered rate", "offered lines/s (all nodes)", "lines/s")
                .note("saturation steps; the dashed line is delivered = offered")
                .add(Charts.Series.points("delivered lines/s", x, y))
                .add(Charts.Series.points("lines/s per core used", x, pc))
                .add(Charts.Series.dashed("ideal", x, x))
                .xFromZero()
                .write(dir.resolve("throughput-vs-rate.png"));
        new Charts.Chart("p99 latency vs offered rate", "offered lines/s (all nodes)", "p99 (s)")
                .add(Charts.Series.points("p99", x, p99))
                .xFromZero()
                .write(dir.resolve("latency-vs-rate.png"));
        b.append("\n![throughput vs rate](throughput-vs-rate.png)\n\n![p99 vs rate](latency-vs-rate.png)\n\n");
        ReportSection section = new ReportSection("saturation", b.toString());
        double bestPerCore = 0;
        for (Saturation.Step st : s.steps) {
            if (st.pass() && Double.isFinite(st.result().linesPerSecPerCore)) {
                bestPerCore = Math.max(bestPerCore, st.result().linesPerSecPerCore);
            }
        }
        section.target(
                "End to end ≥ 100k lines/s per core used (best passing step)",
                String.format(Locale.ROOT, "%,.0f lines/s per core", bestPerCore),
                bestPerCore >= 100_000);
        return section;
    }
}
