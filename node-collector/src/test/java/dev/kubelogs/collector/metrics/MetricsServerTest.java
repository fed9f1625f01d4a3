package dev.kubelogs.collector.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** /metrics as the Prometheus Java client (1.10) served it before, /healthz, gzip. */
class MetricsServerTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static String resource(String name) throws Exception {
        try (InputStream in = MetricsServerTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void idleCollectorMetricsAreWhatThePrometheusClientWrote() throws Exception {
        // captured from the collector's /metrics when it used prometheus-metrics-exporter-httpserver 1.10.0
        // (families added since, files_missed, files_gone_while_down, symlinks_refused, the kinesis_* and the
        // truncated_* ones, journal_fields_cut, schedule_rolls, written in the same format)
        String expected = resource("/metrics/idle-prometheus-client-1.10.txt");
        CollectorMetrics m = new CollectorMetrics();
        try (MetricsServer s = new MetricsServer(0, m, () -> null)) {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/metrics"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(r.body()).isEqualTo(expected);
        }
    }

    @Test
    void healthGzipAndNotFound() throws Exception {
        CollectorMetrics m = new CollectorMetrics();
        String[] reason = {null};
        try (MetricsServer s = new MetricsServer(0, m, () -> reason[0])) {
            String base = "http://127.0.0.1:" + s.port();
            HttpResponse<String> ok = HTTP.send(
                    HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("ok\n");
            reason[0] = "tail loop stalled for 31 s";
            HttpResponse<String> bad = HTTP.send(
                    HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(bad.statusCode()).isEqualTo(503);
            assertThat(bad.body()).isEqualTo("tail loop stalled for 31 s\n");
            assertThat(HTTP.send(
                                    HttpRequest.newBuilder(URI.create(base + "/nope"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(404);
            HttpResponse<byte[]> z = HTTP.send(
                    HttpRequest.newBuilder(URI.create(base + "/metrics"))
                            .header("Accept-Encoding", "gzip")
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(z.headers().firstValue("Content-Encoding")).hasValue("gzip");
            String unzipped = new String(
                    new GZIPInputStream(new java.io.ByteArrayInputStream(z.body())).readAllBytes(),
                    StandardCharsets.UTF_8);
            assertThat(unzipped).isEqualTo(resource("/metrics/idle-prometheus-client-1.10.txt"));
        }
    }
}
