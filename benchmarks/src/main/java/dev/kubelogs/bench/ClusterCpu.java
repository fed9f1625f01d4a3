package dev.kubelogs.bench;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU readings of a cluster's job processes from /proc: the TaskManagers' (all their threads, by group, summed over the
 * TaskManagers) and the JobManager's. A process gone reads as nothing.
 */
record ClusterCpu(List<Long> taskManagerPids, long jobManagerPid) {

    /** One reading, CPU nanoseconds since each process started. */
    record Reading(
            long taskManagerNanos,
            long jobManagerNanos,
            Map<String, Long> taskManagerGroups,
            Map<String, Long> jobManagerGroups) {
        long totalNanos() {
            return taskManagerNanos + jobManagerNanos;
        }
    }

    Reading read() {
        Map<String, Long> groups = new TreeMap<>();
        long taskManagers = 0;
        for (long pid : taskManagerPids) {
            Map<String, Long> tm = CpuGroups.processCpuGroups(pid);
            tm.forEach((k, v) -> groups.merge(k, v, Long::sum));
            taskManagers += tm.values().stream().mapToLong(Long::longValue).sum();
        }
        Map<String, Long> jm = CpuGroups.processCpuGroups(jobManagerPid);
        long jobManager = jm.values().stream().mapToLong(Long::longValue).sum();
        return new Reading(taskManagers, jobManager, groups, jm);
    }

    /** The highest peak resident set (VmHWM) of the TaskManagers, in MB. */
    double taskManagerPeakRssMb() {
        double peak = 0;
        for (long pid : taskManagerPids) {
            Proc.Sample s = Proc.read(pid);
            if (s != null) {
                peak = Math.max(peak, s.hwmMb());
            }
        }
        return peak;
    }

    List<Long> allPids() {
        List<Long> all = new java.util.ArrayList<>(taskManagerPids);
        all.add(jobManagerPid);
        return all;
    }
}
