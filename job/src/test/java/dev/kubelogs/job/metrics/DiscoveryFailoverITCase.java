package dev.kubelogs.job.metrics;

import static dev.kubelogs.job.metrics.Await.until;
import static dev.kubelogs.job.metrics.KubernetesObjects.endpoints;
import static dev.kubelogs.job.metrics.KubernetesObjects.pod;
import static dev.kubelogs.job.metrics.KubernetesObjects.port;
import static dev.kubelogs.job.metrics.KubernetesObjects.service;
import static dev.kubelogs.job.metrics.KubernetesObjects.subset;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.job.metrics.scrape.MetricsEndpoint;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.scheduler.exceptionhistory.RootExceptionHistoryEntry;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once through a failover that hits the scrape readers while discovery changes their targets: two pods'
 * counters grow while a TaskManager is killed, and while it is down their service's metrics path changes (each
 * target is sent again with its new URL) and a third pod joins. After the restart the sum of each series' emitted
 * deltas is exactly its counter's increase, the new pod is scraped with its increase counted exactly too, and the job
 * restarted for the lost TaskManager only (the scrape source did not fail it again while it recovered).
 */
@EnableKubernetesMockClient(crud = true, https = false)
@Timeout(240)
class DiscoveryFailoverITCase {
    private static final String JOB = "kubernetes-service-endpoints";
    private static final String CLUSTER = "it-cluster";
    private static final String GROUP = "/aws/containerinsights/" + CLUSTER + "/prometheus";
    private static final String NS = KubernetesObjects.NAMESPACE;
    private static final String SERIES = "app_requests_total";
    private static final int INCREMENTS = 300;

    static KubernetesClient client;
    static KubernetesMockServer server;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = PipelineRuns.miniCluster(2, PipelineRuns.spreadAndRestart());

    @TempDir
    Path tmp;

    /** A counter target that notes the paths it was scraped on. */
    private static final class CounterTarget implements AutoCloseable {
        final AtomicLong value = new AtomicLong(1_000);
        final Set<String> paths = ConcurrentHashMap.newKeySet();
        final MetricsEndpoint endpoint;

        CounterTarget() throws java.io.IOException {
            endpoint = MetricsEndpoint.start(exchange -> {
                paths.add(exchange.getRequestURI().getPath());
                MetricsEndpoint.respond(
                                200,
                                MetricsEndpoint.TEXT,
                                "# TYPE " + SERIES + " counter\n" + SERIES + " " + value.get() + "\n")
                        .handle(exchange);
            });
        }

        @Override
        public void close() {
            endpoint.close();
        }
    }

    @Test
    void deltasStayExactThroughAFailoverWhileDiscoveryChangesTheTargets(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        try (CounterTarget web0 = new CounterTarget();
                CounterTarget web1 = new CounterTarget();
                CounterTarget web2 = new CounterTarget();
                LocalCloudWatchLogs endpoint = LocalCloudWatchLogs.start(0, null);
                LoggedMetrics logged = new LoggedMetrics(endpoint.endpoint())) {
            create(service("web", Map.of("prometheus.io/scrape", "true")));
            create(pod("web-0", port(web0.endpoint)));
            create(pod("web-1", port(web1.endpoint)));
            create(endpoints("web", subset("web-0", port(web0.endpoint))));
            client.endpoints()
                    .inNamespace(NS)
                    .withName("web")
                    .edit(e -> new EndpointsBuilder(e)
                            .addToSubsets(subset("web-1", port(web1.endpoint)))
                            .build());

            StreamExecutionEnvironment env = PipelineRuns.environment(2, 500);
            MetricsPipelines.create(
                            new Configuration(),
                            setup(),
                            PipelineRuns.sink(endpoint.endpoint(), tmp.resolve("dead-letters")))
                    .build(env);
            JobClient job = env.executeAsync("discovery-failover-it");
            try {
                // a committed delta means the priming scrape's state is in a completed checkpoint
                until(
                        "the first deltas of web-0 and web-1 land",
                        Duration.ofSeconds(60),
                        () -> landed(logged, "web-0") && landed(logged, "web-1"));

                for (int i = 0; i < INCREMENTS / 3; i++) {
                    web0.value.incrementAndGet();
                    web1.value.incrementAndGet();
                }
                web0.endpoint.awaitRequests(web0.endpoint.requests().size() + 2, Duration.ofSeconds(30));

                cluster.terminateTaskManager(1).get();
                // while the readers restart: the service's metrics path changes and a pod joins
                client.services()
                        .inNamespace(NS)
                        .withName("web")
                        .edit(s -> new ServiceBuilder(s)
                                .editMetadata()
                                .addToAnnotations("prometheus.io/path", "/metrics/moved")
                                .endMetadata()
                                .build());
                create(pod("web-2", port(web2.endpoint)));
                client.endpoints()
                        .inNamespace(NS)
                        .withName("web")
                        .edit(e -> new EndpointsBuilder(e)
                                .addToSubsets(subset("web-2", port(web2.endpoint)))
                                .build());
                for (int i = INCREMENTS / 3; i < INCREMENTS; i++) {
                    web0.value.incrementAndGet();
                    web1.value.incrementAndGet();
                }
                cluster.startTaskManager(); // as Kubernetes would replace the pod

                until(
                        "the deltas of web-0 and web-1 add up to " + INCREMENTS,
                        Duration.ofSeconds(90),
                        () -> deltaSum(logged, "web-0") >= INCREMENTS && deltaSum(logged, "web-1") >= INCREMENTS);
                until("web-2's first delta lands", Duration.ofSeconds(30), () -> landed(logged, "web-2"));
                web2.value.addAndGet(INCREMENTS);
                until(
                        "web-2's deltas add up to " + INCREMENTS,
                        Duration.ofSeconds(30),
                        () -> deltaSum(logged, "web-2") >= INCREMENTS);
                int events = events(logged, "web-0").size();
                until(
                        "four more scrapes of web-0 land",
                        Duration.ofSeconds(30),
                        () -> events(logged, "web-0").size() >= events + 4);

                assertThat(deltaSum(logged, "web-0")).isEqualTo(INCREMENTS);
                assertThat(deltaSum(logged, "web-1")).isEqualTo(INCREMENTS);
                assertThat(deltaSum(logged, "web-2")).isEqualTo(INCREMENTS);
                assertThat(web0.paths).contains("/metrics", "/metrics/moved");
                assertThat(web1.paths).contains("/metrics", "/metrics/moved");
                assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
                List<String> failures = failures(cluster, job);
                assertThat(failures).as("the failures the job restarted from").isNotEmpty();
                assertThat(failures)
                        .as("the scrape source failed the job while it recovered")
                        .noneMatch(f -> f.contains("OperatorCoordinator") || f.contains("Failed to assign splits"));
            } finally {
                job.cancel().get();
            }
        }
    }

    private static List<String> failures(MiniCluster cluster, JobClient job) throws Exception {
        List<String> out = new ArrayList<>();
        for (RootExceptionHistoryEntry entry :
                cluster.getExecutionGraphInfo(job.getJobID()).get().getExceptionHistory()) {
            out.add(entry.getExceptionAsString());
        }
        return out;
    }

    private static MetricsSetup setup() {
        return DefaultScrapeJobs.overApiServer(
                JOB, "endpoints", client.getMasterUrl().toString(), Duration.ofMillis(250), CLUSTER);
    }

    private static List<JsonNode> events(LoggedMetrics logged, String pod) {
        return LoggedMetrics.withField(logged.json(GROUP, JOB), SERIES, Map.of("pod_name", pod));
    }

    private static boolean landed(LoggedMetrics logged, String pod) {
        return !events(logged, pod).isEmpty();
    }

    private static double deltaSum(LoggedMetrics logged, String pod) {
        return LoggedMetrics.sum(logged.json(GROUP, JOB), SERIES, Map.of("pod_name", pod));
    }

    private static void create(io.fabric8.kubernetes.api.model.HasMetadata object) {
        client.resource(object).create();
    }
}
