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

class HaproxyExporterTest {
    private static final Pattern REQUESTS =
            Pattern.compile("(?m)^haproxy_frontend_http_requests_total\\{proxy=\"web\"} (\\d+)");

    @TempDir
    Path dir;

    @Test
    void requestsToTheFrontendShowInTheBuiltInExporter() throws Exception {
        InstalledExporters.require(HaproxyExporter.installed(), "Debian's haproxy");
        HttpClient http = HttpClient.newHttpClient();
        try (HaproxyExporter haproxy = HaproxyExporter.start(dir)) {
            long before = requests(http, haproxy);
            for (int i = 0; i < 10; i++) {
                assertThat(http.send(
                                        HttpRequest.newBuilder(haproxy.requestUri())
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .statusCode())
                        .isEqualTo(200);
            }
            assertThat(requests(http, haproxy)).isEqualTo(before + 10);
        }
    }

    private static long requests(HttpClient http, HaproxyExporter haproxy) throws Exception {
        String body = http.send(
                        HttpRequest.newBuilder(haproxy.metricsUri()).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher m = REQUESTS.matcher(body);
        assertThat(m.find())
                .as(body.substring(0, Math.min(2000, body.length())))
                .isTrue();
        return Long.parseLong(m.group(1));
    }
}
