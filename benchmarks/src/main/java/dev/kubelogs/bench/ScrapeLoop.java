package dev.kubelogs.bench;

import dev.kubelogs.bench.loop.Alternation;
import dev.kubelogs.bench.loop.CpuClock;
import dev.kubelogs.bench.loop.LoopArgs;
import dev.kubelogs.job.metrics.config.PrometheusConfig;
import dev.kubelogs.job.metrics.config.PrometheusConfigParser;
import dev.kubelogs.job.metrics.config.ScrapeConfig;
import dev.kubelogs.job.metrics.delta.SeriesGroupKey;
import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.ScrapeTarget;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import dev.kubelogs.job.metrics.parse.TargetMetadata;
import dev.kubelogs.job.metrics.scrape.HttpClients;
import dev.kubelogs.job.metrics.scrape.ScrapeCache;
import dev.kubelogs.job.metrics.scrape.ScrapeOutcome;
import dev.kubelogs.job.metrics.scrape.Scraper;
import dev.kubelogs.job.metrics.target.TargetBuilder;
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
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

/**
 * The scrape path of the metrics branch alone in one JVM (issue 14): {@code targets} {@link MetricsTargets} exporters
 * on loopback, scraped by the job's own {@link Scraper} (its HTTP clients, fetcher and processor, built from the
 * bench's scrape config as the job builds it) on {@code threads} threads named as the reader names its scrape
 * threads. A round scrapes every target once, all targets in flight at once as the reader's schedule lets them; after
 * the warm-up rounds it prints the CPU time of every thread of this JVM by name group (digits folded; the exporters'
 * threads apart), per scrape and per sample, and the bytes the scrape and HTTP client threads allocated.
 *
 * <p>The arms: {@code cache} scrapes each target with its own {@link ScrapeCache} and {@link TargetMetadata}, as the
 * reader does; {@code layout} with a cache that keeps the series layout but reads every body in full
 * ({@link ScrapeCache#layoutOnly()}); {@code none} without a scrape cache. Several arms, comma-separated, run in turns
 * of {@code block} rounds in this JVM (all warmed up first), and each arm's bill is printed over its own turns;
 * {@code alternate} is {@code none,cache}; an arm with {@code -unkeyed} (as {@code cache-unkeyed}) takes the delta key
 * out of each group before routing it, so the router hashes every group as it did before layouts carried keys.
 *
 * <p>Each round's groups are then routed on a thread named {@code route-0} as the source's router routes them: each
 * group's key ({@link SeriesGroupKey#of}) and its subtask of {@value #DELTA_PARALLELISM} (the bench's delta stage);
 * that thread's bill is the router's per-group work.
 *
 * <p>Run from the benchmarks classpath: {@code java -cp … dev.kubelogs.bench.ScrapeLoop [targets] [rounds]
 * [warmup-rounds] [threads] [arms] [block] [rules] [pace-ms]}; {@code rules} gives the job the
 * {@code metric_relabel_configs} of the shipped {@code kubernetes-service-endpoints} job (any other word: none);
 * {@code pace-ms} spreads each round's scrapes over that long, as the reader spreads a scrape interval's (the bench's
 * cluster scrapes 100 targets every 2 s: {@code 100 … 2000}), so the threads wake and run cold as there.
 */
public final class ScrapeLoop {
    private ScrapeLoop() {}

    /** The delta stage's parallelism and key groups in the bench's cluster (two TaskManagers of two slots). */
    private static final int DELTA_PARALLELISM = 4;

    private static final int MAX_PARALLELISM = 128;

    public static void main(String[] args) throws Exception {
        LoopArgs arguments = new LoopArgs(args);
        int targets = arguments.integer(0, "targets", 60);
        int rounds = arguments.integer(1, "rounds", 200);
        int warmup = arguments.integer(2, "warm-up rounds", 100);
        int threads = arguments.integer(3, "threads", 8);
        String arms = arguments.word(4, "cache");
        int block = arguments.integer(5, "block", 20);
        boolean rules = arguments.is(6, "rules");
        long paceMs = arguments.longInteger(7, "pace-ms", 0);
        List<String> order = List.of((arms.equals("alternate") ? "none,cache" : arms).split(","));
        for (String arm : order) {
            if (!List.of("cache", "layout", "none").contains(arm.replace("-unkeyed", ""))) {
                throw new IllegalArgumentException(
                        "an arm is cache, layout or none, each with -unkeyed or not: " + arm);
            }
        }
        com.sun.management.ThreadMXBean mx = CpuClock.threads();
        try (MetricsTargets exporters = new MetricsTargets(targets)) {
            List<ScrapeTarget> scrapeTargets = new ArrayList<>();
            PrometheusConfig config = PrometheusConfigParser.parse(config(exporters.addresses(), rules), "bench.yaml");
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
            ExecutorService router = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "route-0");
                t.setDaemon(true);
                return t;
            });
            Map<String, Map<ScrapeTarget, TargetState>> states = new HashMap<>();
            for (String arm : order) {
                states.put(arm, states(scrapeTargets, arm));
            }
            long[] samples = new long[1];
            Map<String, Map<String, long[]>> bills = new TreeMap<>();
            Map<String, long[]> totals = new TreeMap<>();
            for (Alternation.Turn turn : Alternation.inBlocks(order.size(), warmup, rounds, block)) {
                String arm = order.get(turn.arm());
                Map<String, long[]> before = turn.measured() ? ThreadGroups.snapshot(mx) : null;
                samples[0] = 0;
                long wall = System.nanoTime();
                for (int r = 0; r < turn.rounds(); r++) {
                    round(
                            pool,
                            router,
                            scraper,
                            scrapeTargets,
                            states.get(arm),
                            arm.endsWith("-unkeyed"),
                            paceMs,
                            samples);
                }
                if (turn.measured()) {
                    long[] total = totals.computeIfAbsent(arm, k -> new long[3]);
                    total[0] += (long) turn.rounds() * targets;
                    total[1] += samples[0];
                    total[2] += System.nanoTime() - wall;
                    ThreadGroups.add(
                            bills.computeIfAbsent(arm, k -> new TreeMap<>()), before, ThreadGroups.snapshot(mx));
                }
            }
            pool.shutdownNow();
            router.shutdownNow();
            for (String arm : order) {
                long[] total = totals.get(arm);
                System.out.printf(Locale.ROOT, "arm %s:%n", arm);
                report(bills.get(arm), total[0], total[1], total[2]);
            }
        }
    }

    /** A target's state across its scrapes, as the reader keeps it. */
    private record TargetState(TargetMetadata metadata, ScrapeCache cache) {}

    /** Each target's state for one arm: its metadata, and the arm's scrape cache (none for {@code none}). */
    private static Map<ScrapeTarget, TargetState> states(List<ScrapeTarget> targets, String arm) {
        Map<ScrapeTarget, TargetState> states = new HashMap<>();
        for (ScrapeTarget t : targets) {
            ScrapeCache cache = switch (arm.replace("-unkeyed", "")) {
                case "cache" -> new ScrapeCache();
                case "layout" -> ScrapeCache.layoutOnly();
                default -> null;
            };
            states.put(t, new TargetState(new TargetMetadata(), cache));
        }
        return states;
    }

    /**
     * Scrapes every target once with its state in {@code states}, then routes the groups on {@code router}.
     *
     * @param unkeyed take each group's key out before routing it
     * @param paceMs spread the round's scrapes evenly over this long, as the reader spreads its targets' scrapes over
     *     their interval; 0: all at once
     */
    private static void round(
            ExecutorService pool,
            ExecutorService router,
            Scraper scraper,
            List<ScrapeTarget> targets,
            Map<ScrapeTarget, TargetState> states,
            boolean unkeyed,
            long paceMs,
            long[] samples)
            throws Exception {
        List<Future<ScrapeOutcome>> futures = new ArrayList<>(targets.size());
        long start = System.nanoTime();
        for (int i = 0; i < targets.size(); i++) {
            ScrapeTarget t = targets.get(i);
            long waitNs = start + i * paceMs * 1_000_000L / targets.size() - System.nanoTime();
            if (waitNs > 0) {
                Thread.sleep(waitNs / 1_000_000L, (int) (waitNs % 1_000_000L));
            }
            TargetState state = states.get(t);
            futures.add(pool.submit(() -> scraper.scrape(t, state.metadata(), state.cache())));
        }
        List<List<SeriesGroup>> scraped = new ArrayList<>(targets.size());
        for (Future<ScrapeOutcome> f : futures) {
            ScrapeOutcome outcome = f.get();
            if (!outcome.isOk()) {
                throw new IllegalStateException("scrape failed: " + outcome);
            }
            for (SeriesGroup g : outcome.groups()) {
                samples[0] += g.size();
                if (unkeyed) {
                    g.seriesKey = null;
                }
            }
            scraped.add(outcome.groups());
        }
        long subtasks = router.submit(() -> route(scraped)).get();
        if (subtasks < 0) {
            throw new IllegalStateException("no subtask");
        }
    }

    /** The router's per-group work: each group's key and its subtask; returns a sum, so the JIT keeps the work. */
    private static long route(List<List<SeriesGroup>> scrapes) {
        long sum = 0;
        for (List<SeriesGroup> groups : scrapes) {
            for (SeriesGroup g : groups) {
                sum += KeyGroupRangeAssignment.assignKeyToParallelOperator(
                        SeriesGroupKey.of(g), MAX_PARALLELISM, DELTA_PARALLELISM);
            }
        }
        return sum;
    }

    /** With {@code rules}, the metric_relabel_configs of the shipped kubernetes-service-endpoints job. */
    private static String config(List<String> addresses, boolean rules) {
        return "global:\n  scrape_interval: 3s\n  scrape_timeout: 3s\nscrape_configs:\n- job_name: bench\n"
                + "  static_configs:\n  - targets: ['" + String.join("', '", addresses) + "']\n"
                + (rules ? SERVICE_ENDPOINTS_METRIC_RULES : "");
    }

    private static final String SERVICE_ENDPOINTS_METRIC_RULES = "  metric_relabel_configs:\n"
            + "  - source_labels: [__name__]\n    regex: 'go_gc_duration_seconds.*'\n    action: drop\n"
            + "  - source_labels: [__name__, proxy]\n    regex: \"haproxy_frontend.+;(.+)\"\n"
            + "    target_label: frontend\n    replacement: \"$1\"\n"
            + "  - source_labels: [__name__, proxy]\n    regex: \"haproxy_server.+;(.+)\"\n"
            + "    target_label: backend\n    replacement: \"$1\"\n"
            + "  - source_labels: [__name__, proxy]\n    regex: \"haproxy_backend.+;(.+)\"\n"
            + "    target_label: backend\n    replacement: \"$1\"\n"
            + "  - regex: proxy\n    action: labeldrop\n";

    private static void report(Map<String, long[]> delta, long scrapes, long samples, long wallNs) {
        long pipelineCpu = 0;
        long pipelineAlloc = 0;
        for (Map.Entry<String, long[]> e : delta.entrySet()) {
            if (!e.getKey().startsWith("[exporters]")) {
                pipelineCpu += e.getValue()[0];
                pipelineAlloc += e.getValue()[1];
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
