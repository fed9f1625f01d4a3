package dev.kubelogs.bench.loop;

import java.lang.management.ManagementFactory;

/**
 * The clocks the one-JVM loops bill by: this process's CPU time (every thread of the JVM: task threads, network, JIT,
 * GC), this thread's CPU time, and the bytes this thread allocated. Thread CPU time and allocation counting are
 * switched on when this class loads; a JVM that cannot measure them fails the reading instead of billing -1.
 */
public final class CpuClock {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    static {
        if (THREADS.isThreadCpuTimeSupported()) {
            THREADS.setThreadCpuTimeEnabled(true);
        }
        if (THREADS.isThreadAllocatedMemorySupported()) {
            THREADS.setThreadAllocatedMemoryEnabled(true);
        }
    }

    private CpuClock() {}

    /** CPU nanoseconds of every thread of this JVM so far. */
    public static long processNanos() {
        return measured(PROCESS.getProcessCpuTime(), "the process's CPU time");
    }

    /** CPU nanoseconds of the calling thread so far. */
    public static long threadNanos() {
        return measured(THREADS.getCurrentThreadCpuTime(), "a thread's CPU time");
    }

    /** Bytes the calling thread has allocated so far. */
    public static long threadAllocatedBytes() {
        return measured(THREADS.getCurrentThreadAllocatedBytes(), "a thread's allocated bytes");
    }

    /** The thread bean with CPU time and allocation counting on, for loops that bill every thread by name. */
    public static com.sun.management.ThreadMXBean threads() {
        return THREADS;
    }

    private static long measured(long reading, String what) {
        if (reading < 0) {
            throw new IllegalStateException("this JVM does not measure " + what);
        }
        return reading;
    }
}
