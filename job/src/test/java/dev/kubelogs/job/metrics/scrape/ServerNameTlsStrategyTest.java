package dev.kubelogs.job.metrics.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpsExchange;
import dev.kubelogs.job.metrics.config.TlsConfig;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIServerName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerNameTlsStrategyTest {
    @TempDir
    Path tempDir;

    @Test
    void serverNameGoesAsSniForAnyUrlHostAndTheUrlsHostGoesWithoutIt() throws Exception {
        TestCertificates cert = TestCertificates.create(tempDir, "server", "dns:metrics.example,ip:127.0.0.1");
        List<String> sni = new CopyOnWriteArrayList<>();
        try (MetricsEndpoint endpoint = MetricsEndpoint.startTls(cert.serverContext(), false, exchange -> {
                    ExtendedSSLSession session = (ExtendedSSLSession) ((HttpsExchange) exchange).getSSLSession();
                    List<SNIServerName> names = session.getRequestedServerNames();
                    sni.add(names.isEmpty() ? "none" : new String(names.get(0).getEncoded(), StandardCharsets.UTF_8));
                    MetricsEndpoint.respond(200, MetricsEndpoint.TEXT, "up 1\n").handle(exchange);
                });
                HttpClients clients = new HttpClients()) {
            String ca = cert.certPem.toString();
            String byName = endpoint.url().replace("127.0.0.1", "localhost");
            BodyFetcher fetcher = new BodyFetcher(1 << 20, false);

            fetcher.fetch(
                    clients.forTls(new TlsConfig(ca, null, null, "metrics.example", false)),
                    URI.create(byName),
                    10_000,
                    null);
            fetcher.fetch(clients.forTls(new TlsConfig(ca, null, null, null, true)), URI.create(byName), 10_000, null);
            fetcher.fetch(
                    clients.forTls(new TlsConfig(ca, null, null, null, false)),
                    URI.create(endpoint.url()),
                    10_000,
                    null);

            assertThat(sni).containsExactly("metrics.example", "localhost", "none");
        }
    }

    @Test
    void aHandshakeThatNeverEndsIsATimeoutAtTheDeadline() throws Exception {
        TestCertificates cert = TestCertificates.create(tempDir, "server", "dns:metrics.example,ip:127.0.0.1");
        // reads the client's hello and never answers it
        try (RawTarget silent = new RawTarget(RawTarget::awaitClientGone);
                HttpClients clients = new HttpClients()) {
            ScrapeFailure failure = catchThrowableOfType(
                    ScrapeFailure.class,
                    () -> new BodyFetcher(1 << 20, false)
                            .fetch(
                                    clients.forTls(new TlsConfig(cert.certPem.toString(), null, null, null, false)),
                                    URI.create(silent.url().replace("http:", "https:")),
                                    300,
                                    null));
            assertThat(failure.reason()).isEqualTo(ScrapeReason.TIMEOUT);
        }
    }
}
