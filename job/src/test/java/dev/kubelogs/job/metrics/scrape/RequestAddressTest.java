package dev.kubelogs.job.metrics.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class RequestAddressTest {
    private static HostResolver resolvingTo(String literal) {
        return host -> InetAddress.getByName(literal);
    }

    @Test
    void aUrlWhoseHostTheJdkReadsIsRequestedAsItIs() throws Exception {
        RequestAddress address = RequestAddress.of("https://metrics.example:8443/m?a=1", host -> {
            throw new AssertionError("no lookup");
        });

        assertThat(address.uri().toString()).isEqualTo("https://metrics.example:8443/m?a=1");
        assertThat(address.tlsName()).isNull();
    }

    @Test
    void aHostTheJdkCannotReadIsRequestedAtItsAddressWithPathAndQueryAsTheyAre() throws Exception {
        RequestAddress address =
                RequestAddress.of("http://my_exporter:9100/a%2Fb/metrics?x=a+b&y=%25", resolvingTo("10.1.2.3"));

        assertThat(address.uri().toString()).isEqualTo("http://10.1.2.3:9100/a%2Fb/metrics?x=a+b&y=%25");
        assertThat(address.uri().getHost()).isEqualTo("10.1.2.3");
        assertThat(address.tlsName()).isEqualTo("my_exporter");
    }

    @Test
    void anIpv6AddressIsBracketedAndAMissingPortStaysMissing() throws Exception {
        RequestAddress address = RequestAddress.of("https://-edge-:8080/metrics", resolvingTo("fd00::1"));
        assertThat(address.uri().toString()).isEqualTo("https://[fd00:0:0:0:0:0:0:1]:8080/metrics");
        assertThat(address.tlsName()).isEqualTo("-edge-");

        RequestAddress noPort = RequestAddress.of("http://my_exporter/metrics", resolvingTo("10.1.2.3"));
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
