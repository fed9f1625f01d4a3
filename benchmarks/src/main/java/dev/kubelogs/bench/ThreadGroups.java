package dev.kubelogs.bench;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * CPU ns and allocated bytes of this JVM's threads by name group (digits folded; the bench exporters' threads apart),
 * between two snapshots, for the one-JVM loops.
 */
public final class ThreadGroups {
    private ThreadGroups() {}

    /** CPU ns and allocated bytes by thread name group. */
    public static Map<String, long[]> snapshot(com.sun.management.ThreadMXBean mx) {
        long[] ids = mx.getAllThreadIds();
        long[] cpu = mx.getThreadCpuTime(ids);
        long[] allocated = mx.getThreadAllocatedBytes(ids);
        Map<String, long[]> groups = new HashMap<>();
        java.lang.management.ThreadInfo[] infos = mx.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            if (infos[i] == null || cpu[i] < 0) {
                continue;
            }
            String name = infos[i].getThreadName();
            String group =
                    (name.startsWith("bench-target-") || name.startsWith("HTTP-Dispatcher") ? "[exporters] " : "")
                            + name.replaceAll("\\d+", "#");
            long[] g = groups.computeIfAbsent(group, k -> new long[2]);
            g[0] += cpu[i];
            g[1] += Math.max(0, allocated[i]);
        }
        return groups;
    }

    /** Adds the CPU and allocation between two snapshots into {@code bill}, by thread group. */
    public static void add(Map<String, long[]> bill, Map<String, long[]> before, Map<String, long[]> after) {
        for (Map.Entry<String, long[]> e : after.entrySet()) {
            long[] b = before.getOrDefault(e.getKey(), new long[2]);
            long cpu = e.getValue()[0] - b[0];
            long alloc = e.getValue()[1] - b[1];
            if (cpu <= 0 && alloc <= 0) {
                continue;
            }
            long[] sum = bill.computeIfAbsent(e.getKey(), k -> new long[2]);
            sum[0] += cpu;
            sum[1] += alloc;
        }
    }

    /** Prints a bill per {@code unit} (a fetch, a scrape): us of CPU and KB allocated by group, and the sum. */
    public static void report(Map<String, long[]> bill, long units, String unit) {
        long cpu = 0;
        long alloc = 0;
        for (Map.Entry<String, long[]> e : bill.entrySet()) {
            if (!e.getKey().startsWith("[exporters]")) {
                cpu += e.getValue()[0];
                alloc += e.getValue()[1];
            }
        }
        System.out.printf(Locale.ROOT, "  CPU by thread group (us a %s, KB allocated a %s):%n", unit, unit);
        bill.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
                .filter(e -> e.getValue()[0] / 1e3 / units >= 0.05)
                .forEach(e -> System.out.printf(
                        Locale.ROOT,
                        "  %-45s %9.1f us %9.1f KB%n",
                        e.getKey(),
                        e.getValue()[0] / 1e3 / units,
                        e.getValue()[1] / 1024.0 / units));
        System.out.printf(
                Locale.ROOT,
                "  %-45s %9.1f us %9.1f KB%n",
                "all but the exporters",
                cpu / 1e3 / units,
                alloc / 1024.0 / units);
    }
}
