import dev.kubelogs.bench.CollectorProcess;
import dev.kubelogs.bench.LineSizes;
import dev.kubelogs.bench.LoadGenerator;
import java.nio.file.*;
import java.time.Duration;
import java.util.*;
import java.util.stream.*;

/**
 * Two collectors side by side under one load generator (one simulated node each, same rate and mix, the e2e's
 * defaults: lognormal:220,0.5 lines, 5 % stack traces, rename every 20 s, copytruncate every 30 s, host files),
 * DaemonSet segment settings (8 s / 1 MiB), segments swept every second as the job would, /metrics scraped once a
 * seconds as the e2e's sampler does. Per-thread CPU of both over [warmup, warmup+window].
 * args: armA-repo armA-flags armB-repo armB-flags outDir ratePerNode warmupSec windowSec tailSec
 * flags: "docker" (the repo's image flags) or "docker-c2" (same without -XX:TieredStopAtLevel=1), optionally
 * "@<SEGMENT_MAX_BYTES>" (e.g. docker@2M) for another segment size than the DaemonSet's 1M.
 */
public class SideBySide {
    public static void main(String[] a) throws Exception {
        Path out = Path.of(a[4]);
        Files.createDirectories(out);
        double rate = Double.parseDouble(a[5]);
        long warmup = Long.parseLong(a[6]), window = Long.parseLong(a[7]), tail = Long.parseLong(a[8]);
        Path work = Files.createTempDirectory("sbs");
        LoadGenerator gen = new LoadGenerator(work, List.of("arma", "armb"), new LoadGenerator.Config(2, rate,
                LineSizes.parse("lognormal:220,0.5"), 0.05, 8, 30, 20_000, 4, 30_000, 1500,
                LoadGenerator.HostMode.FILES, 42));
        List<CollectorProcess> cs = new ArrayList<>();
        String[] arms = {"arma", "armb"};
        for (int i = 0; i < 2; i++) {
            Path repo = Path.of(a[i * 2]);
            CollectorProcess.JvmFlags f = CollectorProcess.flags(repo, "docker", "128m");
            String[] fs = a[i * 2 + 1].split("@");
            String segBytes = fs.length > 1 ? fs[1] : "1M";
            if (fs[0].equals("docker-c2")) {
                List<String> fl = new ArrayList<>(f.flags());
                fl.remove("-XX:TieredStopAtLevel=1");
                f = new CollectorProcess.JvmFlags(f.source() + " minus TieredStopAtLevel=1", fl, f.env());
            }
            Map<String, String> env = new HashMap<>();
            env.put("CLUSTER_NAME", "sbs");
            env.put("HOST_NAME", arms[i]);
            env.put("LOG_ROOT", gen.logRoot(i).toString());
            env.put("SPOOL_DIR", work.resolve("spool-" + arms[i]).toString());
            env.put("STATE_DIR", work.resolve("state-" + arms[i]).toString());
            env.put("HOST_LOGS", "files");
            env.put("JOURNAL_DIR", work.resolve("nojournal").toString());
            env.put("SEGMENT_MAX_AGE", "8s");
            env.put("SEGMENT_MAX_BYTES", segBytes);
            Files.writeString(out.resolve(arms[i] + "-flags.txt"), a[i * 2] + "\n" + f + "\nSEGMENT_MAX_BYTES=" + segBytes + "\n");
            cs.add(CollectorProcess.start(repo, f, env, out.resolve(arms[i] + ".log")));
        }
        for (CollectorProcess c : cs) c.awaitUp(Duration.ofSeconds(60));
        Files.writeString(out.resolve("pids"), cs.get(0).pid() + " " + cs.get(1).pid() + "\n");
        Thread side = new Thread(() -> {
            long t0 = System.nanoTime();
            boolean a1 = false, b1 = false;
            long ticks = 0;
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(1000);
                    if (++ticks % 15 == 0) for (CollectorProcess c : cs) c.metrics(); // the e2e's Sampler: every 15 s
                    for (int i = 0; i < 2; i++) sweep(work.resolve("spool-" + arms[i]));
                    long s = (System.nanoTime() - t0) / 1_000_000_000L;
                    if (!a1 && s >= warmup) { a1 = true; snap(cs, out, "A"); }
                    if (!b1 && s >= warmup + window) { b1 = true; snap(cs, out, "B"); }
                } catch (InterruptedException e) { return; } catch (Exception e) { e.printStackTrace(); }
            }
        });
        side.setDaemon(true);
        side.start();
        gen.run((warmup + window + tail) * 1000L);
        side.interrupt();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 2; i++) {
            sb.append(arms[i]).append(" lines written ").append(gen.linesWritten(i)).append(" read ")
              .append(cs.get(i).recordsRead()).append(" ")
              .append(Files.readAllLines(Path.of("/proc/" + cs.get(i).pid() + "/status")).stream()
                      .filter(l -> l.startsWith("VmHWM") || l.startsWith("VmRSS")).collect(Collectors.joining(" ")))
              .append("\n");
        }
        sb.append("generator max backlog lines ").append(gen.maxBacklogLines()).append("\n");
        Files.writeString(out.resolve("summary.txt"), sb.toString());
        for (CollectorProcess c : cs) c.close();
        gen.close();
    }

    static void snap(List<CollectorProcess> cs, Path out, String tag) throws Exception {
        for (int i = 0; i < 2; i++) {
            long pid = cs.get(i).pid();
            StringBuilder sb = new StringBuilder(System.nanoTime() + "\n");
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
                for (Path t : ds) {
                    try {
                        String st = Files.readString(t.resolve("stat"));
                        String comm = st.substring(st.indexOf('(') + 1, st.lastIndexOf(')'));
                        String[] f = st.substring(st.lastIndexOf(')') + 2).split(" ");
                        String vcs = "", nvcs = "";
                        for (String l : Files.readAllLines(t.resolve("status"))) {
                            if (l.startsWith("voluntary_ctxt")) vcs = l.split("\\s+")[1];
                            if (l.startsWith("nonvoluntary_ctxt")) nvcs = l.split("\\s+")[1];
                        }
                        sb.append(t.getFileName()).append('|').append(comm).append('|').append(f[11]).append('|')
                          .append(f[12]).append('|').append(vcs).append('|').append(nvcs).append('\n');
                    } catch (Exception ignored) { }
                }
            }
            Files.writeString(out.resolve((i == 0 ? "arma" : "armb") + "-snap" + tag), sb.toString());
        }
        Files.writeString(out.resolve("load" + tag), Files.readString(Path.of("/proc/loadavg")));
    }

    static void sweep(Path spool) {
        try (Stream<Path> files = Files.walk(spool)) {
            files.filter(p -> p.getFileName().toString().endsWith(".seg") && !p.getFileName().toString().startsWith("."))
                 .forEach(p -> { try { Files.deleteIfExists(p); } catch (Exception ignored) { } });
        } catch (Exception ignored) { }
    }
}
