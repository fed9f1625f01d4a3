package dev.kubelogs.bench;

import java.util.Locale;

/** The report's tail-throughput section: one collector reading a file from its head, against the incumbent's numbers. */
final class TailSection {
    private TailSection() {}

    static ReportSection render(TailThroughput.Result r) {
        StringBuilder b = new StringBuilder("## Collector tail throughput (the incumbent's benchmark)\n\n");
        b.append(String.format(
                Locale.ROOT,
                "%,d Docker json-file lines (%.0f MB, %.0f B/line) read from the head by one collector "
                        + "process into the spool (page cache warm). JVM flags: `%s`.\n\n",
                r.lines,
                r.bytes / 1e6,
                (double) r.bytes / r.lines,
                r.flags));
        b.append(
                "| measure | whole process (incl. JVM start) | steady state (after the first 20 %) |\n|---|---|---|\n");
        b.append(String.format(
                Locale.ROOT,
                "| CPU seconds | %.2f | %.2f |\n| lines/s per CPU-second | %,.0f | %,.0f |\n| MB/s per CPU-second | %.1f | %.1f |\n",
                r.cpuSeconds,
                r.steadyCpuSeconds,
                r.linesPerCpuSecond(),
                r.steadyLinesPerCpuSecond(),
                r.mbPerCpuSecond(),
                r.steadyMbPerCpuSecond()));
        b.append(String.format(
                Locale.ROOT,
                "\nWall %.1f s, peak RSS %.1f MB, load %s → %s. Incumbent (Fluent Bit 5.1.1, docker/cri "
                        + "parsers, null output): 1,000,000 lines / 303 MB in 2.55 CPU-s = ~390k lines/s, 119 MB/s per core, 64 MB peak RSS.\n\n",
                r.wallSeconds,
                r.peakRssMb,
                r.loadBefore,
                r.loadAfter));
        ReportSection section = new ReportSection("tail", b.toString());
        section.target(
                "Collector ≥ 390k lines/s (≈119 MB/s) per core on Docker-JSON files",
                String.format(
                        Locale.ROOT,
                        "%,.0f lines/s, %.0f MB/s per CPU-s (whole process); %,.0f lines/s steady",
                        r.linesPerCpuSecond(),
                        r.mbPerCpuSecond(),
                        r.steadyLinesPerCpuSecond()),
                r.linesPerCpuSecond() >= 390_000);
        return section;
    }
}
