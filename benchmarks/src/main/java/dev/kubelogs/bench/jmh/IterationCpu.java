package dev.kubelogs.bench.jmh;

import dev.kubelogs.bench.loop.CpuClock;
import java.util.Locale;

/**
 * Operations per CPU-second of the benchmark thread, per JMH iteration: JMH scores wall-clock throughput, which a
 * loaded machine lowers; the thread's CPU time is what one core does. Printed as {@code cpu: N ops per CPU-second}.
 */
final class IterationCpu {
    private long cpuStart = -1;
    private long ops;

    /** Counts {@code n} operations, starting the clock at the first call of an iteration. */
    void add(long n) {
        if (cpuStart < 0) {
            cpuStart = CpuClock.threadNanos();
        }
        ops += n;
    }

    /** Prints the iteration's figure and starts over; call from a {@code @TearDown(Level.Iteration)} method. */
    void endIteration(String what) {
        if (cpuStart >= 0) {
            double seconds = (CpuClock.threadNanos() - cpuStart) / 1e9;
            System.out.printf(
                    Locale.ROOT,
                    "cpu: %.0f %s per CPU-second of the thread (%d in %.2f CPU-s)%n",
                    ops / seconds,
                    what,
                    ops,
                    seconds);
        }
        cpuStart = -1;
        ops = 0;
    }
}
