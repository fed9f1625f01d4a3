package dev.kubelogs.job.metrics.scrape;

import dev.kubelogs.bench.MetricsTargets;
import dev.kubelogs.bench.ThreadGroups;
import dev.kubelogs.bench.loop.Alternation;
import dev.kubelogs.bench.loop.CpuClock;
import dev.kubelogs.bench.loop.LoopArgs;
import dev.kubelogs.job.metrics.config.TlsConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP side of a scrape alone (issue 14): every {@link MetricsTargets} exporter's body fetched once a round by
 * {@code threads} threads named as the reader's scrape threads, and the CPU and bytes of every thread of this JVM by
 * name group, per fetch. The arms: {@code jdk}, the JDK's {@code HttpClient} as the scraper used it before (HTTP/1.1,
 * its tasks inline on its selector thread, {@code sendAsync} waited for with the deadline, the body collected into one
 * array); {@code job}, the job's own {@link BodyFetcher} and {@link HttpClients} (in this package for that). Arms
 * alternate in blocks of rounds in one JVM.
 *
 * <p>{@code java -cp … dev.kubelogs.job.metrics.scrape.HttpFetchLoop [targets] [rounds] [warmup-rounds] [threads]
 * [arms] [block] [bytes]}; {@code bytes}, the exporters serve a fixed body of that size instead (to part a fetch's
 * cost per request from its cost per byte).
 */
public final class HttpFetchLoop {
    private HttpFetchLoop() {}

    /** One way to fetch a body; returns its length. */
    interface Fetch {
        int fetch(URI uri) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        LoopArgs arguments = new LoopArgs(args);
        int targets = arguments.integer(0, "targets", 60);
        int rounds = arguments.integer(1, "rounds", 200);
        int warmup = arguments.integer(2, "warm-up rounds", 100);
        int threads = arguments.integer(3, "threads", 8);
        List<String> order = List.of(arguments.word(4, "jdk,job").split(","));
        int block = arguments.integer(5, "block", 20);
        int fixedBytes = arguments.integer(6, "bytes", -1);
        com.sun.management.ThreadMXBean mx = CpuClock.threads();
        try (MetricsTargets exporters = new MetricsTargets(targets, fixedBytes)) {
            List<URI> uris = new ArrayList<>();
            for (String a : exporters.addresses()) {
                uris.add(URI.create("http://" + a + "/metrics"));
            }
            Map<String, Fetch> arms = new HashMap<>();
            for (String arm : order) {
                arms.put(arm, arm(arm));
            }
            AtomicInteger threadNumber = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "scrape-0-" + threadNumber.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            long[] bytes = new long[1];
            Map<String, Map<String, long[]>> bills = new TreeMap<>();
            Map<String, long[]> totals = new TreeMap<>();
            for (Alternation.Turn turn : Alternation.inBlocks(order.size(), warmup, rounds, block)) {
                String arm = order.get(turn.arm());
                Map<String, long[]> before = turn.measured() ? ThreadGroups.snapshot(mx) : null;
                bytes[0] = 0;
                for (int r = 0; r < turn.rounds(); r++) {
                    round(pool, arms.get(arm), uris, bytes);
                }
                if (turn.measured()) {
                    long[] total = totals.computeIfAbsent(arm, k -> new long[2]);
                    total[0] += (long) turn.rounds() * targets;
                    total[1] += bytes[0];
                    ThreadGroups.add(
                            bills.computeIfAbsent(arm, k -> new TreeMap<>()), before, ThreadGroups.snapshot(mx));
                }
            }
            pool.shutdownNow();
            for (String arm : order) {
                long[] total = totals.get(arm);
                System.out.printf(
                        Locale.ROOT,
                        "arm %s: %d fetches, %.1f KB a body%n",
                        arm,
                        total[0],
                        total[1] / 1024.0 / total[0]);
                ThreadGroups.report(bills.get(arm), total[0], "fetch");
            }
        }
    }

    private static void round(ExecutorService pool, Fetch fetch, List<URI> uris, long[] bytes) throws Exception {
        List<Future<Integer>> futures = new ArrayList<>(uris.size());
        for (URI uri : uris) {
            futures.add(pool.submit(() -> fetch.fetch(uri)));
        }
        for (Future<Integer> f : futures) {
            bytes[0] += f.get();
        }
    }

    private static Fetch arm(String name) throws ScrapeFailure {
        switch (name) {
            case "jdk":
                HttpClient jdk = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .executor(Runnable::run)
                        .followRedirects(HttpClient.Redirect.NORMAL)
                        .build();
                return uri -> {
                    HttpRequest request = HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofMillis(3000))
                            .header("Accept", BodyFetcher.ACCEPT)
                            .header("Accept-Encoding", "gzip")
                            .header("User-Agent", "kubelogs")
                            .header("X-Prometheus-Scrape-Timeout-Seconds", "3")
                            .GET()
                            .build();
                    HttpResponse<Integer> response = jdk.sendAsync(
                                    request,
                                    info -> new Collecting(info.headers()
                                            .firstValueAsLong("Content-Length")
                                            .orElse(-1L)))
                            .get(3000, TimeUnit.MILLISECONDS);
                    return response.body();
                };
            case "job":
                ScrapeHttpClient client = new HttpClients().forTls(TlsConfig.NONE);
                BodyFetcher fetcher = new BodyFetcher(64L << 20, true);
                return uri -> fetcher.fetch(client, uri, 3000, null).length();
            default:
                throw new IllegalArgumentException("an arm is jdk or job: " + name);
        }
    }

    /** The old scraper's body subscriber without its limit: the body copied into one array sized by its length. */
    private static final class Collecting implements HttpResponse.BodySubscriber<Integer> {
        private final CompletableFuture<Integer> result = new CompletableFuture<>();
        private Flow.Subscription subscription;
        private byte[] buffer;
        private int size;

        Collecting(long length) {
            buffer = new byte[(int) Math.max(8192, Math.min(length, 1 << 24))];
        }

        @Override
        public CompletionStage<Integer> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer item : items) {
                int n = item.remaining();
                if (size + n > buffer.length) {
                    buffer = Arrays.copyOf(buffer, Math.max(size + n, 2 * buffer.length));
                }
                item.get(buffer, size, n);
                size += n;
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            result.complete(size);
        }
    }
}
