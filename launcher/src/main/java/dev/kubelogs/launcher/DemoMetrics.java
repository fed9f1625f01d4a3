package dev.kubelogs.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubelogs.job.metrics.MetricsPipeline;
import dev.kubelogs.job.metrics.MetricsSetup;
import dev.kubelogs.job.metrics.config.ScrapeConfig;
import dev.kubelogs.launcher.cluster.FlinkRest;
import dev.kubelogs.launcher.exporters.NginxExporter;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The demo's metrics part: the agent files the job reads (the demo's own {@link DemoMetricsConfig}, or the user's), the
 * nginx and requests the demo runs for its exporter, how many times each target is scraped so that the job still ends
 * ({@code --metrics-scrapes-per-target}), the wait for those scrapes before the collectors stop serving
 * {@code /metrics}, and the report.
 */
final class DemoMetrics implements AutoCloseable {
    static final Duration INTERVAL = Duration.ofSeconds(1);
    /** Scrapes beyond the run's length: the last scrape comes after the demo's last request to nginx. */
    static final int EXTRA_SCRAPES = 3;

    private static final int NGINX_REQUESTS_PER_SECOND = 20;

    private final Path configDir;
    private final MetricsSetup setup;
    private final int scrapesPerTarget;
    private final Duration longestInterval;
    private final List<String> expectedStreams;
    /** The demo's own files, whose declarations select metrics of every job: each stream has directives. */
    private final boolean ownConfig;

    private final NginxExporter nginx;
    private final Duration duration;
    private NginxTraffic traffic;

    private DemoMetrics(
            Path configDir,
            MetricsSetup setup,
            int scrapesPerTarget,
            List<String> expectedStreams,
            boolean ownConfig,
            NginxExporter nginx,
            Duration duration) {
        this.duration = duration;
        this.ownConfig = ownConfig;
        this.configDir = configDir;
        this.setup = setup;
        this.scrapesPerTarget = scrapesPerTarget;
        this.longestInterval = longestInterval(setup);
        this.expectedStreams = expectedStreams;
        this.nginx = nginx;
    }

    /** The demo's own targets: its collectors and, when Debian's nginx and its exporter are installed, those. */
    static DemoMetrics own(Path work, String cluster, Duration duration, List<DemoMetricsConfig.Collector> collectors)
            throws IOException {
        NginxExporter nginx = null;
        if (NginxExporter.installed()) {
            try {
                nginx = NginxExporter.start(work.resolve("nginx"));
            } catch (IOException e) {
                DemoCommand.say(
                        "nginx and its exporter are installed but did not start (%s); metrics from the "
                                + "collectors only",
                        e.getMessage());
            }
        }
        try {
            DemoMetricsConfig config = new DemoMetricsConfig(
                    cluster, INTERVAL, collectors, nginx == null ? null : nginx.exporterAddress());
            Path dir = config.write(work);
            MetricsSetup setup = MetricsSetup.load(dir.toString(), cluster, System::getenv);
            return new DemoMetrics(dir, setup, scrapes(duration, INTERVAL), config.jobs(), true, nginx, duration);
        } catch (IOException | RuntimeException e) {
            if (nginx != null) {
                nginx.close();
            }
            throw e;
        }
    }

    /**
     * The user's agent files. Every target is scraped a bounded number of times, so the job ends; targets from
     * kubernetes_sd_configs are those discovered at the start, which needs an API server: without one this is an
     * {@link IllegalArgumentException} saying so, before anything runs.
     */
    static DemoMetrics users(Path configDir, String cluster, Duration duration) {
        MetricsSetup setup = MetricsSetup.load(configDir.toString(), cluster, System::getenv);
        String unreachable =
                KubernetesApiProbe.firstUnreachable(setup.prometheus().scrapeConfigs());
        if (unreachable != null) {
            throw new IllegalArgumentException(unreachable + "; the demo runs outside a cluster: scrape static_configs "
                    + "targets, or run with --no-metrics");
        }
        return new DemoMetrics(
                configDir,
                setup,
                scrapes(duration, longestInterval(setup)),
                setup.prometheus().scrapeConfigs().stream()
                        .map(ScrapeConfig::jobName)
                        .toList(),
                false,
                null,
                duration);
    }

    /** For --resume: the earlier run's files; the metrics state is restored, its targets are gone (one scrape each). */
    static DemoMetrics resumed(Path configDir, String cluster) {
        return new DemoMetrics(
                configDir,
                MetricsSetup.load(configDir.toString(), cluster, System::getenv),
                1,
                List.of(),
                false,
                null,
                Duration.ZERO);
    }

    /** {@code duration} covered by scrapes every {@code interval}, and a few more. */
    static int scrapes(Duration duration, Duration interval) {
        return (int) Math.min(
                        Integer.MAX_VALUE - EXTRA_SCRAPES,
                        (duration.toMillis() + interval.toMillis() - 1) / interval.toMillis())
                + EXTRA_SCRAPES;
    }

    private static Duration longestInterval(MetricsSetup setup) {
        return setup.prometheus().scrapeConfigs().stream()
                .map(ScrapeConfig::scrapeInterval)
                .max(Duration::compareTo)
                .orElse(INTERVAL);
    }

    List<String> jobArgs() {
        return List.of(
                "--prometheus-config",
                configDir.toString(),
                "--cluster",
                setup.clusterName(),
                "--metrics-scrapes-per-target",
                Integer.toString(scrapesPerTarget));
    }

    String logGroup() {
        return setup.logGroup();
    }

    /** One line on what is scraped, for the demo's output. */
    String describe() {
        String jobs = expectedStreams.isEmpty()
                ? "the earlier run's targets"
                : "scrape jobs " + String.join(", ", expectedStreams);
        String exporter = nginx != null
                ? "; nginx " + nginx.requestUri() + " with its exporter, the demo sending it requests"
                : ownConfig ? "; no nginx exporter (apt-get install nginx prometheus-nginx-exporter adds one)" : "";
        return String.format(
                java.util.Locale.ROOT,
                "Metrics pipeline: %s from %s, each target scraped %d times " + "(every %s at most) into %s%s",
                jobs,
                configDir,
                scrapesPerTarget,
                DemoDeliveryWatch.format(longestInterval),
                setup.logGroup(),
                exporter);
    }

    /** Before the job: the demo's requests to nginx begin with the job's first scrape of it and last the run. */
    void startTraffic() throws IOException, InterruptedException {
        if (nginx != null) {
            traffic = NginxTraffic.start(nginx, NGINX_REQUESTS_PER_SECOND, duration);
        }
    }

    /**
     * Waits until the job's scrape source has finished (every target had its scrapes), so the collectors are sealed,
     * and stop serving /metrics, only after their last scrape; not when {@code stopWaiting} says so (the job ended, or
     * delivery is failing: the sink's backpressure holds the source back), nor beyond the scrapes' length and two
     * minutes.
     */
    void awaitScrapes(FlinkRest rest, String jobId, BooleanSupplier stopWaiting, PrintStream out)
            throws InterruptedException {
        long deadline = System.nanoTime()
                + longestInterval.multipliedBy(scrapesPerTarget).toNanos()
                + TimeUnit.MINUTES.toNanos(2);
        out.println("Waiting for the metrics source's last scrapes…");
        while (!sourceFinished(rest, jobId)) {
            if (stopWaiting.getAsBoolean() || System.nanoTime() > deadline) {
                out.println("  not waiting for the metrics source's last scrapes: sealing the collectors now");
                return;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    private static boolean sourceFinished(FlinkRest rest, String jobId) {
        try {
            for (JsonNode vertex : rest.job(jobId).path("vertices")) {
                if (vertex.path("name").asText().contains(MetricsPipeline.SOURCE_UID)) {
                    return "FINISHED".equals(vertex.path("status").asText());
                }
            }
            return false;
        } catch (IOException e) {
            return false; // not answering yet
        }
    }

    /** Prints the metrics group and, for a fresh run, checks it; false if a check failed. */
    boolean report(URI endpoint, String region, PrintStream out) {
        DemoMetricsReport report = DemoMetricsReport.read(endpoint, region, setup.logGroup());
        report.print(out);
        if (expectedStreams.isEmpty()) {
            return true;
        }
        DemoMetricsReport.NginxCounts counts = traffic == null
                ? null
                : new DemoMetricsReport.NginxCounts(
                        traffic.atFirstScrape(), traffic.atLastScrape(), traffic.sent(), traffic.failure());
        return report.check(expectedStreams, ownConfig, DemoMetricsConfig.NGINX_JOB, counts, out);
    }

    /** After the job: ends the requests, takes nginx's last count and stops nginx. */
    void finish() throws InterruptedException {
        if (traffic != null) {
            traffic.finish();
        }
        close();
    }

    @Override
    public void close() {
        if (nginx != null) {
            nginx.close();
        }
    }
}
