package dev.kubelogs.bench.loop;

/**
 * A thread's CPU nanoseconds and allocated bytes: a reading of {@link CpuClock} ({@link #now()}), or what the thread
 * spent between two readings ({@link #elapsed()}, {@link #minus}).
 */
public record ThreadCost(long cpuNanos, long allocatedBytes) {
    public static final ThreadCost ZERO = new ThreadCost(0, 0);

    /** The calling thread's CPU time and allocated bytes so far. */
    public static ThreadCost now() {
        return new ThreadCost(CpuClock.threadNanos(), CpuClock.threadAllocatedBytes());
    }

    /** What the calling thread spent since this reading was taken (on the same thread). */
    public ThreadCost elapsed() {
        return now().minus(this);
    }

    public ThreadCost minus(ThreadCost other) {
        return new ThreadCost(cpuNanos - other.cpuNanos, allocatedBytes - other.allocatedBytes);
    }

    public ThreadCost plus(ThreadCost other) {
        return new ThreadCost(cpuNanos + other.cpuNanos, allocatedBytes + other.allocatedBytes);
    }

    /** CPU nanoseconds per unit of work (a sample, a line, an event). */
    public double cpuNanosPer(double units) {
        return cpuNanos / units;
    }

    /** Allocated bytes per unit of work. */
    public double allocatedBytesPer(double units) {
        return allocatedBytes / units;
    }
}
