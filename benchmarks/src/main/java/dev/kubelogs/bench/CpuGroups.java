package dev.kubelogs.bench;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU by thread group: of the harness JVM (what a job on a MiniCluster in this JVM costs, group by group), or of another
 * process from /proc (a TaskManager of a cluster, all of whose threads are the job's).
 */
public final class CpuGroups {
    /** The group of a process's threads that ended: the process's CPU time less that of its live threads. */
    static final String ENDED = "(threads that ended)";

    /** What a breakdown by the kernel's thread names cannot tell apart, for the report. */
    static final String KERNEL_NAMES_NOTE = "Thread names as the kernel keeps them: cut to 15 characters and digits "
            + "folded to #, so the subtasks of one operator chain are one group (their \"(1/4)\" suffix is cut off), "
            + "as are pools whose names differ only after the 15th character (e.g. Flink's RPC dispatchers, "
            + "\"flink-pekko.act…\"); chains whose names share their first 15 characters cannot be told apart.";

    private CpuGroups() {}

    /**
     * One reading of a process's threads: each live thread by id, and the process's CPU time (that of its live threads
     * and of those that ended). A process that is gone reads as no threads and 0.
     */
    record ProcessThreads(Map<Long, Proc.ThreadTime> live, long totalNanos) {
        static final ProcessThreads GONE = new ProcessThreads(Map.of(), 0);

        static ProcessThreads read(long pid) {
            Map<Long, Proc.ThreadTime> live = new HashMap<>();
            for (Proc.ThreadTime t : Proc.threads(pid)) {
                live.put(t.tid(), t);
            }
            // read after the threads: the total then covers at least what they showed
            Proc.Sample total = Proc.read(pid);
            return total == null ? GONE : new ProcessThreads(Map.copyOf(live), total.cpuNanos());
        }

        /**
         * CPU nanoseconds of every thread by group since the process started: the JVM's native threads as "JVM: GC",
         * "JIT", "RocksDB", "VM" ({@link Proc#nativeKind}), the others by {@link #kernelNameGroup}, and {@link #ENDED}.
         * Empty when the process is gone.
         */
        Map<String, Long> groups() {
            return this == GONE ? Map.of() : between(GONE, this);
        }

        /**
         * CPU nanoseconds used by group between {@code start} and this later reading of the same process, thread by
         * thread: a live thread's growth goes to its group (from 0 if it started in between), and {@link #ENDED} is
         * what the process used beyond that: the threads that ended in between, from {@code start} on. So a
         * long-lived thread that ends in the window leaves only its CPU in the window behind, not all it ever used,
         * and no group shrinks. Empty when the process is gone.
         */
        Map<String, Long> since(ProcessThreads start) {
            return this == GONE ? Map.of() : between(start, this);
        }

        private static Map<String, Long> between(ProcessThreads start, ProcessThreads end) {
            Map<String, Long> groups = new TreeMap<>();
            long live = 0;
            for (Proc.ThreadTime t : end.live.values()) {
                Proc.ThreadTime before = start.live.get(t.tid());
                // a thread id the kernel gave again to a new thread starts from 0
                long from = before != null && before.comm().equals(t.comm()) && before.cpuNanos() <= t.cpuNanos()
                        ? before.cpuNanos()
                        : 0;
                String kind = Proc.nativeKind(t.comm());
                groups.merge(kind != null ? "JVM: " + kind : kernelNameGroup(t.comm()), t.cpuNanos() - from, Long::sum);
                live += t.cpuNanos() - from;
            }
            groups.put(ENDED, Math.max(0, end.totalNanos - start.totalNanos - live));
            return groups;
        }
    }

    /**
     * CPU nanoseconds of every thread of process {@code pid} by group since it started ({@link ProcessThreads#groups}).
     * Empty when the process is gone.
     */
    static Map<String, Long> processCpuGroups(long pid) {
        return ProcessThreads.read(pid).groups();
    }

    /** A thread's group from its kernel name: digits folded, so numbered threads of one pool are one group. */
    static String kernelNameGroup(String comm) {
        return comm.replaceAll("\\d+", "#");
    }

    /** CPU nanoseconds of the job's Java thread groups and of the JVM's native threads ("JVM: GC" …). */
    static Map<String, Long> jobCpuGroups(ThreadCpu threadCpu) {
        Map<String, Long> groups = threadCpu.jobThreadGroups();
        Proc.nativeThreadCpuNanos(Proc.selfPid()).forEach((k, v) -> groups.put("JVM: " + k, v));
        return groups;
    }

    /** Cores used per thread group between two readings, largest first, groups under 1 % of a core left out. */
    static Map<String, Double> coresByGroup(Map<String, Long> start, Map<String, Long> end, double seconds) {
        return coresByGroup(start, end, seconds, 0.01);
    }

    /** Cores used per thread group between two readings, largest first, groups under {@code minCores} left out. */
    static Map<String, Double> coresByGroup(
            Map<String, Long> start, Map<String, Long> end, double seconds, double minCores) {
        Map<String, Double> cores = new LinkedHashMap<>();
        end.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), (e.getValue() - start.getOrDefault(e.getKey(), 0L)) / 1e9 / seconds))
                .filter(e -> e.getValue() >= minCores)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> cores.put(e.getKey(), e.getValue()));
        return cores;
    }

    /**
     * CPU-seconds per thread group between two readings, largest first, under 0.01 CPU-s left out; "other" is the rest
     * of the bill (those small groups, JVM service threads, native threads that ended, threads' last 250 ms).
     */
    static Map<String, Double> cpuSecondsByGroup(
            Map<String, Long> start, Map<String, Long> end, double billCpuSeconds) {
        // cores over one second are CPU-seconds
        Map<String, Double> groups = CpuGroups.coresByGroup(start, end, 1.0);
        groups.put(
                "other",
                billCpuSeconds
                        - groups.values().stream()
                                .mapToDouble(Double::doubleValue)
                                .sum());
        return groups;
    }
}
