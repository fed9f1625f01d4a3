package dev.kubelogs.job.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.kubelogs.job.metrics.config.KubernetesRole;
import dev.kubelogs.job.metrics.config.KubernetesSdConfig;
import dev.kubelogs.job.metrics.config.ScrapeConfig;
import dev.kubelogs.job.metrics.config.StaticConfig;
import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.ScrapeTarget;
import dev.kubelogs.job.metrics.scrape.ScrapeConfigs;
import dev.kubelogs.job.metrics.source.TargetDiscovery;
import dev.kubelogs.job.metrics.source.TargetUpdates;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import org.apache.flink.metrics.testutils.MetricListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The JobManager's discovery for all scrape jobs: static targets and the Kubernetes objects that exist at the start are
 * reported before {@code synced()}, Kubernetes targets come from the API server {@code api_server} names (fabric8's mock API server in CRUD mode), jobs on one API
 * server share its watches, and a configuration the factory cannot serve fails naming what is wrong.
 */
@Timeout(120)
class JobTargetDiscoveryFactoryTest {
    private final Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    private final KubernetesMockServer server = new KubernetesMockServer(
            new Context(), new MockWebServer(), expectations, new KubernetesMixedDispatcher(expectations), false);
    private final KubernetesClient client;
    private final Recorder updates = new Recorder();

    JobTargetDiscoveryFactoryTest() {
        server.init();
        client = server.createClient();
    }

    @AfterEach
    void stopApiServer() {
        client.close();
        try {
            server.destroy();
        } catch (IllegalStateException slowShutdown) {
            // the mock can be slow to end a closed watch's sender; the next test has its own server
        }
    }

    @Test
    void staticTargetsOfEveryJobAreReportedBeforeSynced() {
        List<ScrapeConfig> jobs = List.of(
                job("a", List.of(new StaticConfig(List.of("localhost:9100"), Labels.of("env", "demo"))), List.of()),
                job("b", List.of(new StaticConfig(List.of("localhost:9200", "localhost:9201"), Labels.EMPTY)), null));

        TargetDiscovery discovery = new JobTargetDiscoveryFactory(jobs).start(updates);
        try {
            assertThat(updates.events)
                    .containsExactly(
                            "a static/0 [localhost:9100]", "b static/0 [localhost:9200, localhost:9201]", "synced");
            assertThat(updates.targets.get(0).labels().get("env")).isEqualTo("demo");
            assertThat(updates.targets.get(0).url()).isEqualTo("http://localhost:9100/metrics");
        } finally {
            close(discovery);
        }
    }

    @Test
    void aJobWithoutTargetsStillSyncs() {
        TargetDiscovery discovery =
                new JobTargetDiscoveryFactory(List.of(job("empty", List.of(), List.of()))).start(updates);
        close(discovery);
        assertThat(updates.events).containsExactly("synced");
    }

    @Test
    void podsOnTheNamedApiServerAreReportedAndMetricsAreRegisteredPerJob() throws Exception {
        client.pods().resource(KubernetesObjects.pod("web-1", 9100)).create();
        MetricListener metrics = new MetricListener();

        TargetDiscovery discovery = new JobTargetDiscoveryFactory(
                        List.of(job("pods", null, List.of(pods(apiServer())))))
                .start(updates, metrics.getMetricGroup());
        try {
            // start() returned after the pod watch's first list was handled: the pod came before synced(), so a
            // restored target of that pod is not removed and added back
            assertThat(updates.events).last().isEqualTo("synced");
            assertThat(updates.events).anyMatch(e -> e.startsWith("pods "));
            assertThat(updates.targets)
                    .extracting(ScrapeTarget::jobName, ScrapeTarget::url)
                    .containsExactly(tuple("pods", "http://127.0.0.1:9100/metrics"));
            assertThat(metrics.getGauge("job", "pods", "discoveryTargets"))
                    .hasValueSatisfying(g -> assertThat(g.getValue()).isEqualTo(1));
        } finally {
            close(discovery);
        }
    }

    @Test
    void jobsOnOneApiServerShareItsWatch() throws Exception {
        client.pods().resource(KubernetesObjects.pod("web-1", 9100)).create();
        int before = server.getRequestCount();
        for (int i = 0; i < before; i++) {
            server.takeRequest(1, TimeUnit.SECONDS);
        }
        List<ScrapeConfig> jobs =
                List.of(job("one", null, List.of(pods(apiServer()))), job("two", null, List.of(pods(apiServer()))));

        TargetDiscovery discovery = new JobTargetDiscoveryFactory(jobs).start(updates);
        try {
            Await.until("both jobs' targets", Duration.ofSeconds(30), () -> updates.targets.size() == 2);
            assertThat(updates.targets).extracting(ScrapeTarget::jobName).containsExactlyInAnyOrder("one", "two");
            List<String> podLists = new ArrayList<>();
            RecordedRequest r;
            while ((r = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
                if (r.getPath().contains("/pods") && !r.getPath().contains("watch=true")) {
                    podLists.add(r.getPath());
                }
            }
            assertThat(podLists).as("one list of the pods for both jobs").hasSize(1);
        } finally {
            close(discovery);
        }
    }

    @Test
    void oneJobNamingTwoApiServersIsRefusedWithBoth() {
        List<ScrapeConfig> jobs = List.of(job("mixed", null, List.of(pods("http://127.0.0.1:1"), pods(null))));

        assertThatThrownBy(() -> new JobTargetDiscoveryFactory(jobs).start(updates))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("different api_server")
                .hasMessageContaining("http://127.0.0.1:1")
                .hasMessageContaining("null");
        assertThat(updates.events).isEmpty();
    }

    @Test
    void aFailureAfterStaticTargetsWereReportedDoesNotSync() {
        List<ScrapeConfig> jobs = List.of(
                job("static", List.of(new StaticConfig(List.of("localhost:9100"), Labels.EMPTY)), null),
                job("mixed", null, List.of(pods(apiServer()), pods("http://127.0.0.1:1"))));

        assertThatThrownBy(() -> new JobTargetDiscoveryFactory(jobs).start(updates))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(updates.events).doesNotContain("synced");
    }

    private String apiServer() {
        return client.getMasterUrl().toString();
    }

    private static KubernetesSdConfig pods(String apiServer) {
        return new KubernetesSdConfig(
                KubernetesRole.POD, List.of(KubernetesObjects.NAMESPACE), false, null, null, apiServer);
    }

    private static ScrapeConfig job(String name, List<StaticConfig> statics, List<KubernetesSdConfig> kubernetes) {
        return ScrapeConfigs.job(name)
                .staticConfigs(statics)
                .kubernetesSdConfigs(kubernetes)
                .build();
    }

    private static void close(TargetDiscovery discovery) {
        try {
            discovery.close();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The updates in the order they came: "{job} {source} [addresses]" per change, "synced" at the end. */
    private static final class Recorder implements TargetUpdates {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final List<ScrapeTarget> targets = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void targetsChanged(String jobName, String sourceKey, List<ScrapeTarget> found) {
            events.add(jobName + " " + sourceKey + " "
                    + found.stream().map(t -> t.labels().get("instance")).toList());
            targets.addAll(found);
        }

        @Override
        public void synced() {
            events.add("synced");
        }
    }
}
