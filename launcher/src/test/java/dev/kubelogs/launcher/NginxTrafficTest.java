package dev.kubelogs.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.launcher.exporters.InstalledExporters;
import dev.kubelogs.launcher.exporters.NginxExporter;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NginxTrafficTest {
    private static final Pattern REQUESTS = Pattern.compile("(?m)^nginx_http_requests_total (\\d+)");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void nginxsCountsAtTheFirstAndLastScrapeFrameTheDemosRequestsAndTheExportersReads() throws Exception {
        InstalledExporters.require(NginxExporter.installed(), "Debian's nginx and prometheus-nginx-exporter");
        try (NginxExporter nginx = NginxExporter.start(dir)) {
            NginxTraffic traffic = NginxTraffic.start(nginx, 50, Duration.ofMillis(300));
            long first = scrape(nginx); // as the job's first scrape: it primes the deltas
            traffic.awaitSent(Duration.ofSeconds(30));
            scrape(nginx);
            long last = scrape(nginx);
            traffic.finish();

            assertThat(traffic.failure()).isNull();
            assertThat(traffic.sent()).isGreaterThan(1);
            assertThat(traffic.atFirstScrape()).isEqualTo(first);
            assertThat(traffic.atLastScrape()).isEqualTo(last);
            // the deltas of the two later scrapes: the demo's requests and one stub_status read per later scrape
            assertThat(last - first).isEqualTo(traffic.sent() + 2);
        }
    }

    @Test
    void theRequestCountIsTheThirdNumberOfTheStubStatusPage() throws IOException {
        assertThat(NginxTraffic.requests("Active connections: 2 \nserver accepts handled requests\n 2 3 57 \n"
                        + "Reading: 0 Writing: 1 Waiting: 1 \n"))
                .isEqualTo(57);
        assertThatThrownBy(() -> NginxTraffic.requests("<html>404</html>"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not an nginx stub_status page");
    }

    private long scrape(NginxExporter nginx) throws Exception {
        String body = http.send(
                        HttpRequest.newBuilder(nginx.metricsUri()).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher m = REQUESTS.matcher(body);
        assertThat(m.find()).as(body).isTrue();
        return Long.parseLong(m.group(1));
    }
}
