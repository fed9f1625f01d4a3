package dev.kubelogs.job.metrics.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.config.TlsConfig;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.StandardConstants;
import org.junit.jupiter.api.Test;

class HttpClientsTest {
    @Test
    void everyClientRunsItsTasksOnTheHandingThread() throws Exception {
        HttpClients clients = new HttpClients();
        TlsConfig withServerName = new TlsConfig(null, null, null, "metrics.example", false);

        for (HttpClient client : List.of(
                clients.forTls(TlsConfig.NONE),
                clients.forTls(withServerName),
                clients.forTls(TlsConfig.NONE, "a_b"))) {
            assertThat(client.executor()).containsSame(HttpClients.INLINE);
        }
        Thread[] ranOn = new Thread[1];
        HttpClients.INLINE.execute(() -> ranOn[0] = Thread.currentThread());
        assertThat(ranOn[0]).isSameAs(Thread.currentThread());
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
        HttpClient first = clients.forTls(TlsConfig.NONE, "host_0");
        HttpClient second = clients.forTls(TlsConfig.NONE, "host_1");
        for (int i = 2; i <= HttpClients.MAX_HOST_NAMED_CLIENTS; i++) {
            clients.forTls(TlsConfig.NONE, "host_" + i);
            assertThat(clients.forTls(TlsConfig.NONE, "host_0")).isSameAs(first);
        }
        // one more than the bound: host_1, the least recently used, went
        assertThat(clients.forTls(TlsConfig.NONE, "host_0")).isSameAs(first);
        assertThat(clients.forTls(TlsConfig.NONE, "host_1")).isNotSameAs(second);
    }
}
