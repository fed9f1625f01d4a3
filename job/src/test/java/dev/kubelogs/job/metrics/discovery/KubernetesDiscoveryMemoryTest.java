package dev.kubelogs.job.metrics.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.config.KubernetesRole;
import dev.kubelogs.job.metrics.config.KubernetesSdConfig;
import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.ScrapeTarget;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * #1358 (57,776 namespaces, over 50 GiB): what discovery holds must follow the kept targets, not the cluster. A mock
 * API server of its own, so that only this test's objects are listed.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesDiscoveryMemoryTest {
    private static final int NAMESPACES = 2_000;
    private static final int ANNOTATED_EVERY = 200;

    static KubernetesClient client;

    /**
     * 2,000 namespaces with a service and its endpoints each, 10 services annotated for scraping: discovery and the
     * informer stores end up holding a few entries per kept target, not the 4,000 objects listed (a plain informer
     * stores all of them, and Prometheus' endpoints role every service and pod besides).
     */
    @Test
    void retainedStateFollowsTheKeptTargetsNotTheObjectsInTheCluster() throws Exception {
        for (int i = 0; i < NAMESPACES; i++) {
            String ns = "mem" + i;
            ServiceBuilder svc = new ServiceBuilder()
                    .withNewMetadata()
                    .withName("app")
                    .withNamespace(ns)
                    .addToLabels("app", "app" + i)
                    .endMetadata();
            if (i % ANNOTATED_EVERY == 0) {
                svc.editMetadata()
                        .addToAnnotations("prometheus.io/scrape", "true")
                        .endMetadata();
            }
            client.services().inNamespace(ns).resource(svc.build()).create();
            client.endpoints()
                    .inNamespace(ns)
                    .resource(new EndpointsBuilder()
                            .withNewMetadata()
                            .withName("app")
                            .withNamespace(ns)
                            .endMetadata()
                            .addNewSubset()
                            .addNewAddress()
                            .withIp("10.0." + (i / 250) + "." + (i % 250))
                            .endAddress()
                            .addNewPort()
                            .withName("metrics")
                            .withPort(9150)
                            .withProtocol("TCP")
                            .endPort()
                            .endSubset()
                            .build())
                    .create();
        }
        int kept = NAMESPACES / ANNOTATED_EVERY;
        RecordingListener listener = new RecordingListener(Duration.ofMinutes(3));
        Function<Labels, ScrapeTarget> keepScraped =
                TestTargets.keepWhere("mem", "__meta_kubernetes_service_annotation_prometheus_io_scrape", "true");
        KubernetesSdConfig all = new KubernetesSdConfig(KubernetesRole.ENDPOINTS, List.of(), false, null, null, null);
        try (InformerHub hub = new InformerHub(client);
                KubernetesDiscovery d = new KubernetesDiscovery("mem", List.of(all), hub, keepScraped, listener)) {
            d.start();
            listener.await("the annotated services' targets", s -> s.size() == kept);
            // the last endpoints handled may still hold their stubs for a moment
            listener.awaitTrue("the informer stores to settle", () -> hub.storedObjects() <= 2 * kept);

            assertThat(d.targets()).hasSize(kept);
            // per kept target: its source, its endpoints object, its service's labels
            assertThat(d.retainedObjects()).isEqualTo(3 * kept);
            // per kept target: the stubs of its endpoints and of its service
            assertThat(hub.storedObjects()).isLessThanOrEqualTo(2 * kept);
            // the price: the service of each endpoints is read when the endpoints are listed (the services, listed
            // and handled first, need no read). The mock server's watch then hands every object over once more as
            // added, which an API server watching from the list's resourceVersion does not: each is read again.
            assertThat(d.lookups()).isBetween((long) NAMESPACES, 3L * NAMESPACES);
            assertThat(d.lookupErrors()).isZero();
        }
    }
}
