package dev.kubelogs.job.metrics.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.config.TlsConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLHandshakeException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.apache.hc.core5.http.protocol.BasicHttpContext;
import org.junit.jupiter.api.Test;

class ClosedIdleConnectionRetryTest {
    private final ClosedIdleConnectionRetry retry = new ClosedIdleConnectionRetry();
    private final HttpGet get = new HttpGet("http://127.0.0.1/metrics");

    @Test
    void onlyAConnectionThatEndedBeforeAnyResponseIsTriedOnceMore() {
        BasicHttpContext context = new BasicHttpContext();
        assertThat(retry.retryRequest(get, new NoHttpResponseException("closed"), 1, context))
                .isTrue();
        assertThat(retry.retryRequest(get, new SocketException("Connection reset"), 1, context))
                .isTrue();
        assertThat(retry.retryRequest(get, new NoHttpResponseException("closed"), 2, context))
                .isFalse();
        assertThat(retry.retryRequest(get, new ConnectException("refused"), 1, context))
                .isFalse();
        assertThat(retry.retryRequest(get, new SocketTimeoutException("read timed out"), 1, context))
                .isFalse();
        assertThat(retry.retryRequest(get, new SSLHandshakeException("PKIX"), 1, context))
                .isFalse();
        assertThat(retry.retryRequest(new BasicHttpResponse(503), 1, context)).isFalse();
    }

    @Test
    void aKeptAliveConnectionTheTargetClosedIsReplacedWithoutFailingTheScrape() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        Semaphore closed = new Semaphore(0);
        // answers one request per connection, then closes it without saying so (no Connection: close)
        try (RawTarget target = new RawTarget(socket -> {
                    connections.incrementAndGet();
                    try (socket) {
                        RawTarget.send(socket, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nup 1\n");
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                    closed.release();
                });
                HttpClients clients = new HttpClients()) {
            ScrapeHttpClient client = clients.forTls(TlsConfig.NONE);
            BodyFetcher fetcher = new BodyFetcher(1 << 20, false);

            for (int i = 0; i < 3; i++) {
                RawBody body = fetcher.fetch(client, URI.create(target.url()), 10_000, null);
                assertThat(new String(Arrays.copyOf(body.bytes(), body.length()), StandardCharsets.US_ASCII))
                        .isEqualTo("up 1\n");
                // the next request goes out on the pooled connection the target has closed
                assertThat(closed.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(connections.get()).isEqualTo(3);
        }
    }
}
