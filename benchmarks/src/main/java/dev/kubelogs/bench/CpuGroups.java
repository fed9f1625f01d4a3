package dev.kubelogs.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** The harness JVM's CPU by thread group: what a job on a MiniCluster in this JVM costs, group by group. */
public final class CpuGroups {
    private CpuGroups() {}

    /** CPU nanoseconds of the job's Java thread groups and of the JVM's native threads ("JVM: GC" …). */
    static Map<String, Long> jobCpuGroups(ThreadCpu threadCpu) {
        Map<String, Long> groups = threadCpu.jobThreadGroups();
        Proc.nativeThreadCpuNanos(Proc.selfPid()).forEach((k, v) -> groups.put("JVM: " + k, v));
        return groups;
    }

    /** Cores used per thread group between two readings, largest first, groups under 1 % of a core left out. */
    static Map<String, Double> coresByGroup(Map<String, Long> start, Map<String, Long> end, double seconds) {
        Map<String, Double> cores = new LinkedHashMap<>();
        end.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), (e.getValue() - start.getOrDefault(e.getKey(), 0L)) / 1e9 / seconds))
                .filter(e -> e.getValue() >= 0.01)
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
