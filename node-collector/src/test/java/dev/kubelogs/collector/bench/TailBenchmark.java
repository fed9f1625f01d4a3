package dev.kubelogs.collector.bench;

import dev.kubelogs.collector.CollectorConfig;
import dev.kubelogs.collector.HostLogsMode;
import dev.kubelogs.collector.NodeCollector;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * Not a test: measures tail + spool throughput the way the incumbent number was taken (1,000,000 Docker-JSON
 * lines, ~303 MB, read from head). Run with the JVM flags to report:
 * <pre>
 * java -XX:+UseSerialGC -Xmx64m -cp node-collector/target/test-classes:node-collector/target/node-collector-0.1.0-SNAPSHOT.jar \
 *   dev.kubelogs.collector.bench.TailBenchmark /tmp/bench 1000000
 * </pre>
 * Prints lines/s, MB/s, CPU seconds of this process (collector threads only run while measuring) and peak RSS.
 */
public final class TailBenchmark {
    private TailBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/kubelogs-bench");
        int lines = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        Path root = dir.resolve("log");
        Path pods = root.resolve("pods/bench_app-0_uid/app");
        Files.createDirectories(pods);
        Files.createDirectories(root.resolve("containers"));
        Path file = pods.resolve("0.log");
        if (!Files.exists(file) || Files.size(file) == 0) {
            write(file, lines);
        }
        Path link = root.resolve("containers/app-0_bench_app-" + "0123456789abcdef".repeat(4) + ".log");
        if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(link, file);
        }
        deleteTree(dir.resolve("spool"));
        deleteTree(dir.resolve("state"));
        long bytes = Files.size(file);
        System.out.printf("input: %d lines, %.1f MB%n", lines, bytes / 1e6);

        CollectorConfig cfg = CollectorConfig.builder()
                .logRoot(root)
                .spoolDir(dir.resolve("spool"))
                .stateDir(dir.resolve("state"))
                .cluster("bench")
                .node("n")
                .readFromHead(true)
                .hostLogs(HostLogsMode.NONE)
                .build();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        NodeCollector c = new NodeCollector(cfg);
        c.start();
        long warm = lines / 5;
        long cpuWarm = -1;
        long linesWarm = 0;
        long bytesWarm = 0;
        while (c.stats().linesRead() < lines) {
            if (cpuWarm < 0 && c.stats().linesRead() >= warm) {
                cpuWarm = os.getProcessCpuTime();
                linesWarm = c.stats().linesRead();
                bytesWarm = c.stats().bytesRead();
            }
            LockSupport.parkNanos(2_000_000L);
        }
        long cpuSteady = os.getProcessCpuTime() - cpuWarm;
        System.out.printf(
                "steady state (after the first %d lines, JIT warm): %.0f lines/s and %.1f MB/s per cpu-second%n",
                linesWarm, (lines - linesWarm) / (cpuSteady / 1e9), (bytes - bytesWarm) / 1e6 / (cpuSteady / 1e9));
        c.drainAndSeal();
        long wall = System.nanoTime() - t0;
        long cpu = os.getProcessCpuTime() - cpu0;
        double cpuSec = cpu / 1e9;
        System.out.printf(
                "wall %.2f s, cpu %.2f s, %.0f lines/s per cpu-second, %.1f MB/s per cpu-second, %d segments%n",
                wall / 1e9,
                cpuSec,
                lines / cpuSec,
                bytes / 1e6 / cpuSec,
                c.stats().segmentsWritten());
        System.out.printf(
                "peak RSS %s, JVM flags %s%n",
                peakRss(), ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    static String peakRss() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmHWM:")) {
                return l.substring(6).trim();
            }
        }
        return "?";
    }

    static void write(Path file, int lines) throws IOException {
        String pad = "INFO  [http-nio-8080-exec-7] c.e.orders.OrderController - order accepted id=%08d customer=%06d "
                + "items=3 total=129.95 currency=USD latency_ms=%d trace=4bf92f3577b34da6a3ce929d0e0e4736";
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            for (int i = 0; i < lines; i++) {
                String msg = String.format(pad, i, i % 100000, i % 500);
                String line = "{\"log\":\"" + msg + "\\n\",\"stream\":\"stdout\",\"time\":\"2024-05-01T10:00:00."
                        + String.format("%09d", i) + "Z\"}\n";
                out.write(line.getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
