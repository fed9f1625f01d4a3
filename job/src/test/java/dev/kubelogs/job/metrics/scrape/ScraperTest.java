package dev.kubelogs.job.metrics.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.collector.local.LoopbackPorts;
import dev.kubelogs.job.metrics.config.Authorization;
import dev.kubelogs.job.metrics.config.RelabelAction;
import dev.kubelogs.job.metrics.config.RelabelConfig;
import dev.kubelogs.job.metrics.config.ScrapeConfig;
import dev.kubelogs.job.metrics.config.ScrapeOptions;
import dev.kubelogs.job.metrics.config.TlsConfig;
import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.MetricType;
import dev.kubelogs.job.metrics.model.ScrapeTarget;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import dev.kubelogs.job.metrics.parse.TargetMetadata;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One scrape against real local HTTP(S) servers, for every way a scrape can end. */
class ScraperTest {
    private static final String TEXT_BODY = String.join(
            "\n",
            "# HELP http_requests_total Requests served.",
            "# TYPE http_requests_total counter",
            "http_requests_total{code=\"200\",method=\"get\"} 1027",
            "http_requests_total{code=\"500\",method=\"get\"} 3",
            "# TYPE process_resident_memory_bytes gauge",
            "process_resident_memory_bytes 2.5e+07",
            "# TYPE rpc_duration_seconds summary",
            "rpc_duration_seconds{quantile=\"0.5\"} 0.05",
            "rpc_duration_seconds{quantile=\"0.9\"} 0.08",
            "rpc_duration_seconds_sum 17.5",
            "rpc_duration_seconds_count 250",
            "# TYPE request_size_bytes histogram",
            "request_size_bytes_bucket{le=\"100\"} 2",
            "request_size_bytes_bucket{le=\"1000\"} 5",
            "request_size_bytes_bucket{le=\"+Inf\"} 6",
            "request_size_bytes_sum 2100",
            "request_size_bytes_count 6",
            "some_untyped_value 7",
            "");
    private static final String OPENMETRICS_BODY = String.join(
            "\n",
            "# TYPE jobs counter",
            "jobs_total{queue=\"a\"} 12",
            "jobs_created{queue=\"a\"} 1.7e9",
            "# TYPE build info",
            "build_info{version=\"1.2\"} 1",
            "# TYPE feature stateset",
            "feature{feature=\"x\"} 1",
            "feature{feature=\"y\"} 0",
            "# EOF",
            "");

    @TempDir
    static Path tempDir;

    private static TestCertificates serverCert;
    private static TestCertificates otherCert;
    private static TestCertificates clientCert;

    private final HttpClients clients = new HttpClients();
    private MetricsEndpoint endpoint;
    private RawTarget raw;

    @BeforeAll
    static void certificates() throws Exception {
        serverCert = TestCertificates.create(tempDir, "server", "dns:metrics.example,ip:127.0.0.1");
        otherCert = TestCertificates.create(tempDir, "other", "dns:other.example");
        clientCert = TestCertificates.create(tempDir, "client", "dns:client.example");
    }

    @AfterEach
    void stop() throws IOException {
        if (endpoint != null) {
            endpoint.close();
        }
        if (raw != null) {
            raw.close();
        }
    }

    private static ScrapeTarget target(String url, long timeoutMs) {
        String address = url.replaceFirst("^https?://", "").replaceFirst("/.*$", "");
        // as TargetBuilder builds it: with the agent's saved job and discovered address
        return new ScrapeTarget(
                "test-job",
                url,
                Labels.of(
                        "job",
                        "test-job",
                        "instance",
                        address,
                        "cwagent_saved_scrape_job",
                        "test-job",
                        "cwagent_saved_scrape_instance",
                        address),
                60_000,
                timeoutMs,
                address);
    }

    private ScrapeOutcome scrape(ScrapeConfig job, String url) throws InterruptedException {
        return scrape(job, url, 64 << 20);
    }

    private ScrapeOutcome scrape(ScrapeConfig job, String url, long bodyLimit) throws InterruptedException {
        return new Scraper(job, clients, bodyLimit)
                .scrape(target(url, job.scrapeTimeout().toMillis()));
    }

    private static ScrapeConfig withOptions(ScrapeOptions options) {
        return ScrapeConfigs.job("test-job").options(options).build();
    }

    private static ScrapeConfig plainJob() {
        return ScrapeConfigs.job("test-job").build();
    }

    private static SeriesGroup group(ScrapeOutcome outcome, String firstName) {
        return outcome.groups().stream()
                .filter(g -> g.names[0].equals(firstName))
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError("no group starting with " + firstName + " in " + outcome.groups()));
    }

    @Test
    void textFormatBecomesGroupsWithTargetLabelsAndUntypedSamplesAreCounted() throws Exception {
        endpoint = MetricsEndpoint.serving(MetricsEndpoint.TEXT, TEXT_BODY);
        long before = System.currentTimeMillis();
        ScrapeOutcome outcome = scrape(plainJob(), endpoint.url());

        assertThat(outcome.reason()).isEqualTo(ScrapeReason.OK);
        assertThat(outcome.dropped(SampleDropReason.UNTYPED)).isEqualTo(1);
        SeriesGroup ok = group(outcome, "http_requests_total");
        assertThat(ok.labels)
                .isEqualTo(
                        Labels.of("code", "200", "method", "get", "job", "test-job", "instance", endpoint.address()));
        assertThat(ok.type).isEqualTo(MetricType.COUNTER);
        assertThat(ok.logStream).isEqualTo("test-job");
        assertThat(ok.values).containsExactly(1027);
        assertThat(ok.timestampMs).isBetween(before, System.currentTimeMillis());
        SeriesGroup sumCount = group(outcome, "rpc_duration_seconds_sum");
        assertThat(sumCount.names).containsExactly("rpc_duration_seconds_sum", "rpc_duration_seconds_count");
        SeriesGroup histogram = group(outcome, "request_size_bytes_bucket");
        assertThat(histogram.names)
                .containsExactly(
                        "request_size_bytes_bucket",
                        "request_size_bytes_bucket",
                        "request_size_bytes_bucket",
                        "request_size_bytes_sum",
                        "request_size_bytes_count");
        assertThat(histogram.upperBounds).containsExactly(100, 1000, Double.POSITIVE_INFINITY, Double.NaN, Double.NaN);
        // 2 counter series, 1 gauge, 2 quantiles, sum+count, 1 histogram
        assertThat(outcome.groups()).hasSize(7);

        var request = endpoint.requests().get(0);
        assertThat(request.getFirst("Accept")).isEqualTo(BodyFetcher.ACCEPT);
        assertThat(request.getFirst("Accept-Encoding")).isEqualTo("gzip");
        assertThat(request.getFirst("X-Prometheus-Scrape-Timeout-Seconds")).isEqualTo("10");
    }

    @Test
    void openMetricsIsParsedAsOpenMetricsAndInfoStatesetAndCreatedAreCounted() throws Exception {
        endpoint = MetricsEndpoint.serving(MetricsEndpoint.OPENMETRICS, OPENMETRICS_BODY);
        ScrapeOutcome outcome = scrape(plainJob(), endpoint.url());

        assertThat(outcome.reason()).isEqualTo(ScrapeReason.OK);
        assertThat(outcome.dropped(SampleDropReason.INFO)).isEqualTo(1);
        assertThat(outcome.dropped(SampleDropReason.STATESET)).isEqualTo(2);
        assertThat(outcome.dropped(SampleDropReason.CREATED_TIMESTAMP)).isEqualTo(1);
        assertThat(group(outcome, "jobs_total").type).isEqualTo(MetricType.COUNTER);
    }

    @Test
    void aGzipBodyIsUnpacked() throws Exception {
        byte[] gzipped = MetricsEndpoint.gzip(TEXT_BODY.getBytes(StandardCharsets.UTF_8));
        endpoint = MetricsEndpoint.start(exchange -> {
            exchange.getResponseHeaders().set("Content-Type", MetricsEndpoint.TEXT);
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
            exchange.sendResponseHeaders(200, gzipped.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(gzipped);
            }
        });
        ScrapeOutcome outcome = scrape(plainJob(), endpoint.url());

        assertThat(outcome.reason()).isEqualTo(ScrapeReason.OK);
        assertThat(outcome.groups()).hasSize(7);
    }

    @Test
    void aBodyThatDripsPastTheTimeoutIsATimeoutAndTheConnectionIsClosed() throws Exception {
        CountDownLatch clientGone = new CountDownLatch(1);
        raw = new RawTarget(socket -> {
            try {
                OutputStream out = socket.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                for (int i = 0; i < 100_000; i++) {
                    out.write(("drip_" + i + " 1\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    TimeUnit.MILLISECONDS.sleep(20);
                }
            } catch (IOException | InterruptedException e) {
                clientGone.countDown();
            }
        });
        ScrapeConfig job =
                ScrapeConfigs.job("test-job").timeout(Duration.ofMillis(500)).build();
        ScrapeOutcome outcome = scrape(job, raw.url());

        assertThat(outcome.reason()).isEqualTo(ScrapeReason.TIMEOUT);
        assertThat(clientGone.await(30, TimeUnit.SECONDS))
                .as("the server's writes fail once the client gave up")
                .isTrue();
    }

    @Test
    void aTargetThatNeverAnswersIsATimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        endpoint = MetricsEndpoint.start(exchange -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        ScrapeConfig job =
                ScrapeConfigs.job("test-job").timeout(Duration.ofMillis(300)).build();
        try {
            ScrapeOutcome outcome = scrape(job, endpoint.url());
            assertThat(outcome.reason()).isEqualTo(ScrapeReason.TIMEOUT);
        } finally {
            release.countDown();
        }
    }

    @Test
    void aClosedPortIsConnectRefused() throws Exception {
        int port = LoopbackPorts.pick();
        ScrapeOutcome outcome = scrape(plainJob(), "http://127.0.0.1:" + port + "/metrics");

        assertThat(outcome.reason()).isEqualTo(ScrapeReason.CONNECT_REFUSED);
    }

    @Test
    void aBodyOverTheLimitFailsWithAndWithoutContentLength() throws Exception {
        String tenMegabytes = "x 1\n".repeat(10 << 18);
        endpoint = MetricsEndpoint.serving(MetricsEndpoint.TEXT, tenMegabytes);
        assertThat(scrape(plainJob(), endpoint.url(), 1 << 20).reason()).isEqualTo(ScrapeReason.BODY_TOO_LARGE);
        endpoint.close();

        byte[] bytes = tenMegabytes.getBytes(StandardCharsets.US_ASCII);
        endpoint = MetricsEndpoint.start(exchange -> {
            exchange.sendResponseHeaders(200, 0); // chunked: the size is known only by reading
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            } catch (IOException clientGaveUp) {
                // expected: the scraper stops reading at the limit
            }
        });
        assertThat(scrape(plainJob(), endpoint.url(), 1 << 20).reason()).isEqualTo(ScrapeReason.BODY_TOO_LARGE);
    }

    @Test
    void theJobsBodySizeLimitAppliesWhenSmallerThanTheReaders() throws Exception {
        endpoint = MetricsEndpoint.serving(MetricsEndpoint.TEXT, "x 1\n".repeat(1000));
        ScrapeConfig small = withOptions(new ScrapeOptions(1000, 0, 0, 0, 0, true));
        ScrapeConfig large = withOptions(new ScrapeOptions(1 << 30, 0, 0, 0, 0, true));

        assertThat(scrape(small, endpoint.url()).reason()).isEqualTo(ScrapeReason.BODY_TOO_LARGE);
        assertThat(scrape(large, endpoint.url(), 1000).reason()).isEqualTo(ScrapeReason.BODY_TOO_LARGE);
        assertThat(scrape(large, endpoint.url(), 1 << 20).reason()).isEqualTo(ScrapeReason.OK);
    }

    @Test
    void withoutCompressionTheScraperAsksForIdentity() throws Exception {
        endpoint = MetricsEndpoint.serving(MetricsEndpoint.TEXT, "# TYPE g gauge\ng 1\n");
        scrape(withOptions(new ScrapeOptions(0, 0, 0, 0, 0, false)), endpoint.url());

        assertThat(endpoint.requests().get(0).getFirst("Accept-Encoding")).isEqualTo("identity");
    }

    @Test
    void aLabelkeepOfAFewLabelsIsASuccessfulScrapeWhoseSamplesTheAgentCannotType() throws Exception {
        // the scrape succeeds, as in the agent, but every sample lost cwagent_saved_scrape_name: counted, not emitted
        endpoint = MetricsEndpoint.serving(MetricsEndpoint.TEXT, "# TYPE g gauge\ng{a=\"1\"} 1\ng{a=\"2\"} 2\n");
        RelabelConfig keepFew =
                new RelabelConfig(List.of(), ";", "__name__|job|instance|a", 0, "", "$1", RelabelAction.LABELKEEP);

        ScrapeOutcome outcome = scrape(
                ScrapeConfigs.job("test-job").metricRelabelConfigs(keepFew).build(), endpoint.url());

        assertThat(outcome.reason()).isEqualTo(ScrapeReason.OK);
        assertThat(outcome.groups()).isEmpty();
        assertThat(outcome.dropped(SampleDropReason.SAVED_NAME_REMOVED)).isEqualTo(2);
    }

    @Test
    void aSampleOverALabelLimitFailsTheScrape() throws Exception {
        endpoint = MetricsEndpoint.serving(MetricsEndpoint.TEXT, "# TYPE g gauge\ng{a=\"1\",long_name=\"v\"} 1\n");
        // with the target's job and instance, __name__ and the agent's three saved labels: eight labels
        ScrapeConfig eightAllowed = withOptions(new ScrapeOptions(0, 8, 0, 0, 0, true));
        ScrapeConfig sevenAllowed = withOptions(new ScrapeOptions(0, 7, 0, 0, 0, true));
        ScrapeConfig shortNames = withOptions(new ScrapeOptions(0, 0, 8, 0, 0, true));
        ScrapeConfig shortValues = withOptions(new ScrapeOptions(0, 0, 0, 8, 0, true));

        assertThat(scrape(eightAllowed, endpoint.url()).reason()).isEqualTo(ScrapeReason.OK);
        assertThat(scrape(sevenAllowed, endpoint.url()).reason()).isEqualTo(ScrapeReason.LABEL_LIMIT_EXCEEDED);
        ScrapeOutcome longName = scrape(shortNames, endpoint.url());
        assertThat(longName.reason()).isEqualTo(ScrapeReason.LABEL_LIMIT_EXCEEDED);
        assertThat(longName.detail()).contains("long_name");
        // the instance value 127.0.0.1:port is longer than 8 bytes
        assertThat(scrape(shortValues, endpoint.url()).reason()).isEqualTo(ScrapeReason.LABEL_LIMIT_EXCEEDED);
    }

    @Test
    void aGzipBodyThatUnpacksPastTheLimitFails() throws Exception {
        byte[] bomb = MetricsEndpoint.gzip(new byte[4 << 20]);
        endpoint = MetricsEndpoint.start(exchange -> {
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
            exchange.sendResponseHeaders(200, bomb.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bomb);
            }
        });
        ScrapeOutcome outcome = scrape(plainJob(), endpoint.url(), 1 << 20);

        assertThat(bomb.length).isLessThan(1 << 20);
        assertThat(outcome.reason()).isEqualTo(ScrapeReason.BODY_TOO_LARGE);
    }

    @Test
    void aConnectionClosedMidBodyIsTargetGone() throws Exception {
        raw = new RawTarget(socket -> {
            try (socket) {
                socket.getOutputStream()
                        .write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                                        + "Content-Length: 10000\r\n\r\nhalf_a_body 1\nhalf_")
                                .getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        ScrapeOutcome outcome = scrape(plainJob(), raw.url());

        assertThat(outcome.reason()).isEqualTo(ScrapeReason.TARGET_GONE);
    }

    @Test
    void aStatusOtherThan200IsCountedWithItsCode() throws Exception {
        endpoint = MetricsEndpoint.start(MetricsEndpoint.respond(503, "text/plain", "overloaded"));
        ScrapeOutcome outcome = scrape(plainJob(), endpoint.url());

        assertThat(outcome.reason()).isEqualTo(ScrapeReason.HTTP_STATUS);
        assertThat(outcome.httpStatus()).isEqualTo(503);
    }

    @Test
    void aBodyPrometheusWouldRejectIsAParseError() throws Exception {
        endpoint = MetricsEndpoint.serving(MetricsEndpoint.TEXT, "# TYPE a counter\na{b=\"unterminated} 1\n");
        ScrapeOutcome outcome = scrape(plainJob(), endpoint.url());

        assertThat(outcome.reason()).isEqualTo(ScrapeReason.PARSE_ERROR);
        assertThat(outcome.groups()).isEmpty();
    }

    @Test
    void moreSamplesThanTheLimitAfterMetricRelabelingFailTheScrape() throws Exception {
        endpoint = MetricsEndpoint.serving(
                MetricsEndpoint.TEXT,
                "# TYPE a gauge\na 1\n# TYPE b_one gauge\nb_one 2\n# TYPE b_two gauge\nb_two 3\n");
        ScrapeOutcome over = scrape(ScrapeConfigs.job("test-job").sampleLimit(2).build(), endpoint.url());
        assertThat(over.reason()).isEqualTo(ScrapeReason.SAMPLE_LIMIT_EXCEEDED);
        assertThat(over.groups()).isEmpty();

        RelabelConfig dropB = new RelabelConfig(List.of("__name__"), ";", "b_one", 0, null, "$1", RelabelAction.DROP);
        ScrapeOutcome under = scrape(
                ScrapeConfigs.job("test-job")
                        .sampleLimit(2)
                        .metricRelabelConfigs(dropB)
                        .build(),
                endpoint.url());
        assertThat(under.reason()).isEqualTo(ScrapeReason.OK);
        // same labels, same type: one group
        assertThat(under.groups()).hasSize(1);
        assertThat(under.groups().get(0).names).containsExactly("a", "b_two");
        assertThat(under.dropped(SampleDropReason.METRIC_RELABEL)).isEqualTo(1);
    }

    @Test
    void withoutHonorLabelsAConflictingExposedLabelIsKeptAsExported() throws Exception {
        endpoint = MetricsEndpoint.serving(
                MetricsEndpoint.TEXT,
                "# TYPE up_like gauge\nup_like{job=\"exporter\",exported_job=\"older\",instance=\"x\"} 1\n");
        ScrapeOutcome outcome = scrape(plainJob(), endpoint.url());

        assertThat(outcome.groups().get(0).labels)
                .isEqualTo(Labels.of(
                        "job",
                        "test-job",
                        "instance",
                        endpoint.address(),
                        "exported_job",
                        "older",
                        "exported_exported_job",
                        "exporter",
                        "exported_instance",
                        "x"));
    }

    @Test
    void withHonorLabelsTheExposedLabelWins() throws Exception {
        endpoint = MetricsEndpoint.serving(MetricsEndpoint.TEXT, "# TYPE up_like gauge\nup_like{job=\"exporter\"} 1\n");
        ScrapeOutcome outcome =
                scrape(ScrapeConfigs.job("test-job").honorLabels(true).build(), endpoint.url());

        SeriesGroup g = outcome.groups().get(0);
        assertThat(g.labels).isEqualTo(Labels.of("job", "exporter", "instance", endpoint.address()));
        assertThat(g.logStream).isEqualTo("exporter");
    }

    @Test
    void aDuplicateCounterKeepsTheFirstAndIsCounted() throws Exception {
        endpoint = MetricsEndpoint.serving(MetricsEndpoint.TEXT, "# TYPE c counter\nc{a=\"1\"} 5\nc{a=\"1\"} 9\n");
        ScrapeOutcome outcome = scrape(plainJob(), endpoint.url());

        assertThat(outcome.reason()).isEqualTo(ScrapeReason.OK);
        assertThat(outcome.groups()).hasSize(1);
        assertThat(outcome.groups().get(0).values).containsExactly(5);
        assertThat(outcome.dropped(SampleDropReason.DUPLICATE_SERIES)).isEqualTo(1);
    }

    @Test
    void exposedTimestampsAreKeptOnlyWhenHonored() throws Exception {
        endpoint = MetricsEndpoint.serving(MetricsEndpoint.TEXT, "# TYPE g gauge\ng 1 1700000000000\n");
        assertThat(scrape(plainJob(), endpoint.url()).groups().get(0).timestampMs)
                .isEqualTo(1_700_000_000_000L);
        long before = System.currentTimeMillis();
        long ts = scrape(ScrapeConfigs.job("test-job").honorTimestamps(false).build(), endpoint.url())
                .groups()
                .get(0)
                .timestampMs;
        assertThat(ts).isGreaterThanOrEqualTo(before);
    }

    @Test
    void theBearerTokenFileIsReadAtEveryScrape() throws Exception {
        Path token = tempDir.resolve("token");
        Files.writeString(token, "first-token\n");
        endpoint = MetricsEndpoint.start(exchange -> {
            boolean allowed = List.of("Bearer first-token", "Bearer second-token")
                    .contains(exchange.getRequestHeaders().getFirst("Authorization"));
            MetricsEndpoint.respond(allowed ? 200 : 401, MetricsEndpoint.TEXT, "# TYPE g gauge\ng 1\n")
                    .handle(exchange);
        });
        ScrapeConfig job = ScrapeConfigs.job("test-job")
                .authorization(new Authorization(null, null, token.toString()))
                .build();

        assertThat(scrape(job, endpoint.url()).reason()).isEqualTo(ScrapeReason.OK);
        Files.writeString(token, "second-token");
        assertThat(scrape(job, endpoint.url()).reason()).isEqualTo(ScrapeReason.OK);
        Files.writeString(token, "revoked");
        ScrapeOutcome refused = scrape(job, endpoint.url());
        assertThat(refused.reason()).isEqualTo(ScrapeReason.HTTP_STATUS);
        assertThat(refused.httpStatus()).isEqualTo(401);
        assertThat(endpoint.requests())
                .extracting(h -> h.getFirst("Authorization"))
                .containsExactly("Bearer first-token", "Bearer second-token", "Bearer revoked");
    }

    @Test
    void tlsWithTheRightCaSucceedsAndWithAnotherCaFails() throws Exception {
        endpoint = MetricsEndpoint.startTls(
                serverCert.serverContext(),
                false,
                MetricsEndpoint.respond(200, MetricsEndpoint.TEXT, "# TYPE g gauge\ng 1\n"));
        TlsConfig rightCa = new TlsConfig(serverCert.certPem.toString(), null, null, null, false);
        TlsConfig wrongCa = new TlsConfig(otherCert.certPem.toString(), null, null, null, false);
        TlsConfig skipVerify = new TlsConfig(otherCert.certPem.toString(), null, null, null, true);

        assertThat(scrape(ScrapeConfigs.job("test-job").tls(rightCa).build(), endpoint.url())
                        .reason())
                .isEqualTo(ScrapeReason.OK);
        ScrapeOutcome refused =
                scrape(ScrapeConfigs.job("test-job").tls(wrongCa).build(), endpoint.url());
        assertThat(refused.reason()).isEqualTo(ScrapeReason.TLS_ERROR);
        assertThat(scrape(ScrapeConfigs.job("test-job").tls(skipVerify).build(), endpoint.url())
                        .reason())
                .isEqualTo(ScrapeReason.OK);
    }

    @Test
    void serverNameIsCheckedInsteadOfTheAddress() throws Exception {
        endpoint = MetricsEndpoint.startTls(
                serverCert.serverContext(),
                false,
                MetricsEndpoint.respond(200, MetricsEndpoint.TEXT, "# TYPE g gauge\ng 1\n"));
        TlsConfig named = new TlsConfig(serverCert.certPem.toString(), null, null, "metrics.example", false);
        TlsConfig misnamed = new TlsConfig(serverCert.certPem.toString(), null, null, "elsewhere.example", false);

        assertThat(scrape(ScrapeConfigs.job("test-job").tls(named).build(), endpoint.url())
                        .reason())
                .isEqualTo(ScrapeReason.OK);
        ScrapeOutcome refused =
                scrape(ScrapeConfigs.job("test-job").tls(misnamed).build(), endpoint.url());
        assertThat(refused.reason()).isEqualTo(ScrapeReason.TLS_ERROR);
    }

    /** Resolves the test's one underscore name to loopback, as a cluster's DNS would resolve a service's name. */
    private static final String UNDERSCORE_HOST = "metrics_exporter.example";

    private static final HostResolver LOOPBACK_RESOLVER = host -> {
        if (host.equals(UNDERSCORE_HOST)) {
            return new InetAddress[] {InetAddress.getLoopbackAddress()};
        }
        throw new UnknownHostException(host);
    };

    private ScrapeOutcome scrapeByName(ScrapeConfig job, String url) throws InterruptedException {
        return new Scraper(job, clients, 64 << 20, LOOPBACK_RESOLVER).scrape(target(url, 10_000));
    }

    @Test
    void aHostNameWithAnUnderscoreIsScrapedAndKeepsItsInstanceLabel() throws Exception {
        // Go's url.Parse takes it; java.net.URI reads the authority as registry-based, with no host
        endpoint = MetricsEndpoint.serving(MetricsEndpoint.TEXT, "# TYPE g gauge\ng 1\n");
        String address = UNDERSCORE_HOST + ":" + endpoint.port();

        ScrapeOutcome outcome = scrapeByName(plainJob(), "http://" + address + "/metrics?x=a%20b");

        assertThat(outcome.reason()).as(outcome.detail()).isEqualTo(ScrapeReason.OK);
        assertThat(group(outcome, "g").labels).isEqualTo(Labels.of("job", "test-job", "instance", address));
        assertThat(endpoint.requests()).hasSize(1);
        assertThat(endpoint.paths()).containsExactly("/metrics?x=a%20b");
    }

    @Test
    void anUnderscoreHostsAddressesAreTriedInTurnWhileTheyRefuse() throws Exception {
        // Go's dialer dials a name's addresses one after another (net/dial.go dialSerial)
        endpoint = MetricsEndpoint.serving(MetricsEndpoint.TEXT, "# TYPE g gauge\ng 1\n");
        InetAddress refusing = InetAddress.getByName("127.0.0.2");
        InetAddress listening = InetAddress.getLoopbackAddress();
        String url = "http://" + UNDERSCORE_HOST + ":" + endpoint.port() + "/metrics";

        ScrapeOutcome second = new Scraper(
                        plainJob(), clients, 64 << 20, host -> new InetAddress[] {refusing, listening})
                .scrape(target(url, 10_000));
        ScrapeOutcome none = new Scraper(plainJob(), clients, 64 << 20, host -> new InetAddress[] {refusing})
                .scrape(target(url, 10_000));

        assertThat(second.reason()).as(second.detail()).isEqualTo(ScrapeReason.OK);
        assertThat(endpoint.requests()).hasSize(1);
        assertThat(none.reason()).isEqualTo(ScrapeReason.CONNECT_REFUSED);
    }

    @Test
    void aTargetsTypeLinesTypeItsNextTenScrapesFailedOnesCountingToo() throws Exception {
        // the agent types from Prometheus' scrape cache, whose iteration every scrape advances (scrape.go iterDone)
        AtomicInteger requests = new AtomicInteger();
        endpoint = MetricsEndpoint.start(exchange -> {
            int n = requests.getAndIncrement();
            String body = n == 0 ? "# TYPE req counter\nreq_total 1\n" : "req_total 2\n";
            MetricsEndpoint.respond(n % 2 == 1 ? 500 : 200, MetricsEndpoint.TEXT, body)
                    .handle(exchange);
        });
        Scraper scraper = new Scraper(plainJob(), clients, 64 << 20);
        TargetMetadata kept = new TargetMetadata();
        ScrapeTarget target = target(endpoint.url(), 10_000);

        List<ScrapeOutcome> outcomes = new ArrayList<>();
        for (int scrape = 0; scrape <= 12; scrape++) {
            outcomes.add(scraper.scrape(target, kept));
        }

        assertThat(outcomes).extracting(ScrapeOutcome::reason).containsOnly(ScrapeReason.OK, ScrapeReason.HTTP_STATUS);
        assertThat(outcomes.get(10).groups()).extracting(g -> g.type).containsExactly(MetricType.COUNTER);
        assertThat(outcomes.get(12).groups()).isEmpty();
    }

    @Test
    void failedAndEmptyScrapesLeaveATypeInTheStoreForAHelpLineToBringBack() throws Exception {
        // scrape.go: a failed request or an empty body ends with iterDone(false), which deletes no metadata;
        // setHelp then keeps the entry's Type
        AtomicInteger requests = new AtomicInteger();
        endpoint = MetricsEndpoint.start(exchange -> {
            int n = requests.getAndIncrement();
            if (n == 0) {
                MetricsEndpoint.respond(200, MetricsEndpoint.TEXT, "# TYPE req counter\nreq_total 1\n")
                        .handle(exchange);
            } else if (n < 15) {
                MetricsEndpoint.respond(n % 2 == 1 ? 503 : 200, MetricsEndpoint.TEXT, "")
                        .handle(exchange);
            } else {
                MetricsEndpoint.respond(200, MetricsEndpoint.TEXT, "# HELP req requests\nreq_total 2\n")
                        .handle(exchange);
            }
        });
        Scraper scraper = new Scraper(plainJob(), clients, 64 << 20);
        TargetMetadata kept = new TargetMetadata();
        ScrapeTarget target = target(endpoint.url(), 10_000);

        List<ScrapeOutcome> outcomes = new ArrayList<>();
        for (int scrape = 0; scrape <= 15; scrape++) {
            outcomes.add(scraper.scrape(target, kept));
        }

        assertThat(outcomes.subList(1, 15))
                .extracting(ScrapeOutcome::reason)
                .containsOnly(ScrapeReason.OK, ScrapeReason.HTTP_STATUS);
        assertThat(outcomes.get(15).groups()).extracting(g -> g.type).containsExactly(MetricType.COUNTER);
    }

    @Test
    void anUnderscoreHostThatDoesNotResolveIsConnectRefused() throws Exception {
        ScrapeOutcome outcome = scrapeByName(plainJob(), "http://no_such_exporter:9100/metrics");

        assertThat(outcome.reason()).isEqualTo(ScrapeReason.CONNECT_REFUSED);
        assertThat(outcome.detail()).isEqualTo("lookup no_such_exporter: no such host");
    }

    @Test
    void anUnderscoreHostsCertificateIsCheckedAgainstItsNameOrServerNameNotItsAddress() throws Exception {
        endpoint = MetricsEndpoint.startTls(
                serverCert.serverContext(),
                false,
                MetricsEndpoint.respond(200, MetricsEndpoint.TEXT, "# TYPE g gauge\ng 1\n"));
        String url = "https://" + UNDERSCORE_HOST + ":" + endpoint.port() + "/metrics";
        TlsConfig named = new TlsConfig(serverCert.certPem.toString(), null, null, "metrics.example", false);
        TlsConfig unnamed = new TlsConfig(serverCert.certPem.toString(), null, null, null, false);

        ScrapeOutcome ok = scrapeByName(ScrapeConfigs.job("test-job").tls(named).build(), url);
        assertThat(ok.reason()).as(ok.detail()).isEqualTo(ScrapeReason.OK);
        // the certificate names 127.0.0.1, where the request went, but not the target's host name
        ScrapeOutcome refused =
                scrapeByName(ScrapeConfigs.job("test-job").tls(unnamed).build(), url);
        assertThat(refused.reason()).isEqualTo(ScrapeReason.TLS_ERROR);
    }

    @Test
    void anUnderscoreHostIsSentAsTheServerNameIndication() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> clientHello = CompletableFuture.supplyAsync(() -> {
                try (var socket = server.accept()) {
                    byte[] buffer = new byte[4096];
                    int n = socket.getInputStream().read(buffer);
                    return new String(buffer, 0, Math.max(n, 0), StandardCharsets.ISO_8859_1);
                } catch (IOException e) {
                    return e.toString();
                }
            });
            String url = "https://" + UNDERSCORE_HOST + ":" + server.getLocalPort() + "/metrics";

            ScrapeOutcome outcome = scrapeByName(
                    ScrapeConfigs.job("test-job").tls(TlsConfig.NONE).build(), url);

            assertThat(outcome.reason()).isNotEqualTo(ScrapeReason.OK);
            // Go's crypto/tls sends any host name but an IP literal, underscores and all
            assertThat(clientHello.get(10, TimeUnit.SECONDS)).contains(UNDERSCORE_HOST);
        }
    }

    @Test
    void aClientCertificateIsPresentedWhenTheServerAsksForOne() throws Exception {
        endpoint = MetricsEndpoint.startTls(
                serverCert.serverContext(clientCert),
                true,
                MetricsEndpoint.respond(200, MetricsEndpoint.TEXT, "# TYPE g gauge\ng 1\n"));
        String ca = serverCert.certPem.toString();
        TlsConfig withCert =
                new TlsConfig(ca, clientCert.certPem.toString(), clientCert.keyPem.toString(), null, false);
        TlsConfig withoutCert = new TlsConfig(ca, null, null, null, false);
        TlsConfig keyWithoutCert = new TlsConfig(ca, null, clientCert.keyPem.toString(), null, false);

        assertThat(scrape(ScrapeConfigs.job("test-job").tls(withCert).build(), endpoint.url())
                        .reason())
                .isEqualTo(ScrapeReason.OK);
        assertThat(scrape(ScrapeConfigs.job("test-job").tls(withoutCert).build(), endpoint.url())
                        .reason())
                .isIn(ScrapeReason.TLS_ERROR, ScrapeReason.TARGET_GONE, ScrapeReason.IO_ERROR);
        ScrapeOutcome misconfigured =
                scrape(ScrapeConfigs.job("test-job").tls(keyWithoutCert).build(), endpoint.url());
        assertThat(misconfigured.reason()).isEqualTo(ScrapeReason.TLS_ERROR);
        assertThat(misconfigured.detail()).contains("key_file").contains("without cert_file");
    }
}
