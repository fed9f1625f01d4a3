package dev.kubelogs.bench;

import static dev.kubelogs.bench.ReportText.fmt;
import static dev.kubelogs.bench.ReportText.ms;
import static dev.kubelogs.bench.ReportText.row;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** The report's end-to-end section: the run's table, its checkpoints, and its plots (latency, throughput and CPU over
 * time, checkpoint duration and size) written into the results folder. */
final class EndToEndSection {
    private EndToEndSection() {}

    static ReportSection render(EndToEndResult r, Path dir) throws IOException {
        EndToEnd.Spec s = r.spec;
        StringBuilder b = new StringBuilder();
        b.append("## End to end\n\n");
        b.append(String.format(
                Locale.ROOT,
                "%d node(s) × %,.0f lines/s for %s (first %s excluded as warm-up), line sizes `%s`, %.0f %% of lines in Java stack "
                        + "traces (%d–%d frames), container logs rotated by rename every %s, host files by copytruncate every %s, "
                        + "host logs: %s. %s, metadata wait %s, %s. Collectors: one process per node. Node names are picked so the nodes "
                        + "spread evenly over the keyed subtasks (the keyed stage is single-threaded per node), as they do on average in a "
                        + "large cluster.\n\n",
                s.nodes(),
                s.ratePerNode(),
                fmt(s.duration()),
                fmt(s.warmup()),
                s.sizes(),
                s.multilineShare() * 100,
                s.minFrames(),
                s.maxFrames(),
                fmt(s.rotateEvery()),
                fmt(s.copytruncateEvery()),
                s.hostMode().name().toLowerCase(Locale.ROOT),
                jobText(r),
                fmt(s.metadataWait()),
                s.kubelet()
                        ? "pod metadata from a local HTTPS kubelet stand-in per node (application lines enriched)"
                        : "no kubelet (kubernetes block from the file name)"));
        b.append("| measure | value |\n|---|---|\n");
        row(
                b,
                "lines written / records (events expected)",
                String.format(
                        Locale.ROOT, "%,d / %,d (%,d stack traces)", r.linesWritten, r.recordsExpected, r.traces));
        row(b, "rotations (rename) / copytruncates", r.rotations + " / " + r.copytruncates);
        row(b, "offered (written) in the window", String.format(Locale.ROOT, "%,.0f lines/s", r.offeredLinesPerSec));
        row(b, "read by the collectors", String.format(Locale.ROOT, "%,.0f lines/s", r.collectedLinesPerSec));
        row(
                b,
                "**delivered (sustained)**",
                String.format(
                        Locale.ROOT,
                        "**%,.0f lines/s, %.2f MB/s** (raw line bytes)",
                        r.deliveredLinesPerSec,
                        r.mbPerSec));
        row(
                b,
                "CPU used: job (" + jobCpuText(r) + ") + collectors",
                String.format(
                        Locale.ROOT,
                        "%.2f + %.2f = %.2f cores",
                        r.jobCores,
                        r.collectorCores,
                        r.jobCores + r.collectorCores));
        if (r.onCluster()) {
            row(
                    b,
                    "of the job's CPU: TaskManagers / JobManager (coordination)",
                    String.format(Locale.ROOT, "%.2f / %.2f cores", r.taskManagerCores, r.jobManagerCores));
            row(
                    b,
                    "start-up, not in any window: job processes' CPU from JVM start to the first generated line",
                    String.format(Locale.ROOT, "%.1f CPU-s", r.startupCpuSeconds));
        }
        row(
                b,
                "stand-ins (not counted): local endpoint / generator",
                String.format(Locale.ROOT, "%.2f / %.2f cores", r.endpointCores, r.generatorCores));
        if (!Double.isNaN(r.kinesisServerCores)) {
            row(
                    b,
                    "transport stand-in (not counted): the local Kinesis server",
                    String.format(Locale.ROOT, "%.2f cores", r.kinesisServerCores));
        }
        if (!Double.isNaN(r.kinesisPutsPerSecond)) {
            row(b, "Kinesis puts by the collectors (the stream's bill)", kinesisPutsText(r));
        }
        row(
                b,
                "**lines/s per core used** (job + collectors)",
                String.format(Locale.ROOT, "**%,.0f**", r.linesPerSecPerCore));
        row(
                b,
                "warm-up (first " + fmt(s.warmup())
                        + ", reported apart): job + collectors, lines written per CPU-second",
                String.format(
                        Locale.ROOT,
                        "%.2f + %.2f cores, %,.0f",
                        r.warmupJobCores,
                        r.warmupCollectorCores,
                        r.warmupLinesPerCpuSecond));
        for (Map.Entry<String, Double> t : r.jobThreadCores.entrySet()) {
            row(
                    b,
                    (r.onCluster() ? "of the TaskManagers' CPU: thread(s) " : "of the job's CPU: thread(s) ")
                            + t.getKey().replace("|", "/"),
                    String.format(Locale.ROOT, r.onCluster() ? "%.3f cores" : "%.2f cores", t.getValue()));
        }
        for (Map.Entry<String, Double> t : r.jobManagerThreadCores.entrySet()) {
            row(
                    b,
                    "of the JobManager's CPU: thread(s) " + t.getKey().replace("|", "/"),
                    String.format(Locale.ROOT, "%.3f cores", t.getValue()));
        }
        row(
                b,
                "lines/s per core: job alone / collectors alone",
                String.format(Locale.ROOT, "%,.0f / %,.0f", r.jobLinesPerSecPerCore, r.collectorLinesPerSecPerCore));
        row(
                b,
                "**latency p50 / p95 / p99 / max** (write → endpoint ingestion, after warm-up)",
                String.format(Locale.ROOT, "**%s / %s / %s** / %s", ms(r.p50), ms(r.p95), ms(r.p99), ms(r.pMax)));
        row(b, "p99 in the last third of the run", ms(r.p99LastThird));
        if (!Double.isNaN(r.afterCheckpointP50)) {
            row(
                    b,
                    "of which after the checkpoint: completion → ingestion p50 / p99 (the commit)",
                    ms(r.afterCheckpointP50) + " / " + ms(r.afterCheckpointP99));
        }
        row(b, "**lost / duplicated** (by content)", String.format(Locale.ROOT, "**%d / %d**", r.lost, r.duplicated));
        if (r.lost > 0) {
            row(b, "lost by source (first tokens)", r.lostBySource + " " + r.lostSamples);
        }
        row(
                b,
                "events without a token / stack traces broken / dead letters",
                r.unknown + " / " + r.brokenTraces + " of " + r.tracesChecked + " / " + r.deadLetters);
        row(b, "events per log group", r.eventsByGroup.toString());
        row(
                b,
                "collector RSS: peak (VmHWM) / mean in window",
                String.format(Locale.ROOT, "%.1f / %.1f MB", r.collectorPeakRssMb, r.collectorSteadyRssMb));
        if (r.onCluster()) {
            row(
                    b,
                    "TaskManager peak RSS (VmHWM, the highest)",
                    String.format(Locale.ROOT, "%.0f MB", r.taskManagerPeakRssMb));
        }
        row(
                b,
                r.onCluster()
                        ? "harness JVM peak RSS (endpoint with its last 2 min of events, delivery check, generator; not the job)"
                        : "harness JVM peak RSS (job, endpoint with its last 2 min of events, delivery check, generator)",
                String.format(Locale.ROOT, "%.0f MB", r.harnessPeakRssMb));
        row(
                b,
                "generator max backlog / drain after generation",
                String.format(Locale.ROOT, "%,d lines / %.1f s", r.generatorMaxBacklog, r.drainSeconds));
        row(
                b,
                "load average before → after (mean 1-min during)",
                r.loadBefore + " → " + r.loadAfter + String.format(Locale.ROOT, " (%.2f)", r.loadAvgDuring));
        if (r.error != null) {
            row(b, "error", r.error);
        }
        if (!r.unknownSamples.isEmpty()) {
            row(b, "sample event without token", "`" + r.unknownSamples.get(0).replace("|", "\\|") + "`");
        }
        b.append('\n');
        if (r.onCluster()) {
            b.append(CpuGroups.KERNEL_NAMES_NOTE).append("\n\n");
        }
        b.append(CheckpointSummary.text(r.checkpoints, r.checkpointsFailed));
        if (r.checkpointsFailed > 0) {
            b.append("Failed checkpoints: ")
                    .append(
                            r.checkpointFailures.isEmpty()
                                    ? "no failure message in the REST history (a checkpoint declined at trigger time, typically the first one "
                                            + "while tasks are still starting, or one cut short when the bounded job finishes)"
                                    : String.join("; ", r.checkpointFailures).replace("|", "/"))
                    .append(".\n\n");
        }

        String note = String.format(
                Locale.ROOT,
                "%d node(s) × %,.0f lines/s, checkpoints %s, job on a %s, transport %s; load %s → %s",
                s.nodes(),
                s.ratePerNode(),
                checkpoints(r),
                r.jobTopology,
                r.transport,
                r.loadBefore,
                r.loadAfter);
        int n = r.latencyOverTime.size();
        double[] t = new double[n];
        double[] p50 = new double[n];
        double[] p95 = new double[n];
        double[] p99 = new double[n];
        for (int i = 0; i < n; i++) {
            double[] v = r.latencyOverTime.get(i);
            t[i] = v[0];
            p50[i] = v[1] / 1000;
            p95[i] = v[2] / 1000;
            p99[i] = v[3] / 1000;
        }
        new Charts.Chart(
                        "End-to-end latency percentiles over time",
                        "seconds since start (by write time)",
                        "latency (s)")
                .note(note)
                .add(Charts.Series.line("p50", t, p50))
                .add(Charts.Series.line("p95", t, p95))
                .add(Charts.Series.line("p99", t, p99))
                .xFromZero()
                .write(dir.resolve("e2e-latency-over-time.png"));
        int m = r.ticks.size();
        double[] tt = new double[m];
        double[] wr = new double[m];
        double[] co = new double[m];
        double[] de = new double[m];
        double[] cores = new double[m];
        double[] ccores = new double[m];
        for (int i = 0; i < m; i++) {
            EndToEndResult.Tick k = r.ticks.get(i);
            tt[i] = k.t();
            double dt = i == 0 ? k.t() : k.t() - r.ticks.get(i - 1).t();
            long pw = i == 0 ? 0 : r.ticks.get(i - 1).written();
            long pc = i == 0 ? 0 : r.ticks.get(i - 1).collected();
            long pd = i == 0 ? 0 : r.ticks.get(i - 1).delivered();
            wr[i] = (k.written() - pw) / dt;
            co[i] = (k.collected() - pc) / dt;
            de[i] = (k.delivered() - pd) / dt;
            cores[i] = k.jobCores();
            ccores[i] = k.collectorCores();
        }
        new Charts.Chart("Throughput over time", "seconds since start", "per second")
                .note(note
                        + "; stored events arrive in bursts at each checkpoint's commit: shown as a 6-s moving average "
                        + "(a stack trace is one event); the collectors' counters are read every "
                        + Sampler.COLLECTOR_READ_EVERY_TICKS + " s: shown as a moving average over that")
                .add(Charts.Series.line("lines written", tt, wr))
                .add(Charts.Series.line(
                        "lines read by collectors (" + Sampler.COLLECTOR_READ_EVERY_TICKS + "-s avg)",
                        tt,
                        movingAverage(co, Sampler.COLLECTOR_READ_EVERY_TICKS)))
                .add(Charts.Series.line("events stored by the endpoint (6-s avg)", tt, movingAverage(de, 6)))
                .xFromZero()
                .write(dir.resolve("e2e-throughput-over-time.png"));
        new Charts.Chart("CPU over time", "seconds since start", "cores")
                .note(note)
                .add(Charts.Series.line("job (" + jobCpuText(r) + ")", tt, cores))
                .add(Charts.Series.line("collectors (all processes)", tt, ccores))
                .xFromZero()
                .write(dir.resolve("e2e-cpu-over-time.png"));
        if (!r.sampleEvents.isEmpty()) {
            b.append("<details><summary>One stored event per log group (as it landed)</summary>\n\n");
            r.sampleEvents.forEach((g, msg) ->
                    b.append("`").append(g).append("`\n```json\n").append(msg).append("\n```\n"));
            b.append("</details>\n\n");
        }
        b.append(
                "![latency](e2e-latency-over-time.png)\n\n![throughput](e2e-throughput-over-time.png)\n\n![cpu](e2e-cpu-over-time.png)\n\n");
        if (!r.checkpoints.isEmpty()) {
            long first = r.checkpoints.get(0).triggerMillis();
            int c = r.checkpoints.size();
            double[] ct = new double[c];
            double[] cd = new double[c];
            double[] cs = new double[c];
            for (int i = 0; i < c; i++) {
                ct[i] = (r.checkpoints.get(i).triggerMillis() - first) / 1000.0;
                cd[i] = r.checkpoints.get(i).durationMillis();
                cs[i] = r.checkpoints.get(i).stateSize() / 1e6;
            }
            new Charts.Chart("Checkpoint duration", "seconds since first checkpoint", "end-to-end duration (ms)")
                    .note(note)
                    .add(Charts.Series.points("duration", ct, cd))
                    .xFromZero()
                    .write(dir.resolve("e2e-checkpoint-duration.png"));
            new Charts.Chart("Checkpoint size", "seconds since first checkpoint", "state size (MB)")
                    .note(note)
                    .add(Charts.Series.points("full state size", ct, cs))
                    .xFromZero()
                    .write(dir.resolve("e2e-checkpoint-size.png"));
            b.append(
                    "![checkpoint duration](e2e-checkpoint-duration.png)\n\n![checkpoint size](e2e-checkpoint-size.png)\n\n");
        }
        ReportSection section = new ReportSection("e2e", b.toString());
        section.target(
                "End to end ≥ 100k lines/s per core used",
                String.format(
                        Locale.ROOT,
                        "%,.0f lines/s per core at %,.0f lines/s offered "
                                + "(not a saturation number: see the search)",
                        r.linesPerSecPerCore,
                        r.offeredLinesPerSec),
                r.linesPerSecPerCore >= 100_000);
        section.target(
                r.onCluster()
                        ? "p99 ≤ 5 s at the run's settings (the shipped ones unless given)"
                        : "p99 ≤ 5 s with 2 s checkpoints",
                ms(r.p99) + " (checkpoints " + checkpoints(r) + ")",
                r.p99 <= 5000);
        section.target(
                "0 lost, 0 duplicated",
                r.lost + " lost, " + r.duplicated + " duplicated (e2e run)",
                r.lost == 0 && r.duplicated == 0 && r.error == null);
        return section;
    }

    /** Where the job ran and with what, for the section's first paragraph. */
    static String jobText(EndToEndResult r) {
        EndToEnd.Spec s = r.spec;
        if (r.onCluster()) {
            return "Job: on a Flink cluster of its own processes (ZooKeeper, JobManager, TaskManagers), as production runs "
                    + "it, with " + String.join("; ", r.settingsUsed);
        }
        return String.format(
                Locale.ROOT,
                "Job: on a MiniCluster in the harness JVM, parallelism %d, checkpoints every %s, %s state backend, spool "
                        + "discovery every %s",
                s.parallelism(),
                fmt(s.checkpointInterval()),
                s.stateBackend(),
                fmt(s.discoveryInterval()));
    }

    /** The checkpoint interval the job ran with (the spec's when the run did not record one). */
    static String checkpoints(EndToEndResult r) {
        return r.checkpointIntervalUsed != null ? r.checkpointIntervalUsed : fmt(r.spec.checkpointInterval());
    }

    /** What the job's CPU is in this run. */
    static String jobCpuText(EndToEndResult r) {
        return r.onCluster()
                ? "TaskManager and JobManager processes, every thread, JIT and GC included"
                : "MiniCluster JVM minus endpoint/generator/harness threads";
    }

    /** The mean of the last {@code w} finite values up to each position (NaN where there is none). */
    static double[] movingAverage(double[] v, int w) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            double sum = 0;
            int n = 0;
            for (int j = Math.max(0, i - w + 1); j <= i; j++) {
                if (Double.isFinite(v[j])) {
                    sum += v[j];
                    n++;
                }
            }
            out[i] = n == 0 ? Double.NaN : sum / n;
        }
        return out;
    }

    /** The collectors' PutRecord calls in the window, per second and per day, with their mean payload. */
    static String kinesisPutsText(EndToEndResult r) {
        double perRecord = r.kinesisPutsPerSecond > 0 ? r.kinesisPutBytesPerSecond / r.kinesisPutsPerSecond : 0;
        return String.format(
                Locale.ROOT,
                "%.2f PutRecord/s (%,.0f a day), %,.0f bytes/s, %,.0f bytes a record on average%s",
                r.kinesisPutsPerSecond,
                r.kinesisPutsPerSecond * 86_400,
                r.kinesisPutBytesPerSecond,
                perRecord,
                r.kinesisPutsComplete ? "" : " (a collector did not answer: a lower bound)");
    }
}
