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
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's Kubernetes discovery end to end: the agent's default {@code kubernetes-service-endpoints} job (from the
 * shipped prometheus.yaml, only {@code api_server} and the interval changed) against fabric8's mock API server in
 * CRUD mode, whose annotated services' endpoints point at local HTTP targets. The targets are scraped and their
 * events land with the labels the job's relabeling gives; a pod added to a service mid-run is scraped, and a service
 * whose {@code prometheus.io/scrape} annotation is removed stops being scraped.
 */
@EnableKubernetesMockClient(crud = true, https = false)
@Timeout(180)
class KubernetesDiscoveryITCase {
    private static final String JOB = "kubernetes-service-endpoints";
    private static final String CLUSTER = "it-cluster";
    private static final String GROUP = "/aws/containerinsights/" + CLUSTER + "/prometheus";
    private static final String NS = KubernetesObjects.NAMESPACE;
    private static final String SCRAPE = "prometheus.io/scrape";
    private static final String EXPOSITION = "# TYPE app_queue_length gauge\napp_queue_length 7\n";

    static KubernetesClient client;
    static KubernetesMockServer server;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = PipelineRuns.miniCluster(1, new Configuration());

    @TempDir
    Path tmp;

    @Test
    void annotatedServicesEndpointsAreScrapedAndFollowedAsTheyChange() throws Exception {
        try (MetricsEndpoint web0 = MetricsEndpoint.serving(MetricsEndpoint.TEXT, EXPOSITION);
                MetricsEndpoint web1 = MetricsEndpoint.serving(MetricsEndpoint.TEXT, EXPOSITION);
                MetricsEndpoint cache = MetricsEndpoint.serving(MetricsEndpoint.TEXT, EXPOSITION);
                MetricsEndpoint quiet = MetricsEndpoint.serving(MetricsEndpoint.TEXT, EXPOSITION);
                LocalCloudWatchLogs endpoint = LocalCloudWatchLogs.start(0, null);
                LoggedMetrics logged = new LoggedMetrics(endpoint.endpoint())) {
            // web: the endpoint's own port; cache: the service's prometheus.io/port over the endpoint's 11211
            create(service("web", Map.of(SCRAPE, "true")));
            create(pod("web-0", port(web0)));
            create(endpoints("web", subset("web-0", port(web0))));
            create(service("cache", Map.of(SCRAPE, "true", "prometheus.io/port", Integer.toString(port(cache)))));
            create(pod("cache-0", 11211));
            create(endpoints("cache", subset("cache-0", 11211)));
            // not annotated: never scraped
            create(service("quiet", Map.of()));
            create(pod("quiet-0", port(quiet)));
            create(endpoints("quiet", subset("quiet-0", port(quiet))));

            StreamExecutionEnvironment env = PipelineRuns.environment(2, 200);
            MetricsPipelines.create(
                            new Configuration(),
                            setup(),
                            PipelineRuns.sink(endpoint.endpoint(), tmp.resolve("dead-letters")))
                    .build(env);
            JobClient job = env.executeAsync("kubernetes-discovery-it");
            try {
                until(
                        "events of web-0 and cache-0 land",
                        Duration.ofSeconds(60),
                        () -> !events(logged, "web-0").isEmpty()
                                && !events(logged, "cache-0").isEmpty());
                JsonNode web = events(logged, "web-0").get(0);
                assertThat(web.get("Service").asText()).isEqualTo("web");
                assertThat(web.get("Namespace").asText()).isEqualTo(NS);
                assertThat(web.get("kubernetes_node").asText()).isEqualTo("node-1");
                assertThat(web.get("container_name").asText()).isEqualTo("app");
                assertThat(web.get("app").asText()).isEqualTo("web"); // the service's label, by labelmap
                assertThat(web.get("instance").asText()).isEqualTo(web0.address());
                assertThat(web.get("app_queue_length").asDouble()).isEqualTo(7);
                assertThat(events(logged, "cache-0").get(0).get("instance").asText())
                        .isEqualTo(cache.address());

                // the deployment scales up: a second pod, on its own port, joins the service's endpoints
                create(pod("web-1", port(web1)));
                client.endpoints()
                        .inNamespace(NS)
                        .withName("web")
                        .edit(e -> new EndpointsBuilder(e)
                                .addToSubsets(subset("web-1", port(web1)))
                                .build());
                until(
                        "events of web-1 land",
                        Duration.ofSeconds(30),
                        () -> !events(logged, "web-1").isEmpty());
                assertThat(events(logged, "web-1").get(0).get("instance").asText())
                        .isEqualTo(web1.address());

                // the cache service is no longer annotated: after at most a scrape in flight, it is left alone
                client.services()
                        .inNamespace(NS)
                        .withName("cache")
                        .edit(s -> new ServiceBuilder(s)
                                .editMetadata()
                                .removeFromAnnotations(SCRAPE)
                                .endMetadata()
                                .build());
                until("cache is no longer scraped", Duration.ofSeconds(30), () -> {
                    int before = cache.requests().size();
                    web0.awaitRequests(web0.requests().size() + 3, Duration.ofSeconds(10));
                    return cache.requests().size() == before;
                });
                int cacheScrapes = cache.requests().size();
                web0.awaitRequests(web0.requests().size() + 5, Duration.ofSeconds(10));
                assertThat(cache.requests()).hasSize(cacheScrapes);
                assertThat(quiet.requests()).isEmpty();
            } finally {
                job.cancel().get();
            }
        }
    }

    @Test
    void theEndpointSliceRoleFindsTheSameTargetsThroughEndpointSlices() throws Exception {
        try (MetricsEndpoint api = MetricsEndpoint.serving(MetricsEndpoint.TEXT, EXPOSITION);
                LocalCloudWatchLogs endpoint = LocalCloudWatchLogs.start(0, null);
                LoggedMetrics logged = new LoggedMetrics(endpoint.endpoint())) {
            create(service("api", Map.of(SCRAPE, "true")));
            create(pod("api-0", port(api)));
            create(new io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder()
                    .withNewMetadata()
                    .withName("api-abcde")
                    .withNamespace(NS)
                    .addToLabels("kubernetes.io/service-name", "api")
                    .endMetadata()
                    .withAddressType("IPv4")
                    .addNewEndpoint()
                    .withAddresses("127.0.0.1")
                    .withNodeName("node-1")
                    .withNewConditions()
                    .withReady(true)
                    .endConditions()
                    .withNewTargetRef()
                    .withKind("Pod")
                    .withName("api-0")
                    .withNamespace(NS)
                    .endTargetRef()
                    .endEndpoint()
                    .addNewPort()
                    .withName("metrics")
                    .withPort(port(api))
                    .withProtocol("TCP")
                    .endPort()
                    .build());

            StreamExecutionEnvironment env = PipelineRuns.environment(2, 200);
            MetricsPipelines.create(
                            new Configuration(),
                            setup("endpointslice"),
                            PipelineRuns.sink(endpoint.endpoint(), tmp.resolve("dead-letters")))
                    .build(env);
            JobClient job = env.executeAsync("kubernetes-endpointslice-it");
            try {
                until(
                        "events of api-0 land",
                        Duration.ofSeconds(60),
                        () -> !events(logged, "api-0").isEmpty());
                JsonNode api0 = events(logged, "api-0").get(0);
                assertThat(api0.get("Service").asText()).isEqualTo("api");
                assertThat(api0.get("Namespace").asText()).isEqualTo(NS);
                assertThat(api0.get("instance").asText()).isEqualTo(api.address());
                assertThat(api0.get("app_queue_length").asDouble()).isEqualTo(7);
            } finally {
                job.cancel().get();
            }
        }
    }

    private static MetricsSetup setup() {
        return setup("endpoints");
    }

    /**
     * The shipped default's kubernetes-service-endpoints job, pointed at the mock API server, scraping often, with
     * discovery by {@code role}.
     */
    private static MetricsSetup setup(String role) {
        return DefaultScrapeJobs.overApiServer(
                JOB, role, client.getMasterUrl().toString(), Duration.ofMillis(300), CLUSTER);
    }

    private static List<JsonNode> events(LoggedMetrics logged, String pod) {
        return LoggedMetrics.withField(logged.json(GROUP, JOB), "app_queue_length", Map.of("pod_name", pod));
    }

    private static void create(io.fabric8.kubernetes.api.model.HasMetadata object) {
        client.resource(object).create();
    }
}
