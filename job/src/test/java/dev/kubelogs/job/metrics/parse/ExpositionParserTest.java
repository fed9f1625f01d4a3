package dev.kubelogs.job.metrics.parse;

import static dev.kubelogs.job.metrics.parse.ExpositionFormat.OPENMETRICS_1_0;
import static dev.kubelogs.job.metrics.parse.ExpositionFormat.TEXT_0_0_4;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.MetricType;
import dev.kubelogs.job.metrics.model.Sample;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Real exporters' output (sources in src/test/resources/metrics/exposition/README.md) and bodies Prometheus rejects.
 */
class ExpositionParserTest {
    private final ExpositionParser parser = new ExpositionParser();

    static byte[] fixture(String name) throws Exception {
        try (InputStream in = ExpositionParserTest.class.getResourceAsStream("/metrics/exposition/" + name)) {
            return in.readAllBytes();
        }
    }

    List<Sample> parse(String body, ExpositionFormat format) throws ExpositionParseException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return parser.parse(bytes, bytes.length, format);
    }

    List<Sample> parseFixture(String name, ExpositionFormat format) throws Exception {
        byte[] bytes = fixture(name);
        return parser.parse(bytes, bytes.length, format);
    }

    static Map<MetricType, Integer> countByType(List<Sample> samples) {
        Map<MetricType, Integer> counts = new EnumMap<>(MetricType.class);
        samples.forEach(s -> counts.merge(s.type(), 1, Integer::sum));
        return counts;
    }

    static Sample sample(String name, String family, MetricType type, Labels labels, double value) {
        return new Sample(name, family, type, labels, value, Sample.NO_TIMESTAMP);
    }

    @Test
    void nginxPrometheusExporter() throws Exception {
        List<Sample> samples = parseFixture("nginx-prometheus-exporter-0.11.txt", TEXT_0_0_4);
        assertThat(samples).hasSize(9);
        assertThat(countByType(samples)).isEqualTo(Map.of(MetricType.COUNTER, 3, MetricType.GAUGE, 6));
        assertThat(samples)
                .contains(
                        sample(
                                "nginx_connections_accepted",
                                "nginx_connections_accepted",
                                MetricType.COUNTER,
                                Labels.EMPTY,
                                7),
                        sample(
                                "nginx_connections_active",
                                "nginx_connections_active",
                                MetricType.GAUGE,
                                Labels.EMPTY,
                                3),
                        new Sample(
                                "nginxexporter_build_info",
                                "nginxexporter_build_info",
                                MetricType.GAUGE,
                                Labels.of(
                                        "arch",
                                        "linux/amd64",
                                        "dirty",
                                        "false",
                                        "go",
                                        "go1.19.8",
                                        "version",
                                        "0.11.0-1+b4"),
                                1,
                                Sample.NO_TIMESTAMP,
                                // commit="" and date="" are no labels, but their names are kept for honor_labels
                                List.of("commit", "date")));
    }

    @Test
    void haproxyBuiltInExporter() throws Exception {
        List<Sample> samples = parseFixture("haproxy-2.6.txt", TEXT_0_0_4);
        assertThat(samples).hasSize(262);
        assertThat(countByType(samples)).isEqualTo(Map.of(MetricType.COUNTER, 120, MetricType.GAUGE, 142));
        assertThat(samples)
                .contains(
                        sample(
                                "haproxy_process_nbthread",
                                "haproxy_process_nbthread",
                                MetricType.GAUGE,
                                Labels.EMPTY,
                                2),
                        sample(
                                "haproxy_backend_http_responses_total",
                                "haproxy_backend_http_responses_total",
                                MetricType.COUNTER,
                                Labels.of("proxy", "nginx", "code", "2xx"),
                                3));
    }

    @Test
    void jmxExporterJavaAgentText() throws Exception {
        List<Sample> samples = parseFixture("jmx-prometheus-javaagent-1.0.1.txt", TEXT_0_0_4);
        assertThat(samples).hasSize(292);
        assertThat(countByType(samples))
                .isEqualTo(Map.of(
                        MetricType.UNTYPED, 196, MetricType.COUNTER, 7, MetricType.GAUGE, 85, MetricType.SUMMARY, 4));
        assertThat(samples)
                .contains(
                        sample(
                                "jvm_threads_started_total",
                                "jvm_threads_started_total",
                                MetricType.COUNTER,
                                Labels.EMPTY,
                                10),
                        sample(
                                "java_lang_Memory_HeapMemoryUsage_used",
                                "java_lang_Memory_HeapMemoryUsage_used",
                                MetricType.UNTYPED,
                                Labels.EMPTY,
                                1.6699392E7),
                        sample(
                                "jvm_gc_collection_seconds_count",
                                "jvm_gc_collection_seconds",
                                MetricType.SUMMARY,
                                Labels.of("gc", "G1 Old Generation"),
                                0));
    }

    @Test
    void jmxExporterJavaAgentOpenMetrics() throws Exception {
        List<Sample> samples = parseFixture("jmx-prometheus-javaagent-1.0.1.om.txt", OPENMETRICS_1_0);
        assertThat(samples).hasSize(369);
        assertThat(countByType(samples))
                .isEqualTo(Map.of(
                        MetricType.UNTYPED,
                        265,
                        MetricType.COUNTER,
                        15,
                        MetricType.INFO,
                        2,
                        MetricType.GAUGE,
                        83,
                        MetricType.SUMMARY,
                        4));
        assertThat(samples)
                .contains(
                        sample(
                                "jvm_threads_started_total",
                                "jvm_threads_started",
                                MetricType.COUNTER,
                                Labels.EMPTY,
                                11),
                        sample(
                                "jmx_config_reload_success_total",
                                "jmx_config_reload_success",
                                MetricType.COUNTER,
                                Labels.EMPTY,
                                0),
                        sample(
                                "java_lang_Memory_HeapMemoryUsage_used",
                                "java_lang_Memory_HeapMemoryUsage_used",
                                MetricType.UNTYPED,
                                Labels.EMPTY,
                                7878968.0));
        assertThat(samples)
                .filteredOn(s -> s.type() == MetricType.INFO)
                .allSatisfy(s -> assertThat(s.name()).endsWith("_info"));
    }

    @Test
    void nodeCollectorMetrics() throws Exception {
        List<Sample> samples = parseFixture("kubelogs-node-collector.txt", TEXT_0_0_4);
        assertThat(samples).hasSize(24);
        assertThat(countByType(samples)).isEqualTo(Map.of(MetricType.COUNTER, 19, MetricType.GAUGE, 5));
        assertThat(samples)
                .contains(
                        sample(
                                "kubelogs_collector_records_read_total",
                                "kubelogs_collector_records_read_total",
                                MetricType.COUNTER,
                                Labels.of("input", "container"),
                                1.2345678E7),
                        sample(
                                "kubelogs_collector_errors_total",
                                "kubelogs_collector_errors_total",
                                MetricType.COUNTER,
                                Labels.of("kind", "a\"b\\c"),
                                1));
    }

    @Test
    void envoyStatsWithSamplesAfterOtherFamiliesTypeLines() throws Exception {
        List<Sample> samples = parseFixture("envoy-stats-prometheus.txt", TEXT_0_0_4);
        assertThat(samples).hasSize(32);
        assertThat(countByType(samples))
                .isEqualTo(Map.of(MetricType.COUNTER, 9, MetricType.HISTOGRAM, 22, MetricType.GAUGE, 1));
        assertThat(samples)
                .contains(
                        sample(
                                "envoy_cluster_upstream_rq_completed",
                                "envoy_cluster_upstream_rq_completed",
                                MetricType.COUNTER,
                                Labels.of("envoy_cluster_name", "service2"),
                                1),
                        sample(
                                "envoy_server_initialization_time_ms_bucket",
                                "envoy_server_initialization_time_ms",
                                MetricType.HISTOGRAM,
                                Labels.of("le", "60000.0"),
                                1),
                        sample(
                                "envoy_server_initialization_time_ms_sum",
                                "envoy_server_initialization_time_ms",
                                MetricType.HISTOGRAM,
                                Labels.EMPTY,
                                30500));
    }

    @Test
    void ingressNginxController() throws Exception {
        List<Sample> samples = parseFixture("ingress-nginx-controller.txt", TEXT_0_0_4);
        assertThat(samples).hasSize(24);
        assertThat(countByType(samples))
                .isEqualTo(Map.of(
                        MetricType.SUMMARY, 7, MetricType.GAUGE, 2, MetricType.HISTOGRAM, 10, MetricType.COUNTER, 5));
        assertThat(samples)
                .contains(
                        sample(
                                "go_gc_duration_seconds",
                                "go_gc_duration_seconds",
                                MetricType.SUMMARY,
                                Labels.of("quantile", "0.25"),
                                2.2423e-05),
                        sample("process_max_fds", "process_max_fds", MetricType.GAUGE, Labels.EMPTY, 1048576));
        Sample requests = samples.get(samples.size() - 1);
        assertThat(requests.name()).isEqualTo("nginx_ingress_controller_requests");
        assertThat(requests.type()).isEqualTo(MetricType.COUNTER);
        // canary="" is no label, as in Prometheus
        assertThat(requests.labels().has("canary")).isFalse();
        assertThat(requests.labels().get("ingress")).isEqualTo("web-yml");
        assertThat(requests.labels().size()).isEqualTo(10);
        assertThat(samples)
                .filteredOn(s -> s.name().equals("nginx_ingress_controller_bytes_sent_bucket"))
                .extracting(s -> s.labels().get("le"))
                .containsExactly("10.0", "100.0", "1000.0", "10000.0", "100000.0", "1e+06", "1e+07", "+Inf");
    }

    @Test
    void memcachedExporter() throws Exception {
        List<Sample> samples = parseFixture("memcached-exporter.txt", TEXT_0_0_4);
        assertThat(samples).hasSize(8);
        assertThat(samples)
                .contains(sample(
                        "memcached_commands_total",
                        "memcached_commands_total",
                        MetricType.COUNTER,
                        Labels.of("command", "get", "status", "hit"),
                        2));
        assertThat(countByType(samples)).isEqualTo(Map.of(MetricType.COUNTER, 4, MetricType.GAUGE, 4));
    }

    @Test
    void aTargetsEarlierTypeLinesTypeItsSamplesForTenMoreScrapes() throws Exception {
        // as the agent types from Prometheus' scrape cache (scrape.go scrapeCache.iterDone)
        TargetMetadata kept = new TargetMetadata();
        byte[] typed = "# HELP requests_total a\n# TYPE requests_total counter\nrequests_total 1\n# TYPE g gauge\ng 2\n"
                .getBytes(StandardCharsets.UTF_8);
        byte[] bare = "requests_total 3\ng 4\nnever_typed 5\n".getBytes(StandardCharsets.UTF_8);
        assertThat(parser.parse(typed, typed.length, TEXT_0_0_4, kept))
                .extracting(Sample::type)
                .containsExactly(MetricType.COUNTER, MetricType.GAUGE);
        kept.scrapeEnded(true);
        for (int scrape = 1; scrape <= TargetMetadata.KEPT_ITERATIONS; scrape++) {
            assertThat(parser.parse(bare, bare.length, TEXT_0_0_4, kept))
                    .as("scrape %d without the TYPE lines", scrape)
                    .extracting(Sample::type)
                    .containsExactly(MetricType.COUNTER, MetricType.GAUGE, MetricType.UNTYPED);
            kept.scrapeEnded(true);
        }
        assertThat(parser.parse(bare, bare.length, TEXT_0_0_4, kept))
                .extracting(Sample::type)
                .containsOnly(MetricType.UNTYPED);
        assertThat(parse("requests_total 3\n", TEXT_0_0_4))
                .as("without the target's store, only the body's lines type it")
                .extracting(Sample::type)
                .containsExactly(MetricType.UNTYPED);
    }

    @Test
    void aFailedBodyKeepsTheTypeLinesItRead() {
        TargetMetadata kept = new TargetMetadata();
        byte[] broken = "# TYPE c counter\nc 1\nc{ 2\n".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> parser.parse(broken, broken.length, TEXT_0_0_4, kept))
                .isInstanceOf(ExpositionParseException.class);
        assertThat(kept.typeOf("c")).isEqualTo(MetricType.COUNTER);
    }

    @Test
    void fluentBitWithoutTypeLinesIsUntypedWithMillisecondTimestamps() throws Exception {
        List<Sample> samples = parseFixture("fluent-bit-v1-metrics-prometheus.txt", TEXT_0_0_4);
        assertThat(samples).hasSize(7).allSatisfy(s -> {
            assertThat(s.type()).isEqualTo(MetricType.UNTYPED);
            assertThat(s.family()).isEqualTo(s.name());
            assertThat(s.timestampMs()).isEqualTo(1509150350542L);
        });
        assertThat(samples.get(0))
                .isEqualTo(new Sample(
                        "fluentbit_input_records_total",
                        "fluentbit_input_records_total",
                        MetricType.UNTYPED,
                        Labels.of("name", "cpu.0"),
                        57,
                        1509150350542L));
    }

    @Test
    void samplesBeforeTheirFamilysTypeLineAreTypedByIt() throws Exception {
        // the agent types a scrape's samples after it, from the metadata of the whole body (metrics_type_handler.go)
        String text =
                "requests_total 3\n# HELP requests_total ups\n# TYPE requests_total counter\nrequests_total{a=\"1\"} 4\n"
                        + "temp 20\n# TYPE temp gauge\n";
        assertThat(parse(text, TEXT_0_0_4))
                .extracting(Sample::type)
                .containsExactly(MetricType.COUNTER, MetricType.COUNTER, MetricType.GAUGE);
        String om = "req_total 1\n# TYPE req counter\nreq_total{a=\"1\"} 2\nlat_sum 3\n# TYPE lat summary\n# EOF\n";
        assertThat(parse(om, OPENMETRICS_1_0))
                .extracting(Sample::family, Sample::type)
                .containsExactly(
                        tuple("req", MetricType.COUNTER),
                        tuple("req", MetricType.COUNTER),
                        tuple("lat", MetricType.SUMMARY));
    }

    @Test
    void onlyTheGivenLengthIsRead() throws Exception {
        byte[] body = "a 1\nb 2\n".getBytes(StandardCharsets.UTF_8);
        assertThat(parser.parse(body, 4, TEXT_0_0_4)).extracting(Sample::name).containsExactly("a");
    }

    @Test
    void leAndQuantileAreRespelledAsOpenMetricsFloatsAfterAHistogramOrSummaryTypeLine() throws Exception {
        // Prometheus 3 promparse/openmetricsparse Labels(): normalizeFloatsInLabelValues(p.mtype, ...)
        String text = "# TYPE rpc summary\nrpc{quantile=\"0\"} 1\nrpc{quantile=\"0.50\"} 2\nrpc{quantile=\"1\"} 3\n"
                + "other{quantile=\"1\",le=\"1\"} 4\n"
                + "# TYPE h histogram\nh_bucket{le=\"1000000\"} 5\nh_bucket{le=\"+inf\"} 6\nh_bucket{le=\"x\"} 7\n"
                + "# TYPE g gauge\ng{quantile=\"1\",le=\"1\"} 8\n";
        assertThat(parse(text, TEXT_0_0_4))
                .extracting(s -> s.labels().toMap())
                .containsExactly(
                        Map.of("quantile", "0.0"),
                        Map.of("quantile", "0.5"),
                        Map.of("quantile", "1.0"),
                        // the latest TYPE line decides, not the sample's family
                        Map.of("quantile", "1.0", "le", "1"),
                        Map.of("le", "1e+06"),
                        Map.of("le", "+Inf"),
                        Map.of("le", "x"),
                        Map.of("quantile", "1", "le", "1"));
        String openMetrics =
                "# TYPE rpc summary\nrpc{quantile=\"0.990\"} 1\n# TYPE h histogram\nh_bucket{le=\"10\"} 2\n"
                        + "# TYPE gh gaugehistogram\ngh_bucket{le=\"10\"} 3\n# EOF\n";
        assertThat(parse(openMetrics, OPENMETRICS_1_0))
                .extracting(s -> s.labels().toMap())
                .containsExactly(Map.of("quantile", "0.99"), Map.of("le", "10.0"), Map.of("le", "10"));
    }

    @Test
    void aTargetsNextScrapeGetsTheSameLabelInstances() throws Exception {
        String body = "x{a=\"1\",b=\"2\"} 1\n";
        Labels first = parse(body, TEXT_0_0_4).get(0).labels();
        assertThat(parse(body, TEXT_0_0_4).get(0).labels()).isSameAs(first);
    }

    @Test
    void tenMegabyteBodyParsesInOnePass() throws Exception {
        StringBuilder sb = new StringBuilder(11 << 20);
        sb.append("# TYPE http_requests_total counter\n");
        int n = 0;
        while (sb.length() < 10 << 20) {
            sb.append("http_requests_total{path=\"/p")
                    .append(n)
                    .append("\",code=\"200\"} ")
                    .append(n)
                    .append('\n');
            n++;
        }
        List<Sample> samples = parse(sb.toString(), TEXT_0_0_4);
        assertThat(samples).hasSize(n);
        assertThat(samples.get(n - 1))
                .isEqualTo(sample(
                        "http_requests_total",
                        "http_requests_total",
                        MetricType.COUNTER,
                        Labels.of("path", "/p" + (n - 1), "code", "200"),
                        n - 1));
    }

    @Test
    void garbageFailsWithLineNumberAndExcerpt() {
        assertThatThrownBy(() -> parse("# TYPE a gauge\na 1\n<html><body>Not found</body></html>\n", TEXT_0_0_4))
                .isInstanceOfSatisfying(ExpositionParseException.class, e -> {
                    assertThat(e.lineNumber()).isEqualTo(3);
                    assertThat(e.reason()).isEqualTo("expected metric name or comment");
                    assertThat(e.excerpt()).isEqualTo("<html><body>Not found</body></html>");
                    assertThat(e)
                            .hasMessage(
                                    "line 3: expected metric name or comment: \"<html><body>Not found</body></html>\"");
                });
    }

    @Test
    void binaryDataFails() {
        byte[] gzip = new byte[4096];
        new Random(7).nextBytes(gzip);
        gzip[0] = (byte) 0x1f;
        gzip[1] = (byte) 0x8b;
        assertThatThrownBy(() -> parser.parse(gzip, gzip.length, TEXT_0_0_4))
                .isInstanceOf(ExpositionParseException.class)
                .satisfies(
                        e -> assertThat(((ExpositionParseException) e).excerpt().length())
                                .isLessThanOrEqualTo(403));
        assertThatThrownBy(() -> parser.parse(gzip, gzip.length, OPENMETRICS_1_0))
                .isInstanceOf(ExpositionParseException.class);
    }

    @Test
    void longOffendingLineIsTruncated() {
        String line = "x".repeat(500) + " notanumber";
        assertThatThrownBy(() -> parse(line + "\n", TEXT_0_0_4))
                .isInstanceOfSatisfying(
                        ExpositionParseException.class,
                        e -> assertThat(e.excerpt()).isEqualTo("x".repeat(100) + "..."));
    }

    @Test
    void truncatedBodyFailsUnlessCutBetweenTokensOfTheLastLine() throws Exception {
        String full = "# TYPE a counter\na{x=\"1\"} 12 1700000000000\n";
        // Prometheus appends a newline to a text body: a last line without one is read as complete
        assertThat(parse(full.substring(0, full.length() - 1), TEXT_0_0_4)).hasSize(1);
        assertThat(parse("# TYPE a counter\na{x=\"1\"} 1", TEXT_0_0_4).get(0).value())
                .isEqualTo(1);
        for (String cut : List.of(
                "# TYPE a counter\na{x=\"1", "# TYPE a counter\na{x=", "# TYPE a counter\na{", "# TYPE a counter\na")) {
            assertThatThrownBy(() -> parse(cut, TEXT_0_0_4)).as(cut).isInstanceOf(ExpositionParseException.class);
        }
        assertThatThrownBy(() -> parse("# TYPE a counter\na_total 1\n# EO", OPENMETRICS_1_0))
                .isInstanceOf(ExpositionParseException.class);
    }

    @Test
    void invalidUtf8InLabelValueFails() {
        byte[] body = {'a', '{', 'x', '=', '"', (byte) 0xc3, (byte) 0x28, '"', '}', ' ', '1', '\n'};
        assertThatThrownBy(() -> parser.parse(body, body.length, TEXT_0_0_4))
                .isInstanceOfSatisfying(
                        ExpositionParseException.class,
                        e -> assertThat(e.reason()).isEqualTo("label value is not valid UTF-8"));
    }

    @Test
    void duplicateLabelNameFails() {
        assertThatThrownBy(() -> parse("a{x=\"1\",x=\"2\"} 1\n", TEXT_0_0_4))
                .isInstanceOfSatisfying(
                        ExpositionParseException.class,
                        e -> assertThat(e.reason()).isEqualTo("label name \"x\" given twice"));
    }
}
