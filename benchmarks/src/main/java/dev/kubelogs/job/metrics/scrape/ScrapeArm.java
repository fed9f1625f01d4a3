package dev.kubelogs.job.metrics.scrape;

import dev.kubelogs.job.metrics.config.PrometheusConfigParser;
import dev.kubelogs.job.metrics.config.ScrapeConfig;
import dev.kubelogs.job.metrics.config.TlsConfig;
import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.ScrapeTarget;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import dev.kubelogs.job.metrics.parse.TargetMetadata;
import dev.kubelogs.job.metrics.target.TargetBuilder;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One arm of {@code dev.kubelogs.bench.ScrapeJarsLoop}: the job's scrape path as the reader runs it, built from the
 * job classes of the class loader that loaded this class, so that two builds of the job can be alternated in one JVM.
 * Each call scrapes every target once on a {@link ScheduledThreadPoolExecutor} of threads named
 * {@code scrape-<arm>-<n>}, the scrapes spread over {@code paceMs} as the reader spreads an interval's, and returns
 * the samples of the groups made. Mode {@code scrape}: the {@link Scraper} with each target's metadata and scrape
 * cache; {@code fetch}: the HTTP exchange alone ({@link BodyFetcher}, returns bytes instead).
 */
public final class ScrapeArm implements Callable<Long>, AutoCloseable {
    private final List<ScrapeTarget> targets = new ArrayList<>();
    private final List<TargetMetadata> metadata = new ArrayList<>();
    private final List<ScrapeCache> caches = new ArrayList<>();
    private final HttpClients clients = new HttpClients();
    private final Scraper scraper;
    private final ScheduledThreadPoolExecutor pool;
    private final long paceMs;
    private final boolean fetchOnly;
    private final BodyFetcher fetcher = new BodyFetcher(64L << 20, true);

    public ScrapeArm(List<String> addresses, int threads, String arm, long paceMs, String mode) throws Exception {
        if (!mode.equals("scrape") && !mode.equals("fetch")) {
            throw new IllegalArgumentException("a mode is scrape or fetch: " + mode);
        }
        this.fetchOnly = mode.equals("fetch");
        this.paceMs = paceMs;
        ScrapeConfig job = PrometheusConfigParser.parse(
                        "global:\n  scrape_interval: 3s\n  scrape_timeout: 3s\nscrape_configs:\n- job_name: bench\n"
                                + "  static_configs:\n  - targets: ['" + String.join("', '", addresses) + "']\n",
                        "bench.yaml")
                .scrapeConfigs()
                .get(0);
        TargetBuilder builder = new TargetBuilder(job);
        for (String address : addresses) {
            targets.add(builder.build(Labels.builder()
                    .set("__address__", address)
                    .set("Namespace", "shop-1")
                    .set("pod_name", "orders-7d9c6b7f9d-00001")
                    .set("container_name", "orders")
                    .set("Service", "orders-1")
                    .build()));
            metadata.add(new TargetMetadata());
            caches.add(new ScrapeCache());
        }
        scraper = new Scraper(job, clients, 64L << 20);
        AtomicInteger number = new AtomicInteger();
        pool = new ScheduledThreadPoolExecutor(threads, r -> {
            Thread t = new Thread(r, "scrape-" + arm + "-" + number.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** One round: every target scraped (or fetched) once; the samples (or bytes) it gave. */
    @Override
    public Long call() throws Exception {
        List<Future<Long>> futures = new ArrayList<>(targets.size());
        ScrapeHttpClient client = fetchOnly ? clients.forTls(TlsConfig.NONE) : null;
        for (int i = 0; i < targets.size(); i++) {
            int t = i;
            long delayNs = i * paceMs * 1_000_000L / targets.size();
            futures.add(pool.schedule(() -> fetchOnly ? fetch(client, t) : scrape(t), delayNs, TimeUnit.NANOSECONDS));
        }
        long total = 0;
        for (Future<Long> f : futures) {
            total += f.get();
        }
        return total;
    }

    private long scrape(int t) throws InterruptedException {
        ScrapeOutcome outcome = scraper.scrape(targets.get(t), metadata.get(t), caches.get(t));
        if (!outcome.isOk()) {
            throw new IllegalStateException("scrape failed: " + outcome);
        }
        long samples = 0;
        for (SeriesGroup g : outcome.groups()) {
            samples += g.size();
        }
        return samples;
    }

    private long fetch(ScrapeHttpClient client, int t) throws Exception {
        return fetcher.fetch(client, URI.create(targets.get(t).url()), 3000, null)
                .length();
    }

    @Override
    public void close() {
        pool.shutdownNow();
        clients.close();
    }
}
