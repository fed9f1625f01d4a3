package dev.kubelogs.collector.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

/**
 * HTTP {@code /metrics} (Prometheus text format 0.0.4, gzip if the scraper asks for it) and {@code /healthz} (200 "ok"
 * while healthy, 503 with the reason otherwise), on the JDK's HTTP server with one thread: scrapes and probes come a
 * few times a minute.
 */
public final class MetricsServer implements AutoCloseable {
    static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    /** Health: null or empty means healthy; otherwise the reason it is not. */
    public MetricsServer(int port, CollectorMetrics metrics, Supplier<String> unhealthyReason) throws IOException {
        server = HttpServer.create(new InetSocketAddress(port), 0);
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "kubelogs-metrics-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/metrics", exchange -> metrics(exchange, metrics));
        server.createContext("/", exchange -> handle(exchange, unhealthyReason));
        server.start();
    }

    private static void metrics(HttpExchange exchange, CollectorMetrics metrics) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals("/metrics")) {
                send(
                        exchange,
                        404,
                        "text/plain; charset=utf-8",
                        "not found; try /metrics or /healthz\n".getBytes(StandardCharsets.UTF_8),
                        false);
                return;
            }
            String accept = exchange.getRequestHeaders().getFirst("Accept-Encoding");
            boolean gzip =
                    accept != null && accept.toLowerCase(java.util.Locale.ROOT).contains("gzip");
            send(exchange, 200, TEXT_FORMAT, metrics.text(), gzip);
        }
    }

    private static void handle(HttpExchange exchange, Supplier<String> unhealthyReason) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            int status;
            String body;
            if (path.equals("/healthz") || path.equals("/health") || path.equals("/api/v1/health")) {
                String reason = unhealthyReason.get();
                status = reason == null || reason.isEmpty() ? 200 : 503;
                body = status == 200 ? "ok\n" : reason + "\n";
            } else {
                status = 404;
                body = "not found; try /metrics or /healthz\n";
            }
            send(exchange, status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8), false);
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body, boolean gzip)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        if (gzip) {
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
            ByteArrayOutputStream z = new ByteArrayOutputStream(body.length / 4 + 64);
            try (GZIPOutputStream out = new GZIPOutputStream(z)) {
                out.write(body);
            }
            body = z.toByteArray();
        }
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
