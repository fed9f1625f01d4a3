package dev.kubelogs.bench;

import dev.kubelogs.job.metrics.config.PrometheusConfig;
import dev.kubelogs.job.metrics.config.PrometheusConfigParser;
import dev.kubelogs.job.metrics.config.ScrapeConfig;
import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.ScrapeTarget;
import dev.kubelogs.job.metrics.scrape.HttpClients;
import dev.kubelogs.job.metrics.scrape.ScrapeOutcome;
import dev.kubelogs.job.metrics.scrape.Scraper;
import dev.kubelogs.job.metrics.target.TargetBuilder;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The scrape path of the metrics branch alone in one JVM (issue 14): {@code targets} {@link MetricsTargets} exporters
 * on loopback, scraped by the job's own {@link Scraper} (its HTTP clients, fetcher and processor, built from the
 * bench's scrape config as the job builds it) on {@code threads} threads named as the reader names its scrape
 * threads. A round scrapes every target once, all targets in flight at once as the reader's schedule lets them; after
 * the warm-up rounds it prints the CPU time of every thread of this JVM by name group (digits folded; the exporters'
 * threads apart), per scrape and per sample, and the bytes the scrape and HTTP client threads allocated.
 *
 * <p>Run from the benchmarks classpath: {@code java -cp … dev.kubelogs.bench.ScrapeLoop [targets] [rounds]
 * [warmup-rounds] [threads]}.
 */
public final class ScrapeLoop {
    private ScrapeLoop() {}

    public static void main(String[] args) throws Exception {
        int targets = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        mx.setThreadCpuTimeEnabled(true);
        mx.setThreadAllocatedMemoryEnabled(true);
        try (MetricsTargets exporters = new MetricsTargets(targets)) {
            List<ScrapeTarget> scrapeTargets = new ArrayList<>();
            PrometheusConfig config = PrometheusConfigParser.parse(config(exporters.addresses()), "bench.yaml");
            ScrapeConfig job = config.scrapeConfigs().get(0);
            TargetBuilder builder = new TargetBuilder(job);
            for (String address : exporters.addresses()) {
                scrapeTargets.add(builder.build(Labels.builder()
                        .set("__address__", address)
                        .set("Namespace", "shop-1")
                        .set("pod_name", "orders-7d9c6b7f9d-00001")
                        .set("container_name", "orders")
                        .set("Service", "orders-1")
                        .build()));
            }
            Scraper scraper = new Scraper(job, new HttpClients(), 64L << 20);
            AtomicInteger threadNumber = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "scrape-0-" + threadNumber.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            long[] samples = new long[1];
            for (int r = 0; r < warmup; r++) {
                round(pool, scraper, scrapeTargets, samples);
            }
            Map<String, long[]> before = byGroup(mx);
            samples[0] = 0;
            long wall = System.nanoTime();
            for (int r = 0; r < rounds; r++) {
                round(pool, scraper, scrapeTargets, samples);
            }
            wall = System.nanoTime() - wall;
            Map<String, long[]> after = byGroup(mx);
            pool.shutdownNow();
            report(before, after, (long) rounds * targets, samples[0], wall);
        }
    }

    private static void round(ExecutorService pool, Scraper scraper, List<ScrapeTarget> targets, long[] samples)
            throws Exception {
        List<Future<ScrapeOutcome>> futures = new ArrayList<>(targets.size());
        for (ScrapeTarget t : targets) {
            futures.add(pool.submit(() -> scraper.scrape(t)));
        }
        for (Future<ScrapeOutcome> f : futures) {
            ScrapeOutcome outcome = f.get();
            if (!outcome.isOk()) {
                throw new IllegalStateException("scrape failed: " + outcome);
            }
            for (dev.kubelogs.job.metrics.model.SeriesGroup g : outcome.groups()) {
                samples[0] += g.size();
            }
        }
    }

    private static String config(List<String> addresses) {
        return "global:\n  scrape_interval: 3s\n  scrape_timeout: 3s\nscrape_configs:\n- job_name: bench\n"
                + "  static_configs:\n  - targets: ['" + String.join("', '", addresses) + "']\n";
    }

    /** CPU ns and allocated bytes by thread name group. */
    private static Map<String, long[]> byGroup(com.sun.management.ThreadMXBean mx) {
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

    private static void report(
            Map<String, long[]> before, Map<String, long[]> after, long scrapes, long samples, long wallNs) {
        Map<String, long[]> delta = new TreeMap<>();
        long pipelineCpu = 0;
        long pipelineAlloc = 0;
        for (Map.Entry<String, long[]> e : after.entrySet()) {
            long[] b = before.getOrDefault(e.getKey(), new long[2]);
            long cpu = e.getValue()[0] - b[0];
            long alloc = e.getValue()[1] - b[1];
            if (cpu <= 0 && alloc <= 0) {
                continue;
            }
            delta.put(e.getKey(), new long[] {cpu, alloc});
            if (!e.getKey().startsWith("[exporters]")) {
                pipelineCpu += cpu;
                pipelineAlloc += alloc;
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%d scrapes, %d samples in %.1f s; CPU by thread group (us per scrape, ns per sample, KB allocated"
                        + " per scrape):%n",
                scrapes,
                samples,
                wallNs / 1e9);
        delta.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
                .forEach(e -> System.out.printf(
                        Locale.ROOT,
                        "  %-45s %9.1f us %8.1f ns %9.1f KB%n",
                        e.getKey(),
                        e.getValue()[0] / 1e3 / scrapes,
                        e.getValue()[0] / (double) samples,
                        e.getValue()[1] / 1024.0 / scrapes));
        System.out.printf(
                Locale.ROOT,
                "  %-45s %9.1f us %8.1f ns %9.1f KB%n",
                "all but the exporters",
                pipelineCpu / 1e3 / scrapes,
                pipelineCpu / (double) samples,
                pipelineAlloc / 1024.0 / scrapes);
    }
}
