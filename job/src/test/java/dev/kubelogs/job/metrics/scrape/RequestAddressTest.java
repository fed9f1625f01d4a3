package dev.kubelogs.job.metrics.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestAddressTest {
    private static HostResolver resolvingTo(String... literals) {
        return host -> {
            InetAddress[] addresses = new InetAddress[literals.length];
            for (int i = 0; i < literals.length; i++) {
                addresses[i] = InetAddress.getByName(literals[i]);
            }
            return addresses;
        };
    }

    private static RequestAddress only(String url, HostResolver resolver) throws ScrapeFailure {
        List<RequestAddress> addresses = RequestAddress.of(url, resolver);
        assertThat(addresses).hasSize(1);
        return addresses.get(0);
    }

    @Test
    void aNameWithSeveralAddressesGivesEachInGosDialOrderTheFirstOnesFamilyFirst() throws Exception {
        List<RequestAddress> addresses = RequestAddress.of(
                "http://my_exporter:9100/metrics", resolvingTo("fd00::1", "10.0.0.1", "fd00::2", "10.0.0.2"));

        assertThat(addresses)
                .extracting(a -> a.uri().getHost())
                .containsExactly("[fd00:0:0:0:0:0:0:1]", "[fd00:0:0:0:0:0:0:2]", "10.0.0.1", "10.0.0.2");
        assertThat(addresses).extracting(RequestAddress::tlsName).containsOnly("my_exporter");
    }

    @Test
    void aUrlWhoseHostTheJdkReadsIsRequestedAsItIs() throws Exception {
        RequestAddress address = only("https://metrics.example:8443/m?a=1", host -> {
            throw new AssertionError("no lookup");
        });

        assertThat(address.uri().toString()).isEqualTo("https://metrics.example:8443/m?a=1");
        assertThat(address.tlsName()).isNull();
    }

    @Test
    void aHostTheJdkCannotReadIsRequestedAtItsAddressWithPathAndQueryAsTheyAre() throws Exception {
        RequestAddress address = only("http://my_exporter:9100/a%2Fb/metrics?x=a+b&y=%25", resolvingTo("10.1.2.3"));

        assertThat(address.uri().toString()).isEqualTo("http://10.1.2.3:9100/a%2Fb/metrics?x=a+b&y=%25");
        assertThat(address.uri().getHost()).isEqualTo("10.1.2.3");
        assertThat(address.tlsName()).isEqualTo("my_exporter");
    }

    @Test
    void anIpv6AddressIsBracketedAndAMissingPortStaysMissing() throws Exception {
        RequestAddress address = only("https://-edge-:8080/metrics", resolvingTo("fd00::1"));
        assertThat(address.uri().toString()).isEqualTo("https://[fd00:0:0:0:0:0:0:1]:8080/metrics");
        assertThat(address.tlsName()).isEqualTo("-edge-");

        RequestAddress noPort = only("http://my_exporter/metrics", resolvingTo("10.1.2.3"));
        assertThat(noPort.uri().toString()).isEqualTo("http://10.1.2.3/metrics");
        assertThat(noPort.uri().getPort()).isEqualTo(-1);
    }

    @Test
    void aHostThatDoesNotResolveFailsTheScrapeAsTheJdkWould() {
        assertThatThrownBy(() -> RequestAddress.of("http://my_exporter:9100/metrics", host -> {
                    throw new UnknownHostException(host);
                }))
                .isInstanceOfSatisfying(
                        ScrapeFailure.class, f -> assertThat(f.reason()).isEqualTo(ScrapeReason.CONNECT_REFUSED))
                .hasMessage("lookup my_exporter: no such host");
    }
}
