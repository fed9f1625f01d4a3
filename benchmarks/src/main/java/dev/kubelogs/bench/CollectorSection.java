package dev.kubelogs.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The report's collector-alone section: one row per fixed rate, and the RSS and CPU plots over time. */
final class CollectorSection {
    private CollectorSection() {}

    static ReportSection render(List<EndToEndResult> rs, CollectorProcess.JvmFlags flags, Path dir) throws IOException {
        StringBuilder b = new StringBuilder("## Collector alone at fixed rates (own process)\n\n");
        b.append(
                        "One node's logs generated at the rate (same mix as end to end, rotations included); one collector process "
                                + "tails them into the spool; the harness deletes published segments like the job would. CPU = "
                                + "utime+stime from /proc/<pid>/stat over the window after warm-up; RSS from /proc/<pid>/status. JVM flags: `")
                .append(flags == null ? "?" : String.join(" ", flags.flags()))
                .append("` (")
                .append(flags == null ? "" : flags.source())
                .append(").\n\n");
        b.append(
                "| lines/s | read lines/s | vCPU (window) | lines/s per core | RSS mean | RSS peak (VmHWM) | load before → after |\n|---|---|---|---|---|---|---|\n");
        Charts.Chart rss = new Charts.Chart("Collector RSS over time", "seconds since start", "RSS (MB)");
        Charts.Chart cpu = new Charts.Chart("Collector CPU over time", "seconds since start", "vCPU");
        for (EndToEndResult r : rs) {
            b.append(String.format(
                    Locale.ROOT,
                    "| %,.0f | %,.0f | %.3f | %,.0f | %.1f MB | %.1f MB | %s → %s |\n",
                    r.spec.ratePerNode(),
                    r.collectedLinesPerSec,
                    r.collectorCores,
                    r.collectorLinesPerSecPerCore,
                    r.collectorSteadyRssMb,
                    r.collectorPeakRssMb,
                    r.loadBefore,
                    r.loadAfter));
            int m = r.ticks.size();
            double[] t = new double[m];
            double[] y = new double[m];
            double[] c = new double[m];
            for (int i = 0; i < m; i++) {
                t[i] = r.ticks.get(i).t();
                y[i] = r.ticks.get(i).collectorRssMb().isEmpty()
                        ? Double.NaN
                        : r.ticks.get(i).collectorRssMb().get(0);
                c[i] = r.ticks.get(i).collectorCores();
            }
            String name = String.format(Locale.ROOT, "%,.0f lines/s", r.spec.ratePerNode());
            rss.add(Charts.Series.line(name, t, y));
            cpu.add(Charts.Series.line(name, t, c));
        }
        String note = "collector JVM: " + (flags == null ? "" : String.join(" ", flags.flags()));
        rss.note(note).xFromZero().write(dir.resolve("collector-rss-over-time.png"));
        cpu.note(note).xFromZero().write(dir.resolve("collector-cpu-over-time.png"));
        b.append("\n![rss](collector-rss-over-time.png)\n\n![cpu](collector-cpu-over-time.png)\n\n");
        ReportSection section = new ReportSection("collector", b.toString());
        for (EndToEndResult r : rs) {
            if (Math.abs(r.spec.ratePerNode() - 10_000) < 1) {
                section.target(
                        "Collector ≤ 0.05 vCPU and ≤ 64 MB RSS at 10k lines/s",
                        String.format(
                                Locale.ROOT, "%.3f vCPU, %.1f MB peak RSS", r.collectorCores, r.collectorPeakRssMb),
                        r.collectorCores <= 0.05 && r.collectorPeakRssMb <= 64);
            }
        }
        return section;
    }
}
