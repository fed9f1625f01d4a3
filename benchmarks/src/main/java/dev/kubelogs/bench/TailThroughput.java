package dev.kubelogs.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The incumbent's collector benchmark, on our collector: one Docker json-file of N lines (~303 B each, like Fluent
 * Bit's 1,000,000 lines / 303 MB) read from its head by a collector process into the spool. CPU seconds of that
 * process (whole run including JVM start, and steady state after the first 20 % of the lines), peak RSS.
 */
public final class TailThroughput {
    private TailThroughput() {}

    public static final class Result {
        public long lines;
        public long bytes;
        public double wallSeconds;
        public double cpuSeconds;
        public double steadyCpuSeconds;
        public long steadyLines;
        public long steadyBytes;
        public double peakRssMb;
        public String flags;
        public String loadBefore;
        public String loadAfter;

        public double linesPerCpuSecond() {
            return lines / cpuSeconds;
        }

        public double mbPerCpuSecond() {
            return bytes / 1e6 / cpuSeconds;
        }

        public double steadyLinesPerCpuSecond() {
            return steadyLines / steadyCpuSeconds;
        }

        public double steadyMbPerCpuSecond() {
            return steadyBytes / 1e6 / steadyCpuSeconds;
        }
    }

    public static Result run(Path repo, Path work, int lines, CollectorProcess.JvmFlags flags, PrintStream out)
            throws Exception {
        Path input = work.resolve("input-" + lines);
        Path pods = input.resolve("pods/bench_app-0_uid/app");
        Path file = pods.resolve("0.log");
        Path marker = input.resolve("complete");
        if (!Files.exists(marker)) {
            Dirs.deleteRecursively(input);
            Files.createDirectories(pods);
            Files.createDirectories(input.resolve("containers"));
            write(file, lines);
            Files.createSymbolicLink(
                    input.resolve("containers/app-0_bench_app-" + "0123456789abcdef".repeat(4) + ".log"), file);
            Files.writeString(marker, "ok");
        }
        Path run = work.resolve("run");
        Dirs.deleteRecursively(run);
        Files.createDirectories(run);
        // warm the page cache so the run measures the collector, not the disk
        try (var in = Files.newInputStream(file)) {
            byte[] b = new byte[1 << 20];
            while (in.read(b) > 0) {
                // read
            }
        }
        Result r = new Result();
        r.lines = lines;
        r.bytes = Files.size(file);
        r.flags = flags.toString();
        r.loadBefore = Proc.loadString();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CLUSTER_NAME", "bench");
        env.put("HOST_NAME", "tail");
        env.put("LOG_ROOT", input.toString());
        env.put("SPOOL_DIR", run.resolve("spool").toString());
        env.put("STATE_DIR", run.resolve("state").toString());
        env.put("HOST_LOGS", "none");
        env.put("READ_FROM_HEAD", "On");
        long t0 = System.nanoTime();
        try (CollectorProcess c = CollectorProcess.start(repo, flags, env, run.resolve("collector.log"))) {
            long warmLines = -1;
            long warmCpu = 0;
            Proc.Sample last = null;
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (System.nanoTime() < deadline) {
                long read = c.recordsRead();
                Proc.Sample s = c.sample();
                if (s != null) {
                    last = s;
                }
                if (warmLines < 0 && read >= lines / 5 && last != null) {
                    warmLines = read;
                    warmCpu = last.cpuNanos();
                }
                if (read >= lines) {
                    break;
                }
                if (!c.alive()) {
                    throw new IOException("collector exited; see " + c.log());
                }
                Thread.sleep(100);
            }
            Proc.Sample end = c.sample();
            r.wallSeconds = (System.nanoTime() - t0) / 1e9;
            r.cpuSeconds = end.cpuNanos() / 1e9;
            r.peakRssMb = end.hwmMb();
            r.steadyCpuSeconds = (end.cpuNanos() - warmCpu) / 1e9;
            r.steadyLines = lines - warmLines;
            r.steadyBytes = (long) (r.bytes * (double) r.steadyLines / lines);
            c.stopAndSeal(Duration.ofSeconds(30));
        }
        r.loadAfter = Proc.loadString();
        Dirs.deleteRecursively(run);
        out.printf(
                java.util.Locale.ROOT,
                "  %,d lines, %.0f MB: wall %.1f s, cpu %.2f s → %,.0f lines/s and %.1f MB/s per cpu-second "
                        + "(steady state after 20%%: %,.0f lines/s, %.1f MB/s); peak RSS %.1f MB (load %s → %s)%n",
                r.lines,
                r.bytes / 1e6,
                r.wallSeconds,
                r.cpuSeconds,
                r.linesPerCpuSecond(),
                r.mbPerCpuSecond(),
                r.steadyLinesPerCpuSecond(),
                r.steadyMbPerCpuSecond(),
                r.peakRssMb,
                r.loadBefore,
                r.loadAfter);
        return r;
    }

    /** Docker json-file lines of ~303 bytes on average (uniform 223–383), an app's INFO line with varying fields. */
    static void write(Path file, int lines) throws IOException {
        SplittableRandom rnd = new SplittableRandom(1);
        String pad = "x".repeat(400);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            for (int i = 0; i < lines; i++) {
                String head = "{\"log\":\"INFO  [http-nio-8080-exec-" + (i % 16)
                        + "] c.e.orders.OrderController - order accepted id=" + i + " customer=" + (i % 100000)
                        + " latency_ms=" + (i % 500) + " ";
                String tail = "\\n\",\"stream\":\"stdout\",\"time\":\"2024-05-01T10:00:00." + String.format("%09d", i)
                        + "Z\"}\n";
                int target = 223 + rnd.nextInt(161);
                int fill = Math.max(0, target - head.length() - tail.length());
                out.write((head + pad.substring(0, fill) + tail).getBytes(StandardCharsets.UTF_8));
            }
        }
    }
}
