package dev.kubelogs.job.metrics.scrape;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/** A local HTTP(S) server on a free port that answers {@code /metrics} and records the requests it got. */
public final class MetricsEndpoint implements AutoCloseable {
    public static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
    public static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Headers> requests = new CopyOnWriteArrayList<>();
    private final List<String> paths = new CopyOnWriteArrayList<>();
    private final String scheme;

    private MetricsEndpoint(HttpServer server, HttpHandler handler, String scheme) {
        this.server = server;
        this.scheme = scheme;
        server.createContext("/metrics", exchange -> {
            synchronized (requests) {
                requests.add(exchange.getRequestHeaders());
                paths.add(exchange.getRequestURI().toString());
                requests.notifyAll();
            }
            handler.handle(exchange);
        });
        server.setExecutor(executor);
        server.start();
    }

    public static MetricsEndpoint start(HttpHandler handler) throws IOException {
        return new MetricsEndpoint(HttpServer.create(loopback(), 0), handler, "http");
    }

    /** An HTTPS endpoint; {@code needClientAuth} makes it refuse clients without a certificate its context trusts. */
    public static MetricsEndpoint startTls(SSLContext context, boolean needClientAuth, HttpHandler handler)
            throws IOException {
        HttpsServer server = HttpsServer.create(loopback(), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = getSSLContext().getDefaultSSLParameters();
                parameters.setNeedClientAuth(needClientAuth);
                params.setSSLParameters(parameters);
            }
        });
        return new MetricsEndpoint(server, handler, "https");
    }

    /** Answers every request with status 200, this content type and body. */
    public static MetricsEndpoint serving(String contentType, String body) throws IOException {
        return start(respond(200, contentType, body));
    }

    public static HttpHandler respond(int status, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return exchange -> {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        };
    }

    /** {@code plain} gzip-compressed, for a body sent with {@code Content-Encoding: gzip}. */
    public static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(plain);
        }
        return bytes.toByteArray();
    }

    private static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    public String url() {
        return scheme + "://" + address() + "/metrics";
    }

    /** The path and query of each request so far, in order, as sent. */
    public List<String> paths() {
        return List.copyOf(paths);
    }

    /** The headers of each request so far, in order. */
    public List<Headers> requests() {
        return requests;
    }

    /** Waits until at least {@code count} requests arrived; fails after {@code deadline}. */
    public void awaitRequests(int count, Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        synchronized (requests) {
            while (requests.size() < count) {
                long left = (end - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new AssertionError("only " + requests.size() + " of " + count + " requests in " + deadline);
                }
                requests.wait(left);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
