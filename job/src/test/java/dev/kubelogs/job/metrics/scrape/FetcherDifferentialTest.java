package dev.kubelogs.job.metrics.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import dev.kubelogs.job.metrics.config.TlsConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link BodyFetcher} on Apache HttpClient against the fetch it replaced on the JDK's client ({@link JdkBodyFetcher}):
 * the same served bodies, headers, statuses, broken responses, timeouts and TLS setups give the same body or the same
 * counted failure through both.
 */
class FetcherDifferentialTest {
    private static final long NO_LIMIT = 64 << 20;

    @TempDir
    static Path tempDir;

    private static TestCertificates serverCert;
    private static TestCertificates otherCert;
    private static TestCertificates clientCert;
    private static final HttpClients CLIENTS = new HttpClients();

    private final List<AutoCloseable> servers = new ArrayList<>();

    @BeforeAll
    static void certificates() throws Exception {
        serverCert = TestCertificates.create(tempDir, "server", "dns:metrics.example,ip:127.0.0.1");
        otherCert = TestCertificates.create(tempDir, "other", "dns:other.example");
        clientCert = TestCertificates.create(tempDir, "client", "dns:client.example");
    }

    @AfterAll
    static void closeClients() {
        CLIENTS.close();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable s : servers) {
            s.close();
        }
    }

    /** What a fetch gave: the body and its content type, or the failure's reason and status. */
    private static String outcome(FetchCall call) throws InterruptedException {
        try {
            RawBody body = call.fetch();
            return "body " + body.contentType() + " "
                    + new String(Arrays.copyOf(body.bytes(), body.length()), StandardCharsets.ISO_8859_1);
        } catch (ScrapeFailure failure) {
            return "failed " + failure.reason() + " " + failure.httpStatus();
        }
    }

    private interface FetchCall {
        RawBody fetch() throws ScrapeFailure, InterruptedException;
    }

    /** Fetches {@code url} through both clients, asserts they agree and returns what they gave. */
    private static String both(String url, long limit, long timeoutMs, TlsConfig tls, String authorization)
            throws Exception {
        HttpClient jdk = JdkBodyFetcher.client(tls);
        String old =
                outcome(() -> new JdkBodyFetcher(limit, true).fetch(jdk, URI.create(url), timeoutMs, authorization));
        ScrapeHttpClient apache = CLIENTS.forTls(tls);
        String fresh =
                outcome(() -> new BodyFetcher(limit, true).fetch(apache, URI.create(url), timeoutMs, authorization));
        assertThat(fresh).as("the new fetch of %s", url).isEqualTo(old);
        return fresh;
    }

    private static String both(String url) throws Exception {
        return both(url, NO_LIMIT, 10_000, TlsConfig.NONE, null);
    }

    private MetricsEndpoint endpoint(com.sun.net.httpserver.HttpHandler handler) throws IOException {
        MetricsEndpoint e = MetricsEndpoint.start(handler);
        servers.add(e);
        return e;
    }

    private RawTarget raw(Consumer<Socket> handler) throws IOException {
        RawTarget r = new RawTarget(handler);
        servers.add(r);
        return r;
    }

    private static Consumer<Socket> answer(String response) {
        return socket -> {
            try (socket) {
                RawTarget.send(socket, response);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    @Test
    void bodiesComeBackTheSame() throws Exception {
        byte[] lines = "# TYPE up gauge\nup 1\nrequests_total{path=\"/a\"} 12\n"
                .repeat(2000)
                .getBytes(StandardCharsets.US_ASCII);
        String sized = endpoint(serve(lines, null, false)).url();
        String chunked = endpoint(serve(lines, null, true)).url();
        String gzipped =
                endpoint(serve(MetricsEndpoint.gzip(lines), "gzip", false)).url();
        String empty =
                endpoint(MetricsEndpoint.respond(200, MetricsEndpoint.TEXT, "")).url();

        assertThat(both(sized)).startsWith("body " + MetricsEndpoint.TEXT + " # TYPE up gauge");
        assertThat(both(chunked)).isEqualTo(both(sized));
        assertThat(both(gzipped)).isEqualTo(both(sized));
        assertThat(both(empty)).isEqualTo("body " + MetricsEndpoint.TEXT + " ");
        // at the limit, one byte over it with and without a length, unpacked over it
        assertThat(both(sized, lines.length, 10_000, TlsConfig.NONE, null)).isEqualTo(both(sized));
        assertThat(both(sized, lines.length - 1, 10_000, TlsConfig.NONE, null)).isEqualTo("failed BODY_TOO_LARGE 0");
        assertThat(both(chunked, lines.length - 1, 10_000, TlsConfig.NONE, null))
                .isEqualTo("failed BODY_TOO_LARGE 0");
        assertThat(both(gzipped, lines.length - 1, 10_000, TlsConfig.NONE, null))
                .isEqualTo("failed BODY_TOO_LARGE 0");
    }

    @Test
    void theRequestHeadersAreTheSame() throws Exception {
        MetricsEndpoint e = endpoint(MetricsEndpoint.respond(200, MetricsEndpoint.TEXT, "up 1\n"));
        both(e.url(), NO_LIMIT, 2_500, TlsConfig.NONE, "Bearer token");

        Headers old = e.requests().get(0);
        Headers fresh = e.requests().get(1);
        for (String name : List.of(
                "Accept",
                "Accept-Encoding",
                "User-Agent",
                "X-Prometheus-Scrape-Timeout-Seconds",
                "Authorization",
                "Host")) {
            assertThat(fresh.get(name)).as(name).isEqualTo(old.get(name)).isNotNull();
        }
    }

    @Test
    void statusesRedirectsAndBrokenResponsesFailTheSame() throws Exception {
        assertThat(both(endpoint(MetricsEndpoint.respond(503, "text/plain", "overloaded"))
                        .url()))
                .isEqualTo("failed HTTP_STATUS 503");
        assertThat(both(endpoint(MetricsEndpoint.respond(404, "text/plain", "")).url()))
                .isEqualTo("failed HTTP_STATUS 404");
        MetricsEndpoint redirecting = endpoint(exchange -> {
            if (exchange.getRequestURI().getPath().equals("/metrics")) {
                exchange.getResponseHeaders().set("Location", "/metrics/moved");
                exchange.sendResponseHeaders(302, -1);
                exchange.close();
            } else {
                MetricsEndpoint.respond(200, MetricsEndpoint.TEXT, "up 1\n").handle(exchange);
            }
        });
        assertThat(both(redirecting.url())).isEqualTo("body " + MetricsEndpoint.TEXT + " up 1\n");
        assertThat(both(raw(answer("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nup 1\nhalf_"))
                        .url()))
                .isEqualTo("failed TARGET_GONE 0");
        assertThat(both(raw(answer("")).url())).isEqualTo("failed IO_ERROR 0");
        assertThat(both(raw(answer("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 5\r\n\r\nup 1\n"))
                        .url()))
                .isEqualTo("failed PARSE_ERROR 0");
        assertThat(both(raw(socket -> RawTarget.awaitClientGone(socket)).url(), NO_LIMIT, 300, TlsConfig.NONE, null))
                .isEqualTo("failed TIMEOUT 0");
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        assertThat(both("http://127.0.0.1:" + closedPort + "/metrics")).isEqualTo("failed CONNECT_REFUSED 0");
    }

    @Test
    void tlsSetupsSucceedAndFailTheSame() throws Exception {
        String ok = "body " + MetricsEndpoint.TEXT + " up 1\n";
        MetricsEndpoint tls = MetricsEndpoint.startTls(
                serverCert.serverContext(), false, MetricsEndpoint.respond(200, MetricsEndpoint.TEXT, "up 1\n"));
        servers.add(tls);
        String ca = serverCert.certPem.toString();
        assertThat(both(tls.url(), NO_LIMIT, 10_000, new TlsConfig(ca, null, null, null, false), null))
                .isEqualTo(ok);
        assertThat(both(
                        tls.url(),
                        NO_LIMIT,
                        10_000,
                        new TlsConfig(otherCert.certPem.toString(), null, null, null, false),
                        null))
                .isEqualTo("failed TLS_ERROR 0");
        assertThat(both(
                        tls.url(),
                        NO_LIMIT,
                        10_000,
                        new TlsConfig(otherCert.certPem.toString(), null, null, null, true),
                        null))
                .isEqualTo(ok);
        assertThat(both(tls.url(), NO_LIMIT, 10_000, new TlsConfig(ca, null, null, "metrics.example", false), null))
                .isEqualTo(ok);
        assertThat(both(tls.url(), NO_LIMIT, 10_000, new TlsConfig(ca, null, null, "elsewhere.example", false), null))
                .isEqualTo("failed TLS_ERROR 0");
        // a URL host the certificate does not name fails unless server_name names one it does
        String byName = tls.url().replace("127.0.0.1", "localhost");
        assertThat(both(byName, NO_LIMIT, 10_000, new TlsConfig(ca, null, null, null, false), null))
                .isEqualTo("failed TLS_ERROR 0");

        MetricsEndpoint mutual = MetricsEndpoint.startTls(
                serverCert.serverContext(clientCert),
                true,
                MetricsEndpoint.respond(200, MetricsEndpoint.TEXT, "up 1\n"));
        servers.add(mutual);
        TlsConfig withClientCert =
                new TlsConfig(ca, clientCert.certPem.toString(), clientCert.keyPem.toString(), null, false);
        assertThat(both(mutual.url(), NO_LIMIT, 10_000, withClientCert, null)).isEqualTo(ok);
        assertThat(both(mutual.url(), NO_LIMIT, 10_000, new TlsConfig(ca, null, null, null, false), null))
                .startsWith("failed ");
    }

    @Test
    void bothKeepTheConnectionAliveAcrossScrapes() throws Exception {
        Set<Integer> clientPorts = new HashSet<>();
        MetricsEndpoint e = endpoint(exchange -> {
            synchronized (clientPorts) {
                clientPorts.add(exchange.getRemoteAddress().getPort());
            }
            MetricsEndpoint.respond(200, MetricsEndpoint.TEXT, "up 1\n").handle(exchange);
        });
        try (HttpClients own = new HttpClients()) {
            ScrapeHttpClient apache = own.forTls(TlsConfig.NONE);
            for (int i = 0; i < 5; i++) {
                new BodyFetcher(NO_LIMIT, true).fetch(apache, URI.create(e.url()), 10_000, null);
            }
        }
        assertThat(clientPorts).hasSize(1);

        clientPorts.clear();
        HttpClient jdk = JdkBodyFetcher.client(TlsConfig.NONE);
        for (int i = 0; i < 5; i++) {
            new JdkBodyFetcher(NO_LIMIT, true).fetch(jdk, URI.create(e.url()), 10_000, null);
        }
        assertThat(clientPorts).hasSize(1);
    }

    private static com.sun.net.httpserver.HttpHandler serve(byte[] body, String encoding, boolean chunked) {
        return exchange -> {
            exchange.getResponseHeaders().set("Content-Type", MetricsEndpoint.TEXT);
            if (encoding != null) {
                exchange.getResponseHeaders().set("Content-Encoding", encoding);
            }
            exchange.sendResponseHeaders(200, chunked ? 0 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            } catch (IOException clientGaveUp) {
                // a fetcher over its limit stops reading
            }
        };
    }
}
