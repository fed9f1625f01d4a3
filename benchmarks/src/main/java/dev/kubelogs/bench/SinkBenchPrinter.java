package dev.kubelogs.bench;

import java.io.PrintStream;
import java.util.Locale;

/** The sink bench's console lines: a run's result, the steady state, JIT/GC, and the unpaced run's CPU by group. */
final class SinkBenchPrinter {
    private SinkBenchPrinter() {}

    /** The one line a warm-up run gets. */
    static String warmUpLine(SinkBench.Result r) {
        return String.format(
                Locale.ROOT,
                "%,d events (%s) in %.1f s, %.1f job CPU-s (JIT %.1f, GC %.1f) = %,.0f events per "
                        + "cpu-second; missing %d, duplicated %d",
                r.events,
                r.topology,
                r.seconds,
                r.jobCpuSeconds,
                r.jitCpuSeconds,
                r.gcCpuSeconds,
                r.eventsPerCpuSecond,
                r.missing,
                r.duplicated);
    }

    static void print(SinkBench.Result r, PrintStream out) {
        long maxState = r.checkpoints.stream()
                .mapToLong(CheckpointMonitor.Checkpoint::stateSize)
                .max()
                .orElse(0);
        String label = r.rate > 0 ? String.format(Locale.ROOT, "paced at %,.0f events/s", r.rate) : "unpaced";
        out.printf(
                Locale.ROOT,
                "  %s, %s: %,d events in %.1f s = %,.0f events/s with %.2f cores (%.1f job CPU-s) = %,.0f events per "
                        + "cpu-second; latency p50 %.0f ms p99 %.0f ms; missing %d, duplicated %d; %d checkpoints, largest %.1f MB "
                        + "(load %s → %s)%n",
                label,
                r.topology + ", " + r.shape + " events",
                r.events,
                r.seconds,
                r.eventsPerSec,
                r.jobCores,
                r.jobCpuSeconds,
                r.eventsPerCpuSecond,
                r.p50,
                r.p99,
                r.missing,
                r.duplicated,
                r.checkpoints.size(),
                maxState / 1e6,
                r.loadBefore,
                r.loadAfter);
        out.printf(
                Locale.ROOT,
                "    steady state (from %.0f%% generated to the end, %.1f s, %.1f job CPU-s): %,.0f events per "
                        + "cpu-second by the %,d events generated in it (errs against the sink) … %,.0f by the %,d stored in it (errs for it)%n",
                SinkBench.STEADY_FROM * 100,
                r.steadySeconds,
                r.steadyJobCpuSeconds,
                r.steadyEventsPerCpuSecond,
                r.steadyEvents,
                r.steadyStoredEventsPerCpuSecond,
                r.steadyStoredEvents);
        out.printf(
                Locale.ROOT,
                "    JIT/GC in the bill: whole run %.1f/%.1f CPU-s (%.0f%%/%.0f%%), steady %.1f/%.1f CPU-s (%.0f%%/%.0f%%); "
                        + "not billed: harness threads %.1f CPU-s, endpoint process %.1f CPU-s (%.2f cores, RSS peak %.0f MB)%n",
                r.jitCpuSeconds,
                r.gcCpuSeconds,
                Stats.share(r.jitCpuSeconds, r.jobCpuSeconds),
                Stats.share(r.gcCpuSeconds, r.jobCpuSeconds),
                r.steadyJitCpuSeconds,
                r.steadyGcCpuSeconds,
                Stats.share(r.steadyJitCpuSeconds, r.steadyJobCpuSeconds),
                Stats.share(r.steadyGcCpuSeconds, r.steadyJobCpuSeconds),
                r.harnessCpuSeconds,
                r.endpointCpuSeconds,
                r.endpointCpuSeconds / r.seconds,
                r.endpointPeakRssMb);
        if (r.rate <= 0) {
            out.println("    the job JVM's CPU by thread group (whole run): CPU-s, µs per event");
            r.jobCpuSecondsByGroup.forEach((group, cpu) ->
                    out.printf(Locale.ROOT, "      %7.2f %7.2f  %s%n", cpu, cpu * 1e6 / r.events, group));
        }
        out.flush();
    }
}
