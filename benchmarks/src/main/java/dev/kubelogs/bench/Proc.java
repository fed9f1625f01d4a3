package dev.kubelogs.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Reads CPU time and memory of a process from /proc (Linux). */
public final class Proc {
    private Proc() {}

    private static final long TICK_NANOS = 1_000_000_000L / clockTicks();

    /** One reading: CPU time (user + system) in ns, resident set and its peak (VmHWM) in KiB. */
    public record Sample(long nanoTime, long cpuNanos, long rssKb, long hwmKb) {
        public double rssMb() {
            return rssKb / 1024.0;
        }

        public double hwmMb() {
            return hwmKb / 1024.0;
        }
    }

    public static long selfPid() {
        return ProcessHandle.current().pid();
    }

    /** Null when the process is gone. */
    public static Sample read(long pid) {
        long now = System.nanoTime();
        try {
            long ticks = cpuTicks(Files.readString(Path.of("/proc/" + pid + "/stat")));
            long rss = 0;
            long hwm = 0;
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kb(line);
                } else if (line.startsWith("VmHWM:")) {
                    hwm = kb(line);
                }
            }
            return new Sample(now, ticks * TICK_NANOS, rss, hwm);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * One thread of a process: its name as the kernel keeps it (at most 15 characters), its CPU time and its id (the
     * task's, which tells a thread that ended from a new one of the same name).
     */
    public record ThreadTime(String comm, long cpuNanos, long tid) {}

    /** Every live thread of {@code pid} from /proc/PID/task/TID/{comm,stat}; empty when the process is gone. */
    public static List<ThreadTime> threads(long pid) {
        List<ThreadTime> out = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String comm = Files.readString(task.resolve("comm")).trim();
                    out.add(new ThreadTime(
                            comm,
                            cpuTicks(Files.readString(task.resolve("stat"))) * TICK_NANOS,
                            Long.parseLong(task.getFileName().toString())));
                } catch (IOException | RuntimeException e) {
                    // the task ended between the listing and the read
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return out;
        }
        return out;
    }

    /**
     * CPU time of the JVM's own threads of {@code pid} that ThreadMXBean does not show, by kind: "GC", "JIT"
     * (C1/C2 compiler threads), "RocksDB" (its native flush/compaction threads), "VM" (the VM thread).
     */
    public static Map<String, Long> nativeThreadCpuNanos(long pid) {
        Map<String, Long> byKind = new TreeMap<>();
        for (ThreadTime t : threads(pid)) {
            String kind = nativeKind(t.comm());
            if (kind != null) {
                byKind.merge(kind, t.cpuNanos(), Long::sum);
            }
        }
        return byKind;
    }

    /** utime + stime of a /proc stat line: fields 14 and 15, counted after the ")" that ends the command name. */
    static long cpuTicks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    static String nativeKind(String comm) {
        if (isGcThread(comm)) {
            return "GC";
        }
        if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
            return "JIT";
        }
        if (comm.startsWith("rocksdb:")) {
            return "RocksDB";
        }
        if (comm.equals("VM Thread")) {
            return "VM";
        }
        return null;
    }

    static boolean isGcThread(String comm) {
        return comm.startsWith("GC Thread")
                || comm.startsWith("G1 ")
                || comm.startsWith("Parallel GC")
                || comm.startsWith("ZWorker")
                || comm.startsWith("Shenandoah");
    }

    private static long kb(String line) {
        String v = line.substring(line.indexOf(':') + 1).trim();
        return Long.parseLong(v.split("\\s+")[0]);
    }

    /** 1-, 5- and 15-minute load averages. */
    public static double[] loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
        } catch (IOException | RuntimeException e) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
    }

    public static String loadString() {
        double[] l = loadAverage();
        return String.format(java.util.Locale.ROOT, "%.2f %.2f %.2f", l[0], l[1], l[2]);
    }

    /** Jiffies of all CPUs of the machine (user+nice+system+irq+softirq+steal, idle+iowait) from /proc/stat. */
    public static long[] machineJiffies() {
        try {
            String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = first.trim().split("\\s+");
            long busy = 0;
            long idle = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                long v = Long.parseLong(f[i]);
                if (i == 4 || i == 5) {
                    idle += v;
                } else {
                    busy += v;
                }
            }
            return new long[] {busy, idle};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            long v = Long.parseLong(out);
            return v > 0 ? v : 100;
        } catch (Exception e) {
            return 100;
        }
    }
}
