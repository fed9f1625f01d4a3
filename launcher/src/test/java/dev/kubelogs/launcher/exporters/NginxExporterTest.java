package dev.kubelogs.launcher.exporters;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NginxExporterTest {
    private static final Pattern REQUESTS = Pattern.compile("(?m)^nginx_http_requests_total (\\d+)");

    @TempDir
    Path dir;

    @Test
    void requestsToNginxShowInTheExportersCounter() throws Exception {
        InstalledExporters.require(NginxExporter.installed(), "Debian's nginx and prometheus-nginx-exporter");
        HttpClient http = HttpClient.newHttpClient();
        try (NginxExporter exporter = NginxExporter.start(dir)) {
            long before = requests(http, exporter);
            for (int i = 0; i < 25; i++) {
                HttpResponse<String> page = http.send(
                        HttpRequest.newBuilder(exporter.requestUri()).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(page.statusCode()).isEqualTo(200);
            }
            // the stub_status request the exporter makes for the second scrape counts too
            assertThat(requests(http, exporter)).isEqualTo(before + 25 + 1);
        }
    }

    static long requests(HttpClient http, NginxExporter exporter) throws Exception {
        String body = http.send(
                        HttpRequest.newBuilder(exporter.metricsUri()).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher m = REQUESTS.matcher(body);
        assertThat(m.find()).as(body).isTrue();
        return Long.parseLong(m.group(1));
    }
}
