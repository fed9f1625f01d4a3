package dev.kubelogs.bench;

import static dev.kubelogs.bench.ReportText.bytes;
import static dev.kubelogs.bench.ReportText.ms;

import java.util.Locale;

/** The report's sink-alone section: the unpaced and the paced run side by side, and the unpaced run's CPU by thread group. */
final class SinkSection {
    private SinkSection() {}

    static ReportSection render(SinkBench.Result fast, SinkBench.Result paced) {
        StringBuilder b = new StringBuilder("## Sink alone (exactly-once) against the local endpoint\n\n");
        String events = fast.shape.equals("synthetic")
                ? "~250 B synthetic JSON events"
                : "~725 B Container Insights application events (one container, one `kubernetes` block, per stream)";
        String graph = fast.topology.equals("keyed")
                ? "`fromSequence` → " + events
                        + " over 8 streams → keyBy(stream) → `CloudWatchLogsSink` (topology `keyed`: a shuffle, "
                        + "as a user of the sink as a library who keys by stream would)"
                : "`fromSequence` → " + events
                        + " over 8 streams → `CloudWatchLogsSink`, one chain (topology `chained`: production "
                        + "chains the sink to the node processor's output of events)";
        b.append(String.format(
                Locale.ROOT,
                "%s, EXACTLY_ONCE, parallelism 1, checkpoints every %s, the local endpoint in its own JVM "
                        + "(CloudWatch is remote in production). Two runs: unpaced (throughput: the source floods, so each "
                        + "checkpoint carries everything buffered since the last one) and paced at %,.0f events/s (the latency exactly-once "
                        + "adds at a steady rate: events wait for the checkpoint that commits them). The job's bill is the whole job JVM "
                        + "(its JIT and GC included) minus the harness's threads; the endpoint process is reported, not billed. Job JVM "
                        + "flags: `%s`.\n\n",
                graph,
                fast.checkpointInterval.replace("PT", "").toLowerCase(Locale.ROOT),
                paced.rate,
                String.join(" ", fast.jobJvmFlags)));
        if (fast.warmUp != null) {
            b.append("Warm-up in the same JVM before both runs (not a result): ")
                    .append(fast.warmUp)
                    .append(".\n\n");
        }
        b.append("| measure | unpaced | paced |\n|---|---|---|\n");
        b.append(String.format(
                Locale.ROOT,
                "| events / seconds | %,d / %.1f s | %,d / %.1f s |\n",
                fast.events,
                fast.seconds,
                paced.events,
                paced.seconds));
        b.append(String.format(
                Locale.ROOT, "| **events/s** | **%,.0f** | %,.0f |\n", fast.eventsPerSec, paced.eventsPerSec));
        b.append(String.format(
                Locale.ROOT,
                "| job CPU-s, cores (job JVM minus harness threads) | %.1f, %.2f | %.1f, %.2f |\n",
                fast.jobCpuSeconds,
                fast.jobCores,
                paced.jobCpuSeconds,
                paced.jobCores));
        b.append(String.format(
                Locale.ROOT,
                "| **events per CPU-second** (whole run) | **%,.0f** | %,.0f |\n",
                fast.eventsPerCpuSecond,
                paced.eventsPerCpuSecond));
        b.append(String.format(
                Locale.ROOT,
                "| events per CPU-second, steady state (from %.0f %% generated): by events generated … stored in "
                        + "the window | %,.0f … %,.0f | %,.0f … %,.0f |\n",
                SinkBench.STEADY_FROM * 100,
                fast.steadyEventsPerCpuSecond,
                fast.steadyStoredEventsPerCpuSecond,
                paced.steadyEventsPerCpuSecond,
                paced.steadyStoredEventsPerCpuSecond));
        b.append(String.format(
                Locale.ROOT,
                "| JIT / GC share of the bill, whole run | %.0f %% / %.0f %% | %.0f %% / %.0f %% |\n",
                Stats.share(fast.jitCpuSeconds, fast.jobCpuSeconds),
                Stats.share(fast.gcCpuSeconds, fast.jobCpuSeconds),
                Stats.share(paced.jitCpuSeconds, paced.jobCpuSeconds),
                Stats.share(paced.gcCpuSeconds, paced.jobCpuSeconds)));
        b.append(String.format(
                Locale.ROOT,
                "| endpoint process (not billed): CPU-s, RSS peak | %.1f, %.0f MB | %.1f, %.0f MB |\n",
                fast.endpointCpuSeconds,
                fast.endpointPeakRssMb,
                paced.endpointCpuSeconds,
                paced.endpointPeakRssMb));
        b.append("| latency creation → ingestion p50 / p99 / max | " + ms(fast.p50) + " / " + ms(fast.p99) + " / "
                + ms(fast.max) + " | **" + ms(paced.p50) + " / " + ms(paced.p99) + "** / " + ms(paced.max) + " |\n");
        b.append("| stored / missing / duplicated | " + fast.stored + " / " + fast.missing + " / " + fast.duplicated
                + " | " + paced.stored + " / " + paced.missing + " / " + paced.duplicated + " |\n");
        b.append(String.format(
                Locale.ROOT,
                "| checkpoints: count, largest full state | %d, %s | %d, %s |\n",
                fast.checkpoints.size(),
                bytes(fast.checkpoints.stream()
                        .mapToLong(CheckpointMonitor.Checkpoint::stateSize)
                        .max()
                        .orElse(0)),
                paced.checkpoints.size(),
                bytes(paced.checkpoints.stream()
                        .mapToLong(CheckpointMonitor.Checkpoint::stateSize)
                        .max()
                        .orElse(0))));
        b.append("| load before → after | " + fast.loadBefore + " → " + fast.loadAfter + " | " + paced.loadBefore
                + " → " + paced.loadAfter + " |\n\n");
        b.append(
                "The unpaced run's bill by thread group of the job JVM:\n\n| thread group | CPU-s | µs per event |\n|---|---|---|\n");
        fast.jobCpuSecondsByGroup.forEach((group, cpu) -> b.append(String.format(
                Locale.ROOT, "| %s | %.2f | %.2f |\n", group.replace("|", "\\|"), cpu, cpu * 1e6 / fast.events)));
        b.append('\n');
        b.append("Paced run: ").append(CheckpointSummary.text(paced.checkpoints, 0));
        b.append("The committable state per checkpoint is the full state size above: the events of one interval "
                + "(~rate × interval × (event + overhead)).\n\n");
        ReportSection section = new ReportSection("sink", b.toString());
        section.target(
                "Sink ≥ 100k events/s per core with exactly-once",
                String.format(Locale.ROOT, "%,.0f events per CPU-second (unpaced)", fast.eventsPerCpuSecond),
                fast.eventsPerCpuSecond >= 100_000);
        return section;
    }
}
