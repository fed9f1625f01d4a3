package dev.kubelogs.collector.metrics;

import com.sun.net.httpserver.HttpExchange;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/** HTTP {@code /metrics} (Prometheus text) and {@code /healthz} (200 "ok" while healthy, 503 with the reason otherwise). */
public final class MetricsServer implements AutoCloseable {
    private final HTTPServer server;

    /** Health: null or empty means healthy; otherwise the reason it is not. */
    public MetricsServer(int port, CollectorMetrics metrics, Supplier<String> unhealthyReason) throws IOException {
        this.server = HTTPServer.builder()
                .port(port)
                .registry(metrics.registry())
                .registerHealthHandler(false)
                // one thread for scrapes and probes (the library's default pool grows to 10 threads, each with a
                // stack and possibly a malloc arena: several MB of RSS for a few requests per minute)
                .executorService(Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "kubelogs-metrics-http");
                    t.setDaemon(true);
                    return t;
                }))
                .defaultHandler(exchange -> handle(exchange, unhealthyReason))
                .buildAndStart();
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
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(status, b.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(b);
            }
        }
    }

    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        server.close();
    }
}
