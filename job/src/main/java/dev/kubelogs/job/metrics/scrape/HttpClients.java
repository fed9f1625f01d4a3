package dev.kubelogs.job.metrics.scrape;

import dev.kubelogs.job.metrics.config.TlsConfig;
import java.io.File;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.StandardConstants;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.DefaultHttpClientConnectionOperator;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.URIScheme;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.pool.PoolReusePolicy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The HTTP/1.1 clients of one reader: one per {@code tls_config}, each with its own connection pool, shared by every
 * target that uses that config. A client is built again when one of its TLS files changed (a rotated certificate).
 *
 * <p>The clients are Apache HttpClient 5's classic (blocking) client: a scrape's exchange runs on the scrape thread
 * that asks for it, with no thread of the client's own. The JDK's {@code HttpClient} reads every response on its
 * selector thread and completes it through a chain of futures, which cost more CPU than reading the body (issue 14).
 * Their sockets are {@link SocketChannel}s' so that interrupting a scrape thread closes its connection, and a timer
 * thread of this object ends an exchange at its deadline ({@link #deadlines()}; one timer task for all of them,
 * {@link DeadlineTimer}). {@link #close()} closes every connection and the timer.
 */
public final class HttpClients implements AutoCloseable {
    /**
     * Clients named after a target's host ({@link #forTls(TlsConfig, String)}) kept at most: each has its own
     * connection pool, and hosts come and go with discovery; one dropped here is closed once its last exchange ended,
     * and built again when its host is scraped.
     */
    static final int MAX_HOST_NAMED_CLIENTS = 64;

    /** Idle connections are closed after this, as Prometheus' transport does ({@code IdleConnTimeout}). */
    static final TimeValue IDLE_TIMEOUT = TimeValue.ofMinutes(5);

    /** Prometheus' client gives up after 10 redirects (Go's {@code http.Client} default). */
    static final int MAX_REDIRECTS = 10;

    private final Map<TlsConfig, Entry> clients = new ConcurrentHashMap<>();
    /** Clients no longer handed out, each with the number of idle checks it has waited through. */
    private final Map<Entry, Integer> retired = new LinkedHashMap<>();

    private final Map<TlsConfig, Entry> hostNamed = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<TlsConfig, Entry> eldest) {
            if (size() > MAX_HOST_NAMED_CLIENTS) {
                retire(eldest.getValue());
                return true;
            }
            return false;
        }
    };
    private final ScheduledThreadPoolExecutor timer;
    private final DeadlineTimer deadlineTimer;

    public HttpClients() {
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "scrape-deadlines");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.scheduleWithFixedDelay(this::closeIdleConnections, 30, 30, TimeUnit.SECONDS);
        deadlineTimer = new DeadlineTimer(timer);
    }

    private record Entry(List<Long> fileStamps, ScrapeHttpClient client) {}

    /** The client for {@code tls}; a TLS file that cannot be read or used fails with {@link ScrapeReason#TLS_ERROR}. */
    public ScrapeHttpClient forTls(TlsConfig tls) throws ScrapeFailure {
        return forTls(tls, null);
    }

    /**
     * The client for {@code tls} that checks and sends {@code hostName} as the server's name unless {@code tls} names
     * one ({@code server_name}); for a target requested at an address its URL does not name ({@link RequestAddress}).
     *
     * @param hostName the target's host name, or null when the request's URL names it
     */
    ScrapeHttpClient forTls(TlsConfig tls, String hostName) throws ScrapeFailure {
        TlsConfig given = tls == null ? TlsConfig.NONE : tls;
        if (hostName == null || given.serverName() != null) {
            return cached(clients, given);
        }
        synchronized (hostNamed) {
            return cached(hostNamed, given.withServerName(hostName));
        }
    }

    /** The timer that ends exchanges at their deadline. */
    ScheduledThreadPoolExecutor deadlines() {
        return timer;
    }

    private ScrapeHttpClient cached(Map<TlsConfig, Entry> cache, TlsConfig key) throws ScrapeFailure {
        List<Long> stamps = fileStamps(key);
        Entry entry = cache.get(key);
        if (entry != null && entry.fileStamps.equals(stamps)) {
            return entry.client;
        }
        Entry fresh = new Entry(stamps, build(key));
        Entry replaced = cache.put(key, fresh);
        if (replaced != null) {
            retire(replaced);
        }
        return fresh.client;
    }

    /**
     * A client no longer handed out: closed by {@link #closeIdleConnections()} once no exchange holds it, and not
     * before the check after the next, so that a scrape that took it just before it was retired has begun.
     */
    private void retire(Entry entry) {
        synchronized (retired) {
            retired.put(entry, 0);
        }
    }

    /** Every 30 s: closes connections idle for {@link #IDLE_TIMEOUT} and retired clients no exchange holds. */
    void closeIdleConnections() {
        for (Entry e : clients.values()) {
            e.client.closeIdle(IDLE_TIMEOUT);
        }
        synchronized (hostNamed) {
            for (Entry e : hostNamed.values()) {
                e.client.closeIdle(IDLE_TIMEOUT);
            }
        }
        synchronized (retired) {
            for (Iterator<Map.Entry<Entry, Integer>> it = retired.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Entry, Integer> e = it.next();
                ScrapeHttpClient client = e.getKey().client;
                if (e.getValue() >= 1 && client.inUse() == 0) {
                    client.close(CloseMode.GRACEFUL);
                    it.remove();
                } else {
                    e.setValue(e.getValue() + 1);
                }
            }
        }
    }

    /** Closes every client and its connections, exchanges in flight included, and the timer. */
    @Override
    public void close() {
        timer.shutdownNow();
        List<Entry> all = new ArrayList<>(clients.values());
        clients.clear();
        synchronized (hostNamed) {
            all.addAll(hostNamed.values());
            hostNamed.clear();
        }
        synchronized (retired) {
            all.addAll(retired.keySet());
            retired.clear();
        }
        for (Entry e : all) {
            e.client.close(CloseMode.IMMEDIATE);
        }
    }

    private ScrapeHttpClient build(TlsConfig tls) throws ScrapeFailure {
        SSLContext context;
        try {
            context = tls.equals(TlsConfig.NONE) ? SSLContext.getDefault() : TlsContexts.create(tls);
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new ScrapeFailure(ScrapeReason.TLS_ERROR, "tls_config: " + e.getMessage(), e);
        }
        TlsSocketStrategy tlsStrategy = new ServerNameTlsStrategy(
                context, tls.serverName() == null ? null : serverNameIndication(tls.serverName()));
        PoolingHttpClientConnectionManager manager = new PoolingHttpClientConnectionManager(
                new DefaultHttpClientConnectionOperator(
                        // a channel's socket: an interrupt of the thread blocked in it closes it
                        proxy -> SocketChannel.open().socket(),
                        null,
                        null,
                        RegistryBuilder.<TlsSocketStrategy>create()
                                .register(URIScheme.HTTPS.id, tlsStrategy)
                                .build()),
                PoolConcurrencyPolicy.LAX,
                PoolReusePolicy.LIFO,
                TimeValue.NEG_ONE_MILLISECOND,
                null);
        // a target's scrapes come one at a time; a few more for targets of several jobs at one address
        manager.setDefaultMaxPerRoute(16);
        // No socket timeout (HttpCore's default is 3 minutes): the deadline timer ends every exchange, and a socket
        // with a timeout makes each read of the JDK's channel switch it to non-blocking and back and poll, three
        // more system calls a read.
        manager.setDefaultSocketConfig(
                SocketConfig.custom().setSoTimeout(Timeout.DISABLED).build());
        manager.setDefaultConnectionConfig(ConnectionConfig.custom()
                // the deadline timer ends a longer connect; kept-alive connections a target closed are retried
                .setConnectTimeout(Timeout.ofMinutes(10))
                .setValidateAfterInactivity(TimeValue.NEG_ONE_MILLISECOND)
                .build());
        CloseableHttpClient client = HttpClientBuilder.create()
                .setConnectionManager(manager)
                .setRetryStrategy(new ClosedIdleConnectionRetry())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setRedirectsEnabled(true) // Prometheus' follow_redirects defaults to true
                        .setMaxRedirects(MAX_REDIRECTS)
                        .build())
                .disableContentCompression() // the fetcher limits the compressed size too
                .disableCookieManagement()
                .disableAuthCaching()
                .disableConnectionState()
                .build();
        return new ScrapeHttpClient(client, manager, deadlineTimer);
    }

    /**
     * The SNI of a server name. Go sends any name but an IP literal ({@code crypto/tls} {@code hostnameInSNI}); the
     * JDK's {@link SNIHostName} refuses names outside letters, digits and hyphens, such as {@code my_exporter}, which
     * then go as they are, in a host_name entry of their own.
     */
    static SNIServerName serverNameIndication(String name) {
        try {
            return new SNIHostName(name);
        } catch (IllegalArgumentException e) {
            return new RawHostName(name.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static final class RawHostName extends SNIServerName {
        RawHostName(byte[] encoded) {
            super(StandardConstants.SNI_HOST_NAME, encoded);
        }
    }

    private static List<Long> fileStamps(TlsConfig tls) {
        return List.of(stamp(tls.caFile()), stamp(tls.certFile()), stamp(tls.keyFile()));
    }

    private static long stamp(String file) {
        return Objects.isNull(file) ? 0L : new File(file).lastModified();
    }
}
