package dev.kubelogs.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU readings of a cluster's job processes from /proc: the TaskManagers' (all their threads, by group, summed over the
 * TaskManagers) and the JobManager's. A process gone reads as nothing.
 */
record ClusterCpu(List<Long> taskManagerPids, long jobManagerPid) {

    /**
     * One reading, CPU nanoseconds since each process started, and each process's threads (the TaskManagers' in the
     * order of {@link #taskManagerPids}), from which {@link #taskManagerGroupsSince} tells a window's CPU by group.
     */
    record Reading(
            long taskManagerNanos,
            long jobManagerNanos,
            Map<String, Long> taskManagerGroups,
            Map<String, Long> jobManagerGroups,
            List<CpuGroups.ProcessThreads> taskManagerThreads,
            CpuGroups.ProcessThreads jobManagerThreads) {

        /** A reading of the totals and groups alone (its window's groups are the difference of the two). */
        Reading(
                long taskManagerNanos,
                long jobManagerNanos,
                Map<String, Long> taskManagerGroups,
                Map<String, Long> jobManagerGroups) {
            this(taskManagerNanos, jobManagerNanos, taskManagerGroups, jobManagerGroups, List.of(), null);
        }

        long totalNanos() {
            return taskManagerNanos + jobManagerNanos;
        }

        /**
         * The TaskManagers' CPU nanoseconds by group from {@code start} to this reading, thread by thread
         * ({@link CpuGroups.ProcessThreads#since}), summed over the TaskManagers: a thread that ended in between is
         * billed only what it used after {@code start}, and no group is billed less than nothing.
         */
        Map<String, Long> taskManagerGroupsSince(Reading start) {
            if (taskManagerThreads.isEmpty() || start.taskManagerThreads.size() != taskManagerThreads.size()) {
                return difference(start.taskManagerGroups, taskManagerGroups);
            }
            Map<String, Long> groups = new TreeMap<>();
            for (int i = 0; i < taskManagerThreads.size(); i++) {
                taskManagerThreads
                        .get(i)
                        .since(start.taskManagerThreads.get(i))
                        .forEach((k, v) -> groups.merge(k, v, Long::sum));
            }
            return groups;
        }

        /** The JobManager's CPU nanoseconds by group from {@code start} to this reading, as for the TaskManagers. */
        Map<String, Long> jobManagerGroupsSince(Reading start) {
            if (jobManagerThreads == null || start.jobManagerThreads == null) {
                return difference(start.jobManagerGroups, jobManagerGroups);
            }
            return jobManagerThreads.since(start.jobManagerThreads);
        }

        private static Map<String, Long> difference(Map<String, Long> start, Map<String, Long> end) {
            Map<String, Long> groups = new TreeMap<>();
            end.forEach((k, v) -> groups.put(k, v - start.getOrDefault(k, 0L)));
            return groups;
        }
    }

    Reading read() {
        Map<String, Long> groups = new TreeMap<>();
        List<CpuGroups.ProcessThreads> threads = new ArrayList<>();
        long taskManagers = 0;
        for (long pid : taskManagerPids) {
            CpuGroups.ProcessThreads tm = CpuGroups.ProcessThreads.read(pid);
            threads.add(tm);
            tm.groups().forEach((k, v) -> groups.merge(k, v, Long::sum));
            taskManagers += tm.totalNanos();
        }
        CpuGroups.ProcessThreads jm = CpuGroups.ProcessThreads.read(jobManagerPid);
        return new Reading(taskManagers, jm.totalNanos(), groups, jm.groups(), List.copyOf(threads), jm);
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
        List<Long> all = new ArrayList<>(taskManagerPids);
        all.add(jobManagerPid);
        return all;
    }
}
