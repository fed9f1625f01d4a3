package dev.kubelogs.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Scrape targets for the metrics bench: one JDK HTTP server per target on a free loopback port (each target its own
 * {@code instance}, as pods are), serving {@link ExporterText} at {@code /metrics}, the next scrape's counters on
 * every request. Their handler threads are named {@code bench-target-*} and their dispatchers
 * {@code HTTP-Dispatcher}, so {@link ThreadCpu} keeps their CPU out of the job's bill.
 */
public final class MetricsTargets implements AutoCloseable {
    private final List<HttpServer> servers = new ArrayList<>();
    private final ExecutorService handlers;
    private final AtomicLongArray served;

    public MetricsTargets(int targets) throws IOException {
        this(targets, -1);
    }

    /** @param fixedBytes when not negative, every target serves the same body of this many bytes instead */
    public MetricsTargets(int targets, int fixedBytes) throws IOException {
        byte[] fixed =
                fixedBytes < 0 ? null : "x".repeat(fixedBytes).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        AtomicInteger threads = new AtomicInteger();
        handlers = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "bench-target-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        served = new AtomicLongArray(targets);
        for (int i = 0; i < targets; i++) {
            int target = i;
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/metrics", exchange -> {
                try (exchange) {
                    byte[] body = fixed != null ? fixed : ExporterText.render(target, served.get(target));
                    exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                    exchange.sendResponseHeaders(200, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                    served.incrementAndGet(target);
                }
            });
            server.setExecutor(handlers);
            server.start();
            servers.add(server);
        }
    }

    /** {@code host:port} of each target, in target order. */
    public List<String> addresses() {
        List<String> out = new ArrayList<>(servers.size());
        for (HttpServer s : servers) {
            out.add(s.getAddress().getHostString() + ":" + s.getAddress().getPort());
        }
        return out;
    }

    /** Bodies fully sent by target {@code i}. */
    public long served(int i) {
        return served.get(i);
    }

    /** Bodies fully sent by all targets. */
    public long servedTotal() {
        long n = 0;
        for (int i = 0; i < served.length(); i++) {
            n += served.get(i);
        }
        return n;
    }

    @Override
    public void close() {
        for (HttpServer s : servers) {
            s.stop(0);
        }
        handlers.shutdownNow();
    }
}
