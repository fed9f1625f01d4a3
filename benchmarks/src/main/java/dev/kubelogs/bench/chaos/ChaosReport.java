package dev.kubelogs.bench.chaos;

import java.util.Locale;

/** The drill's verdict as markdown: the counts by content, then one row per fault. */
final class ChaosReport {
    private ChaosReport() {}

    static String markdown(ChaosRun.Options options, ChaosRun.Result r, java.util.List<String> plots) {
        StringBuilder b = new StringBuilder();
        b.append("## Chaos drill\n\n");
        long seed = options.schedule().seed();
        b.append(format(
                "%d nodes × %.0f lines/s for %d s, checkpoints every %s, %d TaskManagers (tm-lost: %s), job "
                        + "parallelism %d, seed %d (replay: `--seed %d` with the same options). Verdict: **%s**.%n%n",
                options.nodes(),
                options.ratePerNode(),
                options.duration().toSeconds(),
                options.checkpointInterval(),
                options.taskManagers(),
                options.tmLost().name().toLowerCase(Locale.ROOT),
                options.parallelism(),
                seed,
                seed,
                r.passed() ? "PASSED" : "FAILED"));
        if (r.error() != null) {
            b.append("Error: `").append(r.error()).append("`\n\n");
        }
        if (r.counts() != null) {
            var c = r.counts();
            b.append("| lines written | records expected | events found | lost | duplicated | stack traces checked "
                    + "| broken | unknown | dead letters |\n");
            b.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            b.append(format(
                    "| %,d | %,d | %,d | %,d | %,d | %,d | %,d | %,d | %,d |%n%n",
                    r.linesWritten(),
                    r.recordsExpected(),
                    c.events(),
                    c.lost(),
                    c.duplicated(),
                    c.tracesChecked(),
                    c.brokenTraces(),
                    c.unknown(),
                    c.deadLetters()));
            b.append(format(
                    "Spool full: the collectors paused tailing %d time(s) at their %,d-byte spool limit "
                            + "(back-pressure while the job was down or slow).%n%n",
                    r.spoolFullPauses(), options.spoolMaxBytes()));
            if (!r.lostSamples().isEmpty()) {
                b.append("Lost, first few: ")
                        .append(String.join(", ", r.lostSamples()))
                        .append("\n\n");
            }
        }
        b.append(byKind(r.outcomes()));
        b.append(load(r.samples()));
        b.append("| # | fault | target | at (s) | healed after (s) | recovered after (s) | latency peak (s) "
                + "| checkpoints failed | note |\n");
        b.append("|---:|---|---|---:|---:|---:|---:|---:|---|\n");
        for (Outcome o : r.outcomes()) {
            b.append(format(
                    "| %d | %s | %s | %.1f | %.1f | %s | %s | %d | %s |%n",
                    o.fault().id(),
                    o.fault().kind().id(),
                    o.fault().targetName(),
                    o.fault().at().toMillis() / 1000.0,
                    (o.healedMillis() - o.injectedMillis()) / 1000.0,
                    seconds(o.recoveredMillis(), "not seen"),
                    seconds(o.latencyPeakMillis(), "–"),
                    o.checkpointsFailed(),
                    o.note().replace("|", "/")));
        }
        for (String plot : plots) {
            b.append("\n![").append(plot).append("](").append(plot).append(")\n");
        }
        b.append("\nRecovered: Flink faults when the job runs and a checkpoint triggered after the fault completed; "
                + "collectors when the restarted process serves its metrics; endpoint faults when its switches are "
                + "used up and stored events grow again. Latency peak: the highest write-to-ingestion latency of the "
                + "events ingested from the fault until 5 s after recovery.\n");
        return b.toString();
    }

    /** One row per fault kind: how often it hit, how often the pipeline was seen to recover, the worst of each. */
    static String byKind(java.util.List<Outcome> outcomes) {
        java.util.Map<FaultKind, java.util.List<Outcome>> kinds = new java.util.TreeMap<>();
        for (Outcome o : outcomes) {
            kinds.computeIfAbsent(o.fault().kind(), k -> new java.util.ArrayList<>())
                    .add(o);
        }
        StringBuilder b = new StringBuilder();
        b.append(
                "| fault | injected | recovered | recovery (s), each | worst latency peak (s) | checkpoints failed |\n");
        b.append("|---|---:|---:|---|---:|---:|\n");
        kinds.forEach((kind, list) -> b.append(format(
                "| %s | %d | %d | %s | %s | %d |%n",
                kind.id(),
                list.size(),
                list.stream().filter(o -> o.recoveredMillis() >= 0).count(),
                String.join(
                        ", ",
                        list.stream()
                                .map(o -> seconds(o.recoveredMillis(), "not seen"))
                                .toList()),
                seconds(
                        list.stream()
                                .mapToLong(Outcome::latencyPeakMillis)
                                .max()
                                .orElse(-1),
                        "–"),
                list.stream().mapToLong(Outcome::checkpointsFailed).sum())));
        return b.append('\n').toString();
    }

    /** The machine's 1-minute load average over the drill: its range and mean. */
    static String load(java.util.List<Monitor.Sample> samples) {
        java.util.DoubleSummaryStatistics l = samples.stream()
                .mapToDouble(Monitor.Sample::load1)
                .filter(Double::isFinite)
                .summaryStatistics();
        if (l.getCount() == 0) {
            return "";
        }
        return format(
                "Load average (1 min) during the drill: %.1f–%.1f, mean %.1f (%d cores).%n%n",
                l.getMin(), l.getMax(), l.getAverage(), Runtime.getRuntime().availableProcessors());
    }

    private static String seconds(long millis, String none) {
        return millis < 0 ? none : format("%.1f", millis / 1000.0);
    }

    private static String format(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
