package dev.kubelogs.bench;

import java.io.PrintStream;
import java.util.Locale;

/** The console summary of an end-to-end run: throughput and cores, the job's CPU by thread, latency, losses. */
final class RunSummary {
    private RunSummary() {}

    static void print(EndToEndResult r, PrintStream out) {
        EndToEnd.say(
                out,
                "  delivered %,.0f lines/s (%.2f MB/s) with %.2f cores (job %.2f, of which GC %.2f, + collectors %.2f) = %,.0f lines/s per core",
                r.deliveredLinesPerSec,
                r.mbPerSec,
                r.jobCores + r.collectorCores,
                r.jobCores,
                r.gcCores,
                r.collectorCores,
                r.linesPerSecPerCore);
        if (r.onCluster()) {
            EndToEnd.say(
                    out,
                    "  job on its own processes: TaskManagers %.2f + JobManager %.2f cores; start-up %.1f CPU-s before "
                            + "generation; warm-up %.2f + %.2f cores, %,.0f lines written per CPU-second",
                    r.taskManagerCores,
                    r.jobManagerCores,
                    r.startupCpuSeconds,
                    r.warmupJobCores,
                    r.warmupCollectorCores,
                    r.warmupLinesPerCpuSecond);
        }
        if (!Double.isNaN(r.kinesisServerCores)) {
            EndToEnd.say(
                    out,
                    "  transport kinesis: the local Kinesis server used %.2f cores (not billed)",
                    r.kinesisServerCores);
        }
        if (!Double.isNaN(r.kinesisPutsPerSecond)) {
            EndToEnd.say(out, "  %s", EndToEndSection.kinesisPutsText(r));
        }
        StringBuilder threads = new StringBuilder();
        r.jobThreadCores.forEach(
                (name, cores) -> threads.append(String.format(Locale.ROOT, "%n    %.2f %s", cores, name)));
        EndToEnd.say(
                out, r.onCluster() ? "  the TaskManagers' CPU by thread:%s" : "  the job's CPU by thread:%s", threads);
        if (r.onCluster()) {
            StringBuilder jm = new StringBuilder();
            r.jobManagerThreadCores.forEach(
                    (name, cores) -> jm.append(String.format(Locale.ROOT, "%n    %.3f %s", cores, name)));
            EndToEnd.say(out, "  the JobManager's CPU by thread:%s", jm);
        }
        EndToEnd.say(
                out,
                "  latency p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms; lost %d, duplicated %d, unknown %d, broken traces %d of %d",
                r.p50,
                r.p95,
                r.p99,
                r.pMax,
                r.lost,
                r.duplicated,
                r.unknown,
                r.brokenTraces,
                r.tracesChecked);
        if (r.lost > 0) {
            EndToEnd.say(out, "  lost by source: %s, e.g. %s", r.lostBySource, r.lostSamples);
        }
        if (!r.collectorsCaughtUp) {
            EndToEnd.say(out, "  the collectors never read everything that was written (timed out waiting)");
        }
        EndToEnd.say(
                out,
                "  checkpoints %d completed, %d failed; load %s → %s",
                r.checkpoints.size(),
                r.checkpointsFailed,
                r.loadBefore,
                r.loadAfter);
    }
}
