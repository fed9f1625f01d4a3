package dev.kubelogs.job.metrics.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.config.TlsConfig;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ScrapeHttpClientTest {
    @Test
    void countsTheExchangesInFlight() throws Exception {
        try (HttpClients clients = new HttpClients()) {
            ScrapeHttpClient client = clients.forTls(TlsConfig.NONE);
            client.began();
            client.began();
            client.ended();
            assertThat(client.inUse()).isEqualTo(1);
            client.ended();
            assertThat(client.inUse()).isZero();
        }
    }

    @Test
    void aDeadlineRunsAfterItsDelayUnlessCancelled() throws Exception {
        try (HttpClients clients = new HttpClients()) {
            ScrapeHttpClient client = clients.forTls(TlsConfig.NONE);
            CountDownLatch ran = new CountDownLatch(1);
            AtomicBoolean cancelledRan = new AtomicBoolean();
            DeadlineTimer.Deadline cancelled = client.atDeadline(50, () -> cancelledRan.set(true));
            cancelled.cancel();
            client.atDeadline(100, ran::countDown);

            assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(cancelledRan).isFalse();
        }
    }
}
