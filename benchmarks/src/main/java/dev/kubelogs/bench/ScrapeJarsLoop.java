package dev.kubelogs.bench;

import dev.kubelogs.bench.loop.CpuClock;
import dev.kubelogs.bench.loop.LoopArgs;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * Two or more builds of the job's scrape path alternated in one JVM (issue 14): each arm is a job jar, loaded with the
 * benchmarks jar in a class loader of its own that looks up the job's classes ({@code dev.kubelogs.job.*}) there
 * before its parent, and runs {@code dev.kubelogs.job.metrics.scrape.ScrapeArm} against the same {@link MetricsTargets}
 * exporters. Arms take turns of {@code block} rounds after warming up together; each arm's bill is the CPU and bytes
 * of its own scrape threads ({@code scrape-<arm>-#}) and of the deadline timers over its turns.
 *
 * <p>{@code java -cp … dev.kubelogs.bench.ScrapeJarsLoop targets rounds warmup-rounds threads block pace-ms mode
 * benchmarks-jar name=job-jar[@threads]…}; {@code mode} is {@code scrape} or {@code fetch} ({@code ScrapeArm}); an arm
 * with {@code @threads} has that many scrape threads instead of {@code threads}.
 */
public final class ScrapeJarsLoop {
    private ScrapeJarsLoop() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 9) {
            throw new IllegalArgumentException(
                    "usage: targets rounds warmup threads block pace-ms mode benchmarks-jar name=job-jar[@threads]...");
        }
        LoopArgs arguments = new LoopArgs(args);
        int targets = arguments.integer(0, "targets", 0);
        int rounds = arguments.integer(1, "rounds", 0);
        int warmup = arguments.integer(2, "warm-up rounds", 0);
        int threads = arguments.integer(3, "threads", 0);
        int block = arguments.integer(4, "block", 0);
        long paceMs = arguments.longInteger(5, "pace-ms", 0);
        String mode = arguments.word(6, "scrape");
        if (block < 1) {
            throw new IllegalArgumentException("argument 5 (block) must be a round or more: " + block);
        }
        File benchmarksJar = new File(args[7]);
        List<String> names = new ArrayList<>();
        List<Callable<Long>> arms = new ArrayList<>();
        com.sun.management.ThreadMXBean mx = CpuClock.threads();
        try (MetricsTargets exporters = new MetricsTargets(targets)) {
            for (int i = 8; i < args.length; i++) {
                String[] arm = args[i].split("=", 2);
                String[] jarAndThreads = arm[1].split("@", 2);
                int armThreads = jarAndThreads.length > 1 ? Integer.parseInt(jarAndThreads[1]) : threads;
                names.add(arm[0]);
                ClassLoader loader = new JobFirstLoader(new File(jarAndThreads[0]), benchmarksJar);
                Class<?> type = loader.loadClass("dev.kubelogs.job.metrics.scrape.ScrapeArm");
                @SuppressWarnings("unchecked")
                Callable<Long> instance = (Callable<Long>)
                        type.getConstructor(List.class, int.class, String.class, long.class, String.class)
                                .newInstance(exporters.addresses(), armThreads, arm[0], paceMs, mode);
                arms.add(instance);
            }
            for (int r = 0; r < warmup; r++) {
                for (Callable<Long> arm : arms) {
                    arm.call();
                }
            }
            List<Map<String, long[]>> bills = new ArrayList<>();
            long[] units = new long[arms.size()];
            long[] scrapes = new long[arms.size()];
            for (int a = 0; a < arms.size(); a++) {
                bills.add(new TreeMap<>());
            }
            for (int done = 0; done < rounds; done += block) {
                for (int a = 0; a < arms.size(); a++) {
                    Map<String, long[]> before = ThreadGroups.snapshot(mx);
                    int n = Math.min(block, rounds - done);
                    for (int r = 0; r < n; r++) {
                        units[a] += arms.get(a).call();
                    }
                    scrapes[a] += (long) n * targets;
                    ThreadGroups.add(bills.get(a), before, ThreadGroups.snapshot(mx));
                }
            }
            for (int a = 0; a < arms.size(); a++) {
                // named as ThreadGroups names its groups: digits folded
                String own = ("scrape-" + names.get(a) + "-#").replaceAll("\\d+", "#");
                long[] cpu = bills.get(a).getOrDefault(own, new long[2]);
                long[] timer = bills.get(a).getOrDefault("scrape-deadlines", new long[2]);
                System.out.printf(
                        Locale.ROOT,
                        "arm %-10s %d scrapes, %d %s: scrape threads %7.1f us a scrape, %6.1f ns a %s, %7.1f KB a"
                                + " scrape; deadline timer %5.1f us a scrape%n",
                        names.get(a),
                        scrapes[a],
                        units[a],
                        mode.equals("fetch") ? "bytes" : "samples",
                        cpu[0] / 1e3 / scrapes[a],
                        cpu[0] / (double) units[a],
                        mode.equals("fetch") ? "byte" : "sample",
                        cpu[1] / 1024.0 / scrapes[a],
                        timer[0] / 1e3 / scrapes[a]);
            }
            for (Callable<Long> arm : arms) {
                ((AutoCloseable) arm).close();
            }
        }
    }

    /** Finds {@code dev.kubelogs.job.*} in its own jars first, everything else in its parent first. */
    private static final class JobFirstLoader extends URLClassLoader {
        JobFirstLoader(File jobJar, File benchmarksJar) throws IOException {
            super(
                    new URL[] {jobJar.toURI().toURL(), benchmarksJar.toURI().toURL()},
                    ScrapeJarsLoop.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("dev.kubelogs.job.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try {
                        c = findClass(name);
                    } catch (ClassNotFoundException notHere) {
                        c = super.loadClass(name, false);
                    }
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }
}
