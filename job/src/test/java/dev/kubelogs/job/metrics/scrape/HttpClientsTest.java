package dev.kubelogs.job.metrics.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.config.TlsConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.StandardConstants;
import org.junit.jupiter.api.Test;

class HttpClientsTest {
    @Test
    void closingEndsTheDeadlineTimerAndTheExchangesInFlight() throws Exception {
        CountDownLatch asked = new CountDownLatch(1);
        CountDownLatch gone = new CountDownLatch(1);
        try (RawTarget hanging = new RawTarget(socket -> {
            asked.countDown();
            RawTarget.awaitClientGone(socket);
            gone.countDown();
        })) {
            HttpClients clients = new HttpClients();
            ScrapeHttpClient client = clients.forTls(TlsConfig.NONE);
            AtomicReference<Object> ended = new AtomicReference<>();
            Thread scraping = new Thread(() -> {
                try {
                    ended.set(new BodyFetcher(1 << 20, true).fetch(client, URI.create(hanging.url()), 600_000, null));
                } catch (InterruptedException | ScrapeFailure e) {
                    ended.set(e);
                }
            });
            scraping.start();
            assertThat(asked.await(30, TimeUnit.SECONDS)).isTrue();

            clients.close();
            scraping.join(TimeUnit.SECONDS.toMillis(30));

            assertThat(scraping.isAlive()).isFalse();
            assertThat(ended.get()).isInstanceOf(ScrapeFailure.class);
            assertThat(gone.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(clients.deadlines().awaitTermination(30, TimeUnit.SECONDS))
                    .isTrue();
        }
    }

    @Test
    void aNameTheJdkRefusesAsSniGoesAsItIs() {
        SNIServerName plain = HttpClients.serverNameIndication("metrics.example");
        assertThat(plain).isInstanceOf(SNIHostName.class);

        SNIServerName underscore = HttpClients.serverNameIndication("my_exporter.ns.svc");
        assertThat(underscore.getType()).isEqualTo(StandardConstants.SNI_HOST_NAME);
        assertThat(new String(underscore.getEncoded(), StandardCharsets.UTF_8)).isEqualTo("my_exporter.ns.svc");
    }

    @Test
    void aHostNamedClientIsOnePerNameAndServerNameWins() throws Exception {
        HttpClients clients = new HttpClients();
        TlsConfig withServerName = new TlsConfig(null, null, null, "metrics.example", false);

        assertThat(clients.forTls(TlsConfig.NONE, "a_b")).isSameAs(clients.forTls(TlsConfig.NONE, "a_b"));
        assertThat(clients.forTls(TlsConfig.NONE, "a_b")).isNotSameAs(clients.forTls(TlsConfig.NONE, "c_d"));
        assertThat(clients.forTls(TlsConfig.NONE, null)).isSameAs(clients.forTls(TlsConfig.NONE));
        assertThat(clients.forTls(withServerName, "a_b")).isSameAs(clients.forTls(withServerName));
    }

    @Test
    void hostNamedClientsAreBoundedLeastRecentlyUsedFirst() throws Exception {
        HttpClients clients = new HttpClients();
        ScrapeHttpClient first = clients.forTls(TlsConfig.NONE, "host_0");
        ScrapeHttpClient second = clients.forTls(TlsConfig.NONE, "host_1");
        for (int i = 2; i <= HttpClients.MAX_HOST_NAMED_CLIENTS; i++) {
            clients.forTls(TlsConfig.NONE, "host_" + i);
            assertThat(clients.forTls(TlsConfig.NONE, "host_0")).isSameAs(first);
        }
        // one more than the bound: host_1, the least recently used, went
        assertThat(clients.forTls(TlsConfig.NONE, "host_0")).isSameAs(first);
        assertThat(clients.forTls(TlsConfig.NONE, "host_1")).isNotSameAs(second);
    }

    @Test
    void aClientDroppedFromTheCacheIsClosedOnlyAfterItsExchangesEnded() throws Exception {
        CountDownLatch gone = new CountDownLatch(1);
        try (RawTarget target = new RawTarget(socket -> {
                    try {
                        RawTarget.send(socket, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nup 1\n");
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                    RawTarget.awaitClientGone(socket);
                    gone.countDown();
                });
                HttpClients clients = new HttpClients()) {
            ScrapeHttpClient dropped = clients.forTls(TlsConfig.NONE, "host_0");
            new BodyFetcher(1 << 20, false).fetch(dropped, URI.create(target.url()), 10_000, null);
            dropped.began(); // a scrape that took the client just before it was dropped
            for (int i = 1; i <= HttpClients.MAX_HOST_NAMED_CLIENTS; i++) {
                clients.forTls(TlsConfig.NONE, "host_" + i);
            }

            clients.closeIdleConnections();
            clients.closeIdleConnections();
            assertThat(gone.await(300, TimeUnit.MILLISECONDS)).isFalse();

            dropped.ended();
            clients.closeIdleConnections();
            assertThat(gone.await(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
