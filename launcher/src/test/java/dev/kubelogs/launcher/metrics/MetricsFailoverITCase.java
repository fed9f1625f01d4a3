package dev.kubelogs.launcher.metrics;

import static dev.kubelogs.job.metrics.Await.until;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.job.metrics.DefaultScrapeJobs;
import dev.kubelogs.job.metrics.LoggedMetrics;
import dev.kubelogs.job.metrics.MetricsPipelines;
import dev.kubelogs.job.metrics.MetricsSetup;
import dev.kubelogs.job.metrics.PipelineRuns;
import dev.kubelogs.launcher.exporters.HaproxyExporter;
import dev.kubelogs.launcher.exporters.InstalledExporters;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failure test of the metrics pipeline: haproxy's {@code haproxy_frontend_http_requests_total{proxy="web"}}
 * (it grows only with requests to the web frontend, never with scrapes) scraped on a MiniCluster of two
 * TaskManagers while requests arrive, and one TaskManager killed mid-run. After the restart from the last completed
 * checkpoint the sum of the series' emitted deltas is exactly the counter's increase as haproxy itself reports it:
 * no increase lost (the agent loses one after every restart, #258), none counted twice.
 */
@Timeout(180)
class MetricsFailoverITCase {
    /** The agent's default job that finds HAProxy ingress; its metric relabeling renames proxy to frontend. */
    private static final String JOB = "kubernetes-service-endpoints";

    private static final String SERIES = "haproxy_frontend_http_requests_total";
    private static final Map<String, String> WEB = Map.of("frontend", "web");
    private static final int REQUESTS = 300;
    private static final Duration INTERVAL = Duration.ofMillis(250);

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = PipelineRuns.miniCluster(2, PipelineRuns.spreadAndRestart());

    @TempDir
    Path tmp;

    @Test
    void killingATaskManagerMidRunNeitherLosesNorDoublesAnIncrease(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        InstalledExporters.require(HaproxyExporter.installed(), "Debian's haproxy");
        try (HaproxyExporter haproxy = HaproxyExporter.start(tmp.resolve("haproxy"));
                LocalCloudWatchLogs endpoint = LocalCloudWatchLogs.start(0, null);
                LoggedMetrics logged = new LoggedMetrics(endpoint.endpoint())) {
            // no request reached the web frontend yet: this is the value the first (priming) scrape will see
            double primed = ExporterScrapes.exporterValue(haproxy.metricsUri(), SERIES + "{proxy=\"web\"}");
            MetricsSetup setup = ExporterScrapes.withDefaultDeclarations(DefaultScrapeJobs.overStaticTargets(
                    JOB, INTERVAL, Map.of(haproxy.exporterAddress(), Map.of("Service", "haproxy-ingress-metrics"))));
            StreamExecutionEnvironment env = PipelineRuns.environment(2, 500);
            MetricsPipelines.create(
                            new Configuration(),
                            setup,
                            PipelineRuns.sink(endpoint.endpoint(), tmp.resolve("dead-letters")))
                    .build(env);
            JobClient job = env.executeAsync("metrics-failover-it");
            ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
            try {
                // a committed delta of the series means the priming scrape's state is in a completed checkpoint
                until(
                        "the first delta of the series lands",
                        Duration.ofSeconds(60),
                        () -> !webEvents(logged).isEmpty());

                AtomicInteger sent = new AtomicInteger();
                CountDownLatch allSent = new CountDownLatch(1);
                sender.scheduleAtFixedRate(
                        () -> {
                            if (sent.get() < REQUESTS) {
                                ExporterScrapes.get(haproxy.requestUri());
                                if (sent.incrementAndGet() == REQUESTS) {
                                    allSent.countDown();
                                }
                            }
                        },
                        0,
                        15,
                        TimeUnit.MILLISECONDS);
                until("a third of the requests sent", Duration.ofSeconds(30), () -> sent.get() >= REQUESTS / 3);
                cluster.terminateTaskManager(1).get();
                cluster.startTaskManager(); // as Kubernetes would replace the pod
                assertThat(allSent.await(60, TimeUnit.SECONDS))
                        .as("all requests sent")
                        .isTrue();

                double last = ExporterScrapes.exporterValue(haproxy.metricsUri(), SERIES + "{proxy=\"web\"}");
                assertThat(last - primed).isEqualTo(REQUESTS);
                double increase = last - primed;
                until(
                        "the deltas add up to the increase " + increase,
                        Duration.ofSeconds(60),
                        () -> deltaSum(logged) >= increase);
                assertThat(deltaSum(logged)).isEqualTo(increase);
                int events = webEvents(logged).size();
                until(
                        "four more scrapes land",
                        Duration.ofSeconds(30),
                        () -> webEvents(logged).size() >= events + 4);
                assertThat(deltaSum(logged)).isEqualTo(increase);

                assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
                assertThat(cluster.getExecutionGraphInfo(job.getJobID()).get().getExceptionHistory())
                        .as("the failures the job restarted from")
                        .isNotEmpty();
            } finally {
                sender.shutdownNow();
                job.cancel().get();
            }
        }
    }

    private static List<JsonNode> webEvents(LoggedMetrics logged) {
        return LoggedMetrics.withField(logged.json(ExporterScrapes.GROUP, JOB), SERIES, WEB);
    }

    private static double deltaSum(LoggedMetrics logged) {
        return LoggedMetrics.sum(logged.json(ExporterScrapes.GROUP, JOB), SERIES, WEB);
    }
}
