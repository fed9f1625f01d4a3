package dev.kubelogs.job.metrics.scrape;

import dev.kubelogs.job.metrics.config.TlsConfig;
import java.io.File;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.StandardConstants;

/**
 * The HTTP/1.1 clients of one reader: one per {@code tls_config}, each with its own connection pool, shared by every
 * target that uses that config. A client is built again when one of its TLS files changed (a rotated certificate).
 */
public final class HttpClients {
    /**
     * Clients named after a target's host ({@link #forTls(TlsConfig, String)}) kept at most: each has its own
     * connection pool and selector thread, and hosts come and go with discovery; one dropped here ends with its last
     * request (the JDK's client stops its thread once unreferenced) and is built again when its host is scraped.
     */
    static final int MAX_HOST_NAMED_CLIENTS = 64;

    private final Map<TlsConfig, Entry> clients = new ConcurrentHashMap<>();
    private final Map<TlsConfig, Entry> hostNamed = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<TlsConfig, Entry> eldest) {
            return size() > MAX_HOST_NAMED_CLIENTS;
        }
    };

    private record Entry(List<Long> fileStamps, HttpClient client) {}

    /** The client for {@code tls}; a TLS file that cannot be read or used fails with {@link ScrapeReason#TLS_ERROR}. */
    public HttpClient forTls(TlsConfig tls) throws ScrapeFailure {
        return forTls(tls, null);
    }

    /**
     * The client for {@code tls} that checks and sends {@code hostName} as the server's name unless {@code tls} names
     * one ({@code server_name}); for a target requested at an address its URL does not name ({@link RequestAddress}).
     *
     * @param hostName the target's host name, or null when the request's URL names it
     */
    HttpClient forTls(TlsConfig tls, String hostName) throws ScrapeFailure {
        TlsConfig given = tls == null ? TlsConfig.NONE : tls;
        if (hostName == null || given.serverName() != null) {
            return cached(clients, given);
        }
        synchronized (hostNamed) {
            return cached(hostNamed, given.withServerName(hostName));
        }
    }

    private static HttpClient cached(Map<TlsConfig, Entry> cache, TlsConfig key) throws ScrapeFailure {
        List<Long> stamps = fileStamps(key);
        Entry entry = cache.get(key);
        if (entry != null && entry.fileStamps.equals(stamps)) {
            return entry.client;
        }
        Entry fresh = new Entry(stamps, build(key));
        cache.put(key, fresh);
        return fresh.client;
    }

    /**
     * Runs the client's own tasks on the thread that hands them over instead of on a pool. By default the JDK's client
     * passes every chunk it reads from its selector thread to a worker thread, and the exchange's start and completion
     * hop threads too: three to four thread wake-ups per scrape that cost more CPU than reading the body (issue 14:
     * about 1.1 ms of client CPU per scrape of an 80 KB body, 0.4 ms inline). The tasks are the client's own
     * non-blocking work (HTTP parsing, copying the body into {@link BoundedBodySubscriber}, a new connection's TLS
     * handshake; a redirect's host lookup): an exchange starts on the scrape thread calling {@code sendAsync}, and
     * its bytes are read and handled on the client's selector thread; the scrape thread waits for the body with its
     * deadline as before.
     */
    static final Executor INLINE = Runnable::run;

    private static HttpClient build(TlsConfig tls) throws ScrapeFailure {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .executor(INLINE)
                .followRedirects(HttpClient.Redirect.NORMAL); // Prometheus' follow_redirects defaults to true
        if (!tls.equals(TlsConfig.NONE)) {
            try {
                SSLContext context = TlsContexts.create(tls);
                builder.sslContext(context);
                if (tls.serverName() != null) {
                    // the JDK keeps this SNI for targets addressed by IP (pods), it sends the URL's host otherwise
                    SSLParameters parameters = context.getDefaultSSLParameters();
                    parameters.setServerNames(List.of(serverNameIndication(tls.serverName())));
                    builder.sslParameters(parameters);
                }
            } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
                throw new ScrapeFailure(ScrapeReason.TLS_ERROR, "tls_config: " + e.getMessage(), e);
            }
        }
        return builder.build();
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
