package dev.kubelogs.job.metrics.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.Headers;
import dev.kubelogs.job.metrics.config.TlsConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLHandshakeException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One GET of a target's body, against real local servers: what is sent, what comes back, the size limit and the
 * deadline of the whole exchange, and the counted reason of each way it can fail. (Scraping end to end, with parsing,
 * is {@link ScraperTest}'s.)
 */
class BodyFetcherTest {
    private static final long NO_LIMIT = 64 << 20;

    private final ScrapeHttpClient client = client();
    private MetricsEndpoint endpoint;
    private RawTarget raw;

    private static ScrapeHttpClient client() {
        try {
            return new HttpClients().forTls(TlsConfig.NONE);
        } catch (ScrapeFailure e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stop() throws IOException {
        if (endpoint != null) {
            endpoint.close();
        }
        if (raw != null) {
            raw.close();
        }
    }

    private RawBody fetch(String url, long limit) throws Exception {
        return new BodyFetcher(limit, true).fetch(client, URI.create(url), 10_000, null);
    }

    private ScrapeFailure failure(String url, long limit, long timeoutMs) {
        ScrapeFailure failure = catchThrowableOfType(
                ScrapeFailure.class,
                () -> new BodyFetcher(limit, true).fetch(client, URI.create(url), timeoutMs, null));
        assertThat(failure).as("the fetch's failure").isNotNull();
        return failure;
    }

    private static MetricsEndpoint serving(byte[] body, String contentEncoding, boolean chunked) throws IOException {
        return MetricsEndpoint.start(exchange -> {
            exchange.getResponseHeaders().set("Content-Type", MetricsEndpoint.TEXT);
            if (contentEncoding != null) {
                exchange.getResponseHeaders().set("Content-Encoding", contentEncoding);
            }
            exchange.sendResponseHeaders(200, chunked ? 0 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            } catch (IOException clientGaveUp) {
                // a fetcher over its limit stops reading
            }
        });
    }

    private static byte[] metricLines(int bytes) {
        StringBuilder sb = new StringBuilder(bytes + 64);
        for (int i = 0; sb.length() < bytes; i++) {
            sb.append("requests_total{path=\"/p")
                    .append(i % 97)
                    .append("\"} ")
                    .append(i)
                    .append('\n');
        }
        return Arrays.copyOf(sb.toString().getBytes(StandardCharsets.US_ASCII), bytes);
    }

    private static byte[] body(RawBody raw) {
        return Arrays.copyOf(raw.bytes(), raw.length());
    }

    @Test
    void oneFetcherSendsEachRequestsOwnTimeoutAndAuthorization() throws Exception {
        endpoint = MetricsEndpoint.serving(MetricsEndpoint.TEXT, "up 1\n");
        BodyFetcher fetcher = new BodyFetcher(NO_LIMIT, true);
        fetcher.fetch(client, URI.create(endpoint.url()), 2_500, null);
        fetcher.fetch(client, URI.create(endpoint.url()), 12_250, "Bearer t");
        fetcher.fetch(client, URI.create(endpoint.url()), 2_500, null);

        assertThat(endpoint.requests())
                .extracting(h -> h.getFirst("X-Prometheus-Scrape-Timeout-Seconds"))
                .containsExactly("2.5", "12.25", "2.5");
        assertThat(endpoint.requests())
                .extracting(h -> h.getFirst("Authorization"))
                .containsExactly(null, "Bearer t", null);
        assertThat(endpoint.requests()).allSatisfy(h -> {
            assertThat(h.get("Accept")).containsExactly(BodyFetcher.ACCEPT);
            assertThat(h.get("Accept-Encoding")).containsExactly("gzip");
            assertThat(h.get("User-Agent")).containsExactly("kubelogs");
        });
    }

    @Test
    void theRequestAsksAsPrometheusDoesWithTheTimeoutInSeconds() throws Exception {
        endpoint = MetricsEndpoint.serving(MetricsEndpoint.TEXT, "up 1\n");
        new BodyFetcher(NO_LIMIT, true).fetch(client, URI.create(endpoint.url()), 2_500, "Basic dTpw");
        new BodyFetcher(NO_LIMIT, false).fetch(client, URI.create(endpoint.url()), 12_250, null);

        Headers compressed = endpoint.requests().get(0);
        assertThat(compressed.getFirst("Accept")).isEqualTo(BodyFetcher.ACCEPT);
        assertThat(compressed.getFirst("Accept-Encoding")).isEqualTo("gzip");
        // Prometheus writes the timeout's seconds with no trailing zeros (strconv.FormatFloat(s, 'f', -1, 64))
        assertThat(compressed.getFirst("X-Prometheus-Scrape-Timeout-Seconds")).isEqualTo("2.5");
        assertThat(compressed.getFirst("Authorization")).isEqualTo("Basic dTpw");
        assertThat(compressed.getFirst("User-Agent")).isEqualTo("kubelogs");
        Headers identity = endpoint.requests().get(1);
        assertThat(identity.getFirst("Accept-Encoding")).isEqualTo("identity");
        assertThat(identity.getFirst("X-Prometheus-Scrape-Timeout-Seconds")).isEqualTo("12.25");
        assertThat(identity.containsKey("Authorization")).isFalse();
    }

    @Test
    void theBodyComesBackAsSentWithItsContentType() throws Exception {
        endpoint = MetricsEndpoint.serving(MetricsEndpoint.OPENMETRICS, "# EOF\n");
        RawBody body = fetch(endpoint.url(), NO_LIMIT);
        assertThat(new String(body(body), StandardCharsets.UTF_8)).isEqualTo("# EOF\n");
        assertThat(body.contentType()).isEqualTo(MetricsEndpoint.OPENMETRICS);
        endpoint.close();

        endpoint = MetricsEndpoint.start(exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        RawBody empty = fetch(endpoint.url(), NO_LIMIT);
        assertThat(empty.length()).isZero();
        // no Content-Type: the parser falls back to the text format, as Prometheus does
        assertThat(empty.contentType()).isEmpty();
    }

    @Test
    void aBodyOfExactlyTheLimitIsAcceptedAndOneByteMoreIsNotWithOrWithoutItsLength() throws Exception {
        int limit = 100_000;
        byte[] atLimit = metricLines(limit);
        byte[] overLimit = metricLines(limit + 1);
        for (boolean chunked : new boolean[] {false, true}) {
            endpoint = serving(atLimit, null, chunked);
            assertThat(body(fetch(endpoint.url(), limit))).isEqualTo(atLimit);
            endpoint.close();
            endpoint = serving(overLimit, null, chunked);
            assertThat(failure(endpoint.url(), limit, 10_000).reason()).isEqualTo(ScrapeReason.BODY_TOO_LARGE);
            endpoint.close();
        }
        endpoint = null;
    }

    @Test
    void aGzipBodyIsUnpackedWholeAndItsUnpackedSizeIsLimitedToo() throws Exception {
        // compresses about 20:1, so the unpacking buffer grows many times
        byte[] plain = metricLines(5 << 20);
        endpoint = serving(MetricsEndpoint.gzip(plain), "gzip", false);
        RawBody body = fetch(endpoint.url(), NO_LIMIT);
        assertThat(body(body)).isEqualTo(plain);
        assertThat(body.contentType()).isEqualTo(MetricsEndpoint.TEXT);
        endpoint.close();

        int limit = 300_000;
        endpoint = serving(MetricsEndpoint.gzip(metricLines(limit)), "gzip", true);
        assertThat(body(fetch(endpoint.url(), limit))).isEqualTo(metricLines(limit));
        endpoint.close();
        endpoint = serving(MetricsEndpoint.gzip(metricLines(limit + 1)), "gzip", true);
        assertThat(failure(endpoint.url(), limit, 10_000).reason()).isEqualTo(ScrapeReason.BODY_TOO_LARGE);
    }

    @Test
    void aCompressedBodyOverTheLimitFailsEvenIfItWouldUnpackUnderIt() throws Exception {
        byte[] random = new byte[10_000];
        new Random(42).nextBytes(random);
        byte[] packed = MetricsEndpoint.gzip(random);
        // random bytes do not compress: the gzip body is the larger one
        assertThat(packed.length).isGreaterThan(10_010);
        endpoint = serving(packed, "gzip", false);

        assertThat(failure(endpoint.url(), 10_010, 10_000).reason()).isEqualTo(ScrapeReason.BODY_TOO_LARGE);
    }

    @Test
    void aBodyThatIsNotGzipAsAnnouncedIsAParseError() throws Exception {
        byte[] packed = MetricsEndpoint.gzip(metricLines(50_000));
        byte[][] broken = {
            "up 1\n".getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(packed, packed.length / 2), new byte[0]
        };
        for (byte[] body : broken) {
            endpoint = serving(body, "gzip", false);
            ScrapeFailure failure = failure(endpoint.url(), NO_LIMIT, 10_000);
            assertThat(failure.reason()).as("%d bytes", body.length).isEqualTo(ScrapeReason.PARSE_ERROR);
            assertThat(failure.getMessage()).startsWith("bad gzip body");
            endpoint.close();
        }
        endpoint = null;
    }

    @Test
    void aLengthOverTheLimitFailsAtOnceAndClosesTheConnection() throws Exception {
        CountDownLatch cutOff = new CountDownLatch(1);
        raw = new RawTarget(socket -> {
            try {
                RawTarget.send(socket, "HTTP/1.1 200 OK\r\nContent-Length: 10737418240\r\n\r\n");
                byte[] chunk = new byte[64 << 10];
                OutputStream out = socket.getOutputStream();
                while (true) {
                    out.write(chunk);
                }
            } catch (IOException e) {
                cutOff.countDown();
            }
        });

        assertThat(failure(raw.url(), 1 << 20, 60_000).reason()).isEqualTo(ScrapeReason.BODY_TOO_LARGE);
        assertThat(cutOff.await(30, TimeUnit.SECONDS))
                .as("the 10 GB body is not read on")
                .isTrue();
    }

    @Test
    void aStatusOtherThan200FailsWithItsCodeWithoutWaitingForItsBody() throws Exception {
        CountDownLatch gone = new CountDownLatch(1);
        raw = new RawTarget(socket -> {
            try {
                // an overloaded target that has begun a long error page and stalls
                RawTarget.send(
                        socket,
                        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n"
                                + "\r\n<html><body>");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            RawTarget.awaitClientGone(socket);
            gone.countDown();
        });

        // Prometheus reports the status (scrape.go: "server returned HTTP status"), however its body goes on
        ScrapeFailure failure = failure(raw.url(), NO_LIMIT, 5_000);
        assertThat(failure.reason()).isEqualTo(ScrapeReason.HTTP_STATUS);
        assertThat(failure.httpStatus()).isEqualTo(503);
        assertThat(gone.await(30, TimeUnit.SECONDS)).isTrue();

        // and an error body over the size limit is no body too large: it is not read
        endpoint = MetricsEndpoint.start(MetricsEndpoint.respond(500, "text/plain", "e".repeat(2 << 20)));
        ScrapeFailure large = failure(endpoint.url(), 1 << 20, 10_000);
        assertThat(large.reason()).isEqualTo(ScrapeReason.HTTP_STATUS);
        assertThat(large.httpStatus()).isEqualTo(500);
    }

    @Test
    void aTargetThatNeverAnswersIsATimeoutAndItsConnectionIsClosed() throws Exception {
        CountDownLatch gone = new CountDownLatch(1);
        raw = new RawTarget(socket -> {
            RawTarget.awaitClientGone(socket);
            gone.countDown();
        });

        assertThat(failure(raw.url(), NO_LIMIT, 300).reason()).isEqualTo(ScrapeReason.TIMEOUT);
        assertThat(gone.await(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aBodyThatStopsHalfwayIsATimeoutOfTheWholeExchange() throws Exception {
        CountDownLatch gone = new CountDownLatch(1);
        raw = new RawTarget(socket -> {
            try {
                RawTarget.send(socket, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nup 1\nhalf_");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            RawTarget.awaitClientGone(socket);
            gone.countDown();
        });

        ScrapeFailure failure = failure(raw.url(), NO_LIMIT, 2_000);
        assertThat(failure.reason()).isEqualTo(ScrapeReason.TIMEOUT);
        assertThat(failure.getMessage()).isEqualTo("no complete response within 2000 ms");
        assertThat(gone.await(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aTargetThatVanishesMidBodyIsTargetGone() throws Exception {
        raw = new RawTarget(socket -> {
            try (socket) {
                RawTarget.send(
                        socket, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n" + "x".repeat(200));
                socket.setSoLinger(true, 0); // a reset, as when the pod's network goes
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(failure(raw.url(), NO_LIMIT, 10_000).reason()).isEqualTo(ScrapeReason.TARGET_GONE);
    }

    @Test
    void aConnectionClosedBeforeAnyResponseIsAnIoErrorNotTargetGone() throws Exception {
        raw = new RawTarget(socket -> {
            try {
                socket.close();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(failure(raw.url(), NO_LIMIT, 10_000).reason()).isEqualTo(ScrapeReason.IO_ERROR);
    }

    @Test
    void anInterruptEndsTheFetchAndClosesTheConnection() throws Exception {
        CountDownLatch asked = new CountDownLatch(1);
        CountDownLatch gone = new CountDownLatch(1);
        raw = new RawTarget(socket -> {
            asked.countDown();
            RawTarget.awaitClientGone(socket);
            gone.countDown();
        });
        AtomicReference<Object> ended = new AtomicReference<>();
        Thread scraping = new Thread(() -> {
            try {
                ended.set(new BodyFetcher(NO_LIMIT, true).fetch(client, URI.create(raw.url()), 600_000, null));
            } catch (InterruptedException | ScrapeFailure e) {
                ended.set(e);
            }
        });
        scraping.start();
        assertThat(asked.await(30, TimeUnit.SECONDS)).isTrue();
        scraping.interrupt();
        scraping.join(TimeUnit.SECONDS.toMillis(30));

        assertThat(ended.get()).isInstanceOf(InterruptedException.class);
        assertThat(gone.await(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void failuresAreClassifiedByTheirCauseWhereverItIsInTheChain() {
        IOException cutOff = new IOException("connection reset");
        assertThat(BodyFetcher.classify(new IOException(new SocketTimeoutException("Read timed out")), false)
                        .reason())
                .isEqualTo(ScrapeReason.TIMEOUT);
        assertThat(BodyFetcher.classify(new ConnectTimeoutException("connect timed out"), false)
                        .reason())
                .isEqualTo(ScrapeReason.TIMEOUT);
        assertThat(BodyFetcher.classify(new IOException(new SSLHandshakeException("PKIX path")), false)
                        .reason())
                .isEqualTo(ScrapeReason.TLS_ERROR);
        assertThat(BodyFetcher.classify(new ConnectException(), false).reason())
                .isEqualTo(ScrapeReason.CONNECT_REFUSED);
        assertThat(BodyFetcher.classify(new UnknownHostException("no-such-host"), false)
                        .reason())
                .isEqualTo(ScrapeReason.CONNECT_REFUSED);
        assertThat(BodyFetcher.classify(cutOff, true).reason()).isEqualTo(ScrapeReason.TARGET_GONE);
        ScrapeFailure beforeTheResponse = BodyFetcher.classify(cutOff, false);
        assertThat(beforeTheResponse.reason()).isEqualTo(ScrapeReason.IO_ERROR);
        assertThat(beforeTheResponse.getMessage()).isEqualTo("IOException: connection reset");
        assertThat(beforeTheResponse.getCause()).isSameAs(cutOff);
    }
}
