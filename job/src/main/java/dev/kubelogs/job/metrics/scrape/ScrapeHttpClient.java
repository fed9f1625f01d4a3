package dev.kubelogs.job.metrics.scrape;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;

/**
 * One {@code tls_config}'s HTTP client ({@link HttpClients}): its connection pool, and the timer that ends its
 * exchanges at their deadline. Counts the exchanges in flight, so that a client no longer handed out is closed only
 * after its last one.
 */
public final class ScrapeHttpClient {
    private final CloseableHttpClient client;
    private final PoolingHttpClientConnectionManager connections;
    private final DeadlineTimer deadlines;
    private final AtomicInteger inUse = new AtomicInteger();

    ScrapeHttpClient(
            CloseableHttpClient client, PoolingHttpClientConnectionManager connections, DeadlineTimer deadlines) {
        this.client = client;
        this.connections = connections;
        this.deadlines = deadlines;
    }

    /** An exchange begins: until {@link #ended()}, a retired client stays open. */
    void began() {
        inUse.incrementAndGet();
    }

    /** Runs {@code task} (which ends an exchange) after {@code delayMs}, unless cancelled. */
    DeadlineTimer.Deadline atDeadline(long delayMs, Runnable task) {
        return deadlines.schedule(delayMs, task);
    }

    /** Sends {@code request}; its response's body is not yet read, and its connection is held until it is closed. */
    ClassicHttpResponse open(HttpGet request) throws IOException {
        return client.executeOpen(null, request, null);
    }

    /** An exchange begun with {@link #began()} ended: its response was read or closed. */
    void ended() {
        inUse.decrementAndGet();
    }

    int inUse() {
        return inUse.get();
    }

    void closeIdle(TimeValue idle) {
        connections.closeExpired();
        connections.closeIdle(idle);
    }

    void close(CloseMode mode) {
        client.close(mode);
    }
}
