package dev.kubelogs.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * Splits this JVM's CPU time by thread name, so the pipeline's share can be told from the stand-ins that share the
 * JVM: {@code endpoint} (the local CloudWatch endpoint: cwlocal-* and the JDK HTTP server's dispatcher; the spool-cost
 * part's S3 endpoint: S3Proxy-*),
 * {@code generator} (the load generator), {@code harness} (samplers, REST polling) and {@code job} (everything else:
 * Flink, the sink's SDK client, and the JVM's own GC/JIT threads, which are not attributable per thread). Threads
 * are sampled every second; a thread that ends loses at most its last second.
 */
public final class ThreadCpu {
    private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> lastCpu = new HashMap<>();
    private final Map<Long, String> kind = new HashMap<>();
    private final Map<Long, String> names = new HashMap<>();

    public ThreadCpu() {
        if (mx.isThreadCpuTimeSupported() && !mx.isThreadCpuTimeEnabled()) {
            mx.setThreadCpuTimeEnabled(true);
        }
    }

    public static String classify(String name) {
        if (name.startsWith("cwlocal-")
                || name.startsWith("HTTP-Dispatcher")
                || name.startsWith("server-timer")
                || name.startsWith("S3Proxy-")) {
            return "endpoint";
        }
        if (name.startsWith("bench-generator")) {
            return "generator";
        }
        if (name.startsWith("bench-") || name.startsWith("HttpClient-")) {
            return "harness";
        }
        return "job";
    }

    /**
     * CPU nanoseconds of the job's threads by name group (digits and subtask indexes folded, so the two subtasks of
     * one chain are one group), for the "where the job's CPU goes" table. Threads that ended count with their CPU at
     * the last sample: a job's task threads end with the job, before its bill is taken.
     */
    public synchronized Map<String, Long> jobThreadGroups() {
        sample();
        Map<String, Long> groups = new HashMap<>();
        for (Map.Entry<Long, Long> e : lastCpu.entrySet()) {
            if (!"job".equals(kind.get(e.getKey()))) {
                continue;
            }
            String name = names.get(e.getKey())
                    .replaceAll("\\(\\d+/\\d+\\)(#\\d+)?", "")
                    .replaceAll("\\d+", "#");
            if (name.length() > 90) {
                name = name.substring(0, 90) + "…";
            }
            groups.merge(name, e.getValue(), Long::sum);
        }
        return groups;
    }

    /** Samples all threads; returns CPU nanoseconds per kind accumulated since this object was created. */
    public synchronized Map<String, Long> sample() {
        long[] ids = mx.getAllThreadIds();
        ThreadInfo[] infos = mx.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            long cpu = mx.getThreadCpuTime(ids[i]);
            if (cpu < 0 || infos[i] == null) {
                continue;
            }
            lastCpu.put(ids[i], cpu);
            String name = infos[i].getThreadName();
            names.put(ids[i], name);
            kind.computeIfAbsent(ids[i], id -> classify(name));
        }
        Map<String, Long> totals = new HashMap<>();
        for (Map.Entry<Long, Long> e : lastCpu.entrySet()) {
            totals.merge(kind.get(e.getKey()), e.getValue(), Long::sum);
        }
        return totals;
    }
}
