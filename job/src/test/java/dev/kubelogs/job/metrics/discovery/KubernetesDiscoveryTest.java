package dev.kubelogs.job.metrics.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.config.KubernetesRole;
import dev.kubelogs.job.metrics.config.KubernetesSdConfig;
import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.ScrapeTarget;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Discovery against fabric8's mock API server in CRUD mode. The expected label sets are those of Prometheus' own
 * tests (discovery/kubernetes/*_test.go) for the same objects, less the empty values Prometheus' label builder drops.
 * A server per test: when a watch closes, the mock server's event loop can wait up to a minute for its event sender
 * (WatchEventsListener.onClosed), and a shared server's next test would wait with it (a create timed out, was sent
 * again and refused as existing).
 */
class KubernetesDiscoveryTest {
    private final CrudApiServer api = new CrudApiServer();
    private final KubernetesClient client = api.client;
    private final KubernetesMockServer server = api.server;

    @AfterEach
    void stopApiServer() {
        api.close();
    }

    private static KubernetesSdConfig sd(KubernetesRole role, String namespace) {
        return new KubernetesSdConfig(role, List.of(namespace), false, null, null, null);
    }

    /**
     * Starts a discovery and waits until it watches: the mock server keeps no event history, so a change made
     * between the list and the watch would be lost (an API server sends it to a watch from the list's version).
     */
    private KubernetesDiscovery start(
            String job, KubernetesSdConfig config, Function<Labels, ScrapeTarget> builder, RecordingListener listener)
            throws InterruptedException {
        KubernetesDiscovery d = new KubernetesDiscovery(job, List.of(config), client, builder, listener);
        d.start();
        listener.awaitTrue("the watches to start", d::watching);
        return d;
    }

    private static Map<String, String> labelsOf(ScrapeTarget t) {
        return t.labels().toMap();
    }

    private static List<Map<String, String>> labelSets(List<ScrapeTarget> targets) {
        return targets.stream().map(KubernetesDiscoveryTest::labelsOf).collect(Collectors.toList());
    }

    // Prometheus pod_test.go makeMultiPortPods, plus an init container
    private static Pod multiPortPod(String ns) {
        return new PodBuilder()
                .withNewMetadata()
                .withName("testpod")
                .withNamespace(ns)
                .withUid("abc123")
                .addToLabels("test/label", "testvalue")
                .addToAnnotations("test/annotation", "testannotationvalue")
                .addNewOwnerReference()
                .withKind("testcontrollerkind")
                .withName("testcontrollername")
                .withController(true)
                .withApiVersion("v1")
                .withUid("u1")
                .endOwnerReference()
                .endMetadata()
                .withNewSpec()
                .withNodeName("testnode")
                .addNewContainer()
                .withName("testcontainer0")
                .withImage("testcontainer0:latest")
                .addNewPort()
                .withName("testport0")
                .withProtocol("TCP")
                .withContainerPort(9000)
                .endPort()
                .addNewPort()
                .withName("testport1")
                .withProtocol("UDP")
                .withContainerPort(9001)
                .endPort()
                .endContainer()
                .addNewContainer()
                .withName("testcontainer1")
                .withImage("testcontainer1:latest")
                .endContainer()
                .addNewInitContainer()
                .withName("initcontainer")
                .withImage("initcontainer:latest")
                .endInitContainer()
                .endSpec()
                .withNewStatus()
                .withPodIP("1.2.3.4")
                .withHostIP("2.3.4.5")
                .withPhase("Running")
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .addNewContainerStatus()
                .withName("testcontainer0")
                .withContainerID("docker://a1b2c3d4e5f6")
                .endContainerStatus()
                .addNewContainerStatus()
                .withName("testcontainer1")
                .withContainerID("containerd://6f5e4d3c2b1a")
                .endContainerStatus()
                .endStatus()
                .build();
    }

    private static Map<String, String> podGroup(String ns, String uid) {
        return Map.ofEntries(
                Map.entry("__meta_kubernetes_namespace", ns),
                Map.entry("__meta_kubernetes_pod_name", "testpod"),
                Map.entry("__meta_kubernetes_pod_label_test_label", "testvalue"),
                Map.entry("__meta_kubernetes_pod_labelpresent_test_label", "true"),
                Map.entry("__meta_kubernetes_pod_annotation_test_annotation", "testannotationvalue"),
                Map.entry("__meta_kubernetes_pod_annotationpresent_test_annotation", "true"),
                Map.entry("__meta_kubernetes_pod_node_name", "testnode"),
                Map.entry("__meta_kubernetes_pod_ip", "1.2.3.4"),
                Map.entry("__meta_kubernetes_pod_host_ip", "2.3.4.5"),
                Map.entry("__meta_kubernetes_pod_ready", "true"),
                Map.entry("__meta_kubernetes_pod_phase", "Running"),
                Map.entry("__meta_kubernetes_pod_uid", uid),
                Map.entry("__meta_kubernetes_pod_controller_kind", "testcontrollerkind"),
                Map.entry("__meta_kubernetes_pod_controller_name", "testcontrollername"));
    }

    private static Map<String, String> with(Map<String, String> group, String... namesAndValues) {
        Map<String, String> labels = new java.util.HashMap<>(group);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            labels.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return labels;
    }

    @Test
    void podRoleMakesOneTargetPerContainerPortAndOnePerContainerWithoutPorts() throws Exception {
        // the mock server gives objects uids of its own
        String uid = client.pods()
                .inNamespace("podns")
                .resource(multiPortPod("podns"))
                .create()
                .getMetadata()
                .getUid();
        RecordingListener listener = new RecordingListener();
        try (KubernetesDiscovery d =
                start("pods", sd(KubernetesRole.POD, "podns"), TestTargets.keepAll("pods"), listener)) {
            listener.await(
                    "the pod's 4 targets",
                    s -> s.getOrDefault("pods pod/podns/testpod", List.of()).size() == 4);
            Map<String, String> group = podGroup("podns", uid);
            assertThat(labelSets(listener.source("pods pod/podns/testpod")))
                    .containsExactly(
                            with(
                                    group,
                                    "__address__",
                                    "1.2.3.4:9000",
                                    "__meta_kubernetes_pod_container_name",
                                    "testcontainer0",
                                    "__meta_kubernetes_pod_container_id",
                                    "docker://a1b2c3d4e5f6",
                                    "__meta_kubernetes_pod_container_image",
                                    "testcontainer0:latest",
                                    "__meta_kubernetes_pod_container_port_name",
                                    "testport0",
                                    "__meta_kubernetes_pod_container_port_number",
                                    "9000",
                                    "__meta_kubernetes_pod_container_port_protocol",
                                    "TCP",
                                    "__meta_kubernetes_pod_container_init",
                                    "false"),
                            with(
                                    group,
                                    "__address__",
                                    "1.2.3.4:9001",
                                    "__meta_kubernetes_pod_container_name",
                                    "testcontainer0",
                                    "__meta_kubernetes_pod_container_id",
                                    "docker://a1b2c3d4e5f6",
                                    "__meta_kubernetes_pod_container_image",
                                    "testcontainer0:latest",
                                    "__meta_kubernetes_pod_container_port_name",
                                    "testport1",
                                    "__meta_kubernetes_pod_container_port_number",
                                    "9001",
                                    "__meta_kubernetes_pod_container_port_protocol",
                                    "UDP",
                                    "__meta_kubernetes_pod_container_init",
                                    "false"),
                            with(
                                    group,
                                    "__address__",
                                    "1.2.3.4",
                                    "__meta_kubernetes_pod_container_name",
                                    "testcontainer1",
                                    "__meta_kubernetes_pod_container_id",
                                    "containerd://6f5e4d3c2b1a",
                                    "__meta_kubernetes_pod_container_image",
                                    "testcontainer1:latest",
                                    "__meta_kubernetes_pod_container_init",
                                    "false"),
                            with(
                                    group,
                                    "__address__",
                                    "1.2.3.4",
                                    "__meta_kubernetes_pod_container_name",
                                    "initcontainer",
                                    "__meta_kubernetes_pod_container_image",
                                    "initcontainer:latest",
                                    "__meta_kubernetes_pod_container_init",
                                    "true"));
        }
    }

    @Test
    void podLabelChangeUpdatesTheTargetsAndDeletionRemovesThem() throws Exception {
        Pod pod = multiPortPod("podupd");
        client.pods().inNamespace("podupd").resource(pod).create();
        RecordingListener listener = new RecordingListener();
        String source = "job pod/podupd/testpod";
        Function<Labels, ScrapeTarget> keepEnvoy =
                TestTargets.keepWhere("job", "__meta_kubernetes_pod_label_app", "envoy");
        try (KubernetesDiscovery d = start("job", sd(KubernetesRole.POD, "podupd"), keepEnvoy, listener)) {
            client.pods()
                    .inNamespace("podupd")
                    .withName("testpod")
                    .edit(p -> new PodBuilder(p)
                            .editMetadata()
                            .addToLabels("app", "envoy")
                            .endMetadata()
                            .build());
            listener.await("targets once the pod is labelled app=envoy", s -> s.containsKey(source));
            assertThat(listener.source(source))
                    .hasSize(4)
                    .allSatisfy(t -> assertThat(t.labels().get("__meta_kubernetes_pod_label_app"))
                            .isEqualTo("envoy"));

            client.pods()
                    .inNamespace("podupd")
                    .withName("testpod")
                    .edit(p -> new PodBuilder(p)
                            .editMetadata()
                            .addToLabels("app", "other")
                            .endMetadata()
                            .build());
            listener.await("no targets once the label changed", s -> !s.containsKey(source));

            client.pods()
                    .inNamespace("podupd")
                    .withName("testpod")
                    .edit(p -> new PodBuilder(p)
                            .editMetadata()
                            .addToLabels("app", "envoy")
                            .endMetadata()
                            .build());
            listener.await("targets again", s -> s.containsKey(source));
            client.pods().inNamespace("podupd").withName("testpod").delete();
            listener.await("no targets once the pod is deleted", s -> !s.containsKey(source));
            assertThat(d.retainedObjects()).isZero();
        }
    }

    // Prometheus service_test.go makeMultiPortService
    @Test
    void serviceRoleMakesOneTargetPerPortAndAnnotationRemovalDropsThem() throws Exception {
        Service svc = new ServiceBuilder()
                .withNewMetadata()
                .withName("testservice")
                .withNamespace("svcns")
                .addToLabels("test-label", "testvalue")
                .addToAnnotations("test-annotation", "testannotationvalue")
                .endMetadata()
                .withNewSpec()
                .withType("ClusterIP")
                .withClusterIP("10.0.0.1")
                .addNewPort()
                .withName("testport0")
                .withProtocol("TCP")
                .withPort(30900)
                .endPort()
                .addNewPort()
                .withName("testport1")
                .withProtocol("UDP")
                .withPort(30901)
                .endPort()
                .endSpec()
                .build();
        client.services().inNamespace("svcns").resource(svc).create();
        RecordingListener listener = new RecordingListener();
        String source = "svc svc/svcns/testservice";
        Function<Labels, ScrapeTarget> keepAnnotated =
                TestTargets.keepWhere("svc", "__meta_kubernetes_service_annotationpresent_test_annotation", "true");
        try (KubernetesDiscovery d = start("svc", sd(KubernetesRole.SERVICE, "svcns"), keepAnnotated, listener)) {
            listener.await(
                    "the service's 2 targets",
                    s -> s.getOrDefault(source, List.of()).size() == 2);
            Map<String, String> group = Map.of(
                    "__meta_kubernetes_namespace", "svcns",
                    "__meta_kubernetes_service_name", "testservice",
                    "__meta_kubernetes_service_label_test_label", "testvalue",
                    "__meta_kubernetes_service_labelpresent_test_label", "true",
                    "__meta_kubernetes_service_annotation_test_annotation", "testannotationvalue",
                    "__meta_kubernetes_service_annotationpresent_test_annotation", "true",
                    "__meta_kubernetes_service_type", "ClusterIP",
                    "__meta_kubernetes_service_cluster_ip", "10.0.0.1");
            assertThat(labelSets(listener.source(source)))
                    .containsExactly(
                            with(
                                    group,
                                    "__address__",
                                    "testservice.svcns.svc:30900",
                                    "__meta_kubernetes_service_port_name",
                                    "testport0",
                                    "__meta_kubernetes_service_port_number",
                                    "30900",
                                    "__meta_kubernetes_service_port_protocol",
                                    "TCP"),
                            with(
                                    group,
                                    "__address__",
                                    "testservice.svcns.svc:30901",
                                    "__meta_kubernetes_service_port_name",
                                    "testport1",
                                    "__meta_kubernetes_service_port_number",
                                    "30901",
                                    "__meta_kubernetes_service_port_protocol",
                                    "UDP"));

            client.services()
                    .inNamespace("svcns")
                    .withName("testservice")
                    .edit(s -> new ServiceBuilder(s)
                            .editMetadata()
                            .removeFromAnnotations("test-annotation")
                            .endMetadata()
                            .build());
            listener.await("no targets once the annotation is gone", s -> !s.containsKey(source));
        }
    }

    private static Endpoints endpointsForPod(String ns, String name, String ip, int port) {
        return new EndpointsBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .endMetadata()
                .addNewSubset()
                .addToAddresses(new EndpointAddressBuilder()
                        .withIp(ip)
                        .withNewTargetRef()
                        .withKind("Pod")
                        .withName("testpod")
                        .withNamespace(ns)
                        .endTargetRef()
                        .build())
                .addNewPort()
                .withName("testport")
                .withPort(port)
                .withProtocol("TCP")
                .endPort()
                .endSubset()
                .build();
    }

    // Prometheus endpoints_test.go TestEndpointsDiscoveryAdd, with a service (TestEndpointsDiscoveryWithService)
    @Test
    void endpointsRoleCarriesPodAndServiceLabelsAndFollowsServiceAndAddressChanges() throws Exception {
        String ns = "epns";
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName("testpod")
                .withNamespace(ns)
                .withUid("deadbeef")
                .endMetadata()
                .withNewSpec()
                .withNodeName("testnode")
                .addNewContainer()
                .withName("c1")
                .withImage("c1:latest")
                .addNewPort()
                .withName("mainport")
                .withContainerPort(9000)
                .withProtocol("TCP")
                .endPort()
                .endContainer()
                .addNewContainer()
                .withName("c2")
                .withImage("c2:latest")
                .addNewPort()
                .withName("sideport")
                .withContainerPort(9001)
                .withProtocol("TCP")
                .endPort()
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withHostIP("2.3.4.5")
                .withPodIP("1.2.3.4")
                .endStatus()
                .build();
        String uid = client.pods()
                .inNamespace(ns)
                .resource(pod)
                .create()
                .getMetadata()
                .getUid();
        client.services()
                .inNamespace(ns)
                .resource(new ServiceBuilder()
                        .withNewMetadata()
                        .withName("testendpoints")
                        .withNamespace(ns)
                        .addToLabels("app/name", "test")
                        .addToAnnotations("prometheus.io/scrape", "true")
                        .endMetadata()
                        .build())
                .create();
        client.endpoints()
                .inNamespace(ns)
                .resource(endpointsForPod(ns, "testendpoints", "4.3.2.1", 9000))
                .create();

        RecordingListener listener = new RecordingListener();
        String source = "ep endpoints/epns/testendpoints";
        Function<Labels, ScrapeTarget> keepScraped =
                TestTargets.keepWhere("ep", "__meta_kubernetes_service_annotation_prometheus_io_scrape", "true");
        try (KubernetesDiscovery d = start("ep", sd(KubernetesRole.ENDPOINTS, ns), keepScraped, listener)) {
            listener.await(
                    "the endpoints' 2 targets",
                    s -> s.getOrDefault(source, List.of()).size() == 2);
            Map<String, String> group = Map.of(
                    "__meta_kubernetes_namespace", ns,
                    "__meta_kubernetes_endpoints_name", "testendpoints",
                    "__meta_kubernetes_service_name", "testendpoints",
                    "__meta_kubernetes_service_label_app_name", "test",
                    "__meta_kubernetes_service_labelpresent_app_name", "true",
                    "__meta_kubernetes_service_annotation_prometheus_io_scrape", "true",
                    "__meta_kubernetes_service_annotationpresent_prometheus_io_scrape", "true");
            Map<String, String> podLabels = with(
                    group,
                    "__meta_kubernetes_pod_name",
                    "testpod",
                    "__meta_kubernetes_pod_ip",
                    "1.2.3.4",
                    "__meta_kubernetes_pod_ready",
                    "unknown",
                    "__meta_kubernetes_pod_node_name",
                    "testnode",
                    "__meta_kubernetes_pod_host_ip",
                    "2.3.4.5",
                    "__meta_kubernetes_pod_uid",
                    uid);
            assertThat(labelSets(listener.source(source)))
                    .containsExactly(
                            with(
                                    podLabels,
                                    "__address__",
                                    "4.3.2.1:9000",
                                    "__meta_kubernetes_endpoint_port_name",
                                    "testport",
                                    "__meta_kubernetes_endpoint_port_protocol",
                                    "TCP",
                                    "__meta_kubernetes_endpoint_ready",
                                    "true",
                                    "__meta_kubernetes_endpoint_address_target_kind",
                                    "Pod",
                                    "__meta_kubernetes_endpoint_address_target_name",
                                    "testpod",
                                    "__meta_kubernetes_pod_container_name",
                                    "c1",
                                    "__meta_kubernetes_pod_container_image",
                                    "c1:latest",
                                    "__meta_kubernetes_pod_container_port_name",
                                    "mainport",
                                    "__meta_kubernetes_pod_container_port_number",
                                    "9000",
                                    "__meta_kubernetes_pod_container_port_protocol",
                                    "TCP",
                                    "__meta_kubernetes_pod_container_init",
                                    "false"),
                            with(
                                    podLabels,
                                    "__address__",
                                    "1.2.3.4:9001",
                                    "__meta_kubernetes_pod_container_name",
                                    "c2",
                                    "__meta_kubernetes_pod_container_image",
                                    "c2:latest",
                                    "__meta_kubernetes_pod_container_port_name",
                                    "sideport",
                                    "__meta_kubernetes_pod_container_port_number",
                                    "9001",
                                    "__meta_kubernetes_pod_container_port_protocol",
                                    "TCP",
                                    "__meta_kubernetes_pod_container_init",
                                    "false"));

            // a kept endpoints' pod changes: its targets follow
            client.pods()
                    .inNamespace(ns)
                    .withName("testpod")
                    .edit(p -> new PodBuilder(p)
                            .editStatus()
                            .withPhase("Running")
                            .endStatus()
                            .build());
            listener.await(
                    "the pod phase on the targets",
                    s -> s.getOrDefault(source, List.of()).stream()
                            .allMatch(t -> "Running".equals(t.labels().get("__meta_kubernetes_pod_phase"))));

            // the address goes: only the pod's port the endpoint did not cover is left... and with no address the
            // pod is not referenced any more, so nothing is left
            client.endpoints()
                    .inNamespace(ns)
                    .withName("testendpoints")
                    .edit(e -> new EndpointsBuilder(e).withSubsets(List.of()).build());
            listener.await("no targets once the address is removed", s -> !s.containsKey(source));
            assertThat(d.retainedObjects()).isZero();

            // the address comes back; then the service loses its annotation
            client.endpoints()
                    .inNamespace(ns)
                    .withName("testendpoints")
                    .edit(e -> endpointsForPod(ns, "testendpoints", "4.3.2.1", 9000));
            listener.await(
                    "targets again", s -> s.getOrDefault(source, List.of()).size() == 2);
            client.services()
                    .inNamespace(ns)
                    .withName("testendpoints")
                    .edit(s -> new ServiceBuilder(s)
                            .editMetadata()
                            .removeFromAnnotations("prometheus.io/scrape")
                            .endMetadata()
                            .build());
            listener.await("no targets once the service annotation is removed", s -> !s.containsKey(source));

            // and gets it back: the service change alone makes the dropped endpoints kept again
            client.services()
                    .inNamespace(ns)
                    .withName("testendpoints")
                    .edit(s -> new ServiceBuilder(s)
                            .editMetadata()
                            .addToAnnotations("prometheus.io/scrape", "true")
                            .endMetadata()
                            .build());
            listener.await(
                    "targets once the annotation is back",
                    s -> s.getOrDefault(source, List.of()).size() == 2);

            client.endpoints().inNamespace(ns).withName("testendpoints").delete();
            listener.await("no targets once the endpoints are deleted", s -> !s.containsKey(source));
        }
    }

    @Test
    void endpointSliceRoleLabelsTheSliceItsServiceAndConditions() throws Exception {
        String ns = "slicens";
        client.services()
                .inNamespace(ns)
                .resource(new ServiceBuilder()
                        .withNewMetadata()
                        .withName("testendpoints")
                        .withNamespace(ns)
                        .addToLabels("app/name", "test")
                        .endMetadata()
                        .build())
                .create();
        EndpointSlice slice = new EndpointSliceBuilder()
                .withNewMetadata()
                .withName("testendpoints-abc")
                .withNamespace(ns)
                .addToLabels("kubernetes.io/service-name", "testendpoints")
                .endMetadata()
                .withAddressType("IPv4")
                .addNewPort()
                .withName("testport")
                .withPort(9000)
                .withProtocol("TCP")
                .withAppProtocol("http")
                .endPort()
                .addNewEndpoint()
                .withAddresses("1.2.3.4")
                .withHostname("testendpoint1")
                .withNodeName("foobar")
                .withNewConditions()
                .withReady(true)
                .withServing(true)
                .withTerminating(false)
                .endConditions()
                .withZone("us-east-1a")
                .endEndpoint()
                .build();
        client.resources(EndpointSlice.class).inNamespace(ns).resource(slice).create();
        RecordingListener listener = new RecordingListener();
        String source = "eps endpointslice/slicens/testendpoints-abc";
        try (KubernetesDiscovery d =
                start("eps", sd(KubernetesRole.ENDPOINTSLICE, ns), TestTargets.keepAll("eps"), listener)) {
            listener.await("the slice's target", s -> s.containsKey(source));
            assertThat(labelSets(listener.source(source)))
                    .containsExactly(Map.ofEntries(
                            Map.entry("__address__", "1.2.3.4:9000"),
                            Map.entry("__meta_kubernetes_namespace", ns),
                            Map.entry("__meta_kubernetes_endpointslice_name", "testendpoints-abc"),
                            Map.entry(
                                    "__meta_kubernetes_endpointslice_label_kubernetes_io_service_name",
                                    "testendpoints"),
                            Map.entry(
                                    "__meta_kubernetes_endpointslice_labelpresent_kubernetes_io_service_name", "true"),
                            Map.entry("__meta_kubernetes_endpointslice_address_type", "IPv4"),
                            Map.entry("__meta_kubernetes_endpointslice_port", "9000"),
                            Map.entry("__meta_kubernetes_endpointslice_port_name", "testport"),
                            Map.entry("__meta_kubernetes_endpointslice_port_protocol", "TCP"),
                            Map.entry("__meta_kubernetes_endpointslice_port_app_protocol", "http"),
                            Map.entry("__meta_kubernetes_endpointslice_endpoint_conditions_ready", "true"),
                            Map.entry("__meta_kubernetes_endpointslice_endpoint_conditions_serving", "true"),
                            Map.entry("__meta_kubernetes_endpointslice_endpoint_conditions_terminating", "false"),
                            Map.entry("__meta_kubernetes_endpointslice_endpoint_hostname", "testendpoint1"),
                            Map.entry("__meta_kubernetes_endpointslice_endpoint_node_name", "foobar"),
                            Map.entry("__meta_kubernetes_endpointslice_endpoint_zone", "us-east-1a"),
                            Map.entry("__meta_kubernetes_service_name", "testendpoints"),
                            Map.entry("__meta_kubernetes_service_label_app_name", "test"),
                            Map.entry("__meta_kubernetes_service_labelpresent_app_name", "true")));
        }
    }

    // Prometheus ingress_test.go TestIngressDiscoveryAdd (networking.k8s.io/v1)
    @Test
    void ingressRoleMakesOneTargetPerRuleAndPathAndFollowsDeletion() throws Exception {
        Ingress ingress = new IngressBuilder()
                .withNewMetadata()
                .withName("testingress")
                .withNamespace("ingns")
                .endMetadata()
                .withNewSpec()
                .addNewTl()
                .withHosts("example.com")
                .endTl()
                .addNewRule()
                .withHost("example.com")
                .withNewHttp()
                .addNewPath()
                .withPath("/foo")
                .endPath()
                .endHttp()
                .endRule()
                .endSpec()
                .build();
        client.network().v1().ingresses().inNamespace("ingns").resource(ingress).create();
        RecordingListener listener = new RecordingListener();
        String source = "ing ingress/ingns/testingress";
        try (KubernetesDiscovery d =
                start("ing", sd(KubernetesRole.INGRESS, "ingns"), TestTargets.keepAll("ing"), listener)) {
            listener.await("the ingress's target", s -> s.containsKey(source));
            assertThat(labelSets(listener.source(source)))
                    .containsExactly(Map.of(
                            "__address__", "example.com",
                            "__meta_kubernetes_namespace", "ingns",
                            "__meta_kubernetes_ingress_name", "testingress",
                            "__meta_kubernetes_ingress_scheme", "https",
                            "__meta_kubernetes_ingress_host", "example.com",
                            "__meta_kubernetes_ingress_path", "/foo"));
            client.network()
                    .v1()
                    .ingresses()
                    .inNamespace("ingns")
                    .withName("testingress")
                    .delete();
            listener.await("no target once the ingress is gone", s -> !s.containsKey(source));
        }
    }

    // Prometheus node_test.go makeNode("test", "1.2.3.4", ...) with kubelet port 10250
    @Test
    void nodeRoleAddressesTheKubeletOfTheInternalIp() throws Exception {
        Node node = new NodeBuilder()
                .withNewMetadata()
                .withName("test")
                .addToLabels("test-label", "testvalue")
                .addToAnnotations("test-annotation", "testannotationvalue")
                .endMetadata()
                .withNewSpec()
                .withProviderID("aws:///de-west-3a/i-abc")
                .endSpec()
                .withNewStatus()
                .addNewAddress()
                .withType("InternalIP")
                .withAddress("1.2.3.4")
                .endAddress()
                .addNewAddress()
                .withType("Hostname")
                .withAddress("ip-1-2-3-4")
                .endAddress()
                .withNewDaemonEndpoints()
                .withNewKubeletEndpoint()
                .withPort(10250)
                .endKubeletEndpoint()
                .endDaemonEndpoints()
                .endStatus()
                .build();
        client.nodes().resource(node).create();
        RecordingListener listener = new RecordingListener();
        KubernetesSdConfig nodes = new KubernetesSdConfig(KubernetesRole.NODE, List.of(), false, null, null, null);
        try (KubernetesDiscovery d = start("nodes", nodes, TestTargets.keepAll("nodes"), listener)) {
            listener.await("the node's target", s -> s.containsKey("nodes node/test"));
            assertThat(labelSets(listener.source("nodes node/test")))
                    .containsExactly(Map.ofEntries(
                            Map.entry("__address__", "1.2.3.4:10250"),
                            Map.entry("instance", "test"),
                            Map.entry("__meta_kubernetes_node_name", "test"),
                            Map.entry("__meta_kubernetes_node_provider_id", "aws:///de-west-3a/i-abc"),
                            Map.entry("__meta_kubernetes_node_label_test_label", "testvalue"),
                            Map.entry("__meta_kubernetes_node_labelpresent_test_label", "true"),
                            Map.entry("__meta_kubernetes_node_annotation_test_annotation", "testannotationvalue"),
                            Map.entry("__meta_kubernetes_node_annotationpresent_test_annotation", "true"),
                            Map.entry("__meta_kubernetes_node_address_InternalIP", "1.2.3.4"),
                            Map.entry("__meta_kubernetes_node_address_Hostname", "ip-1-2-3-4")));
            client.nodes().withName("test").delete();
            listener.await("no target once the node is gone", s -> !s.containsKey("nodes node/test"));
        }
    }

    @Test
    void namespacesAndLabelSelectorsRestrictWhatIsWatched() throws Exception {
        for (String ns : List.of("nsa", "nsb", "nsc")) {
            Pod pod = multiPortPod(ns);
            pod.getMetadata().getLabels().put("tier", ns.equals("nsb") ? "backend" : "frontend");
            client.pods().inNamespace(ns).resource(pod).create();
        }
        RecordingListener listener = new RecordingListener();
        KubernetesSdConfig config =
                new KubernetesSdConfig(KubernetesRole.POD, List.of("nsa", "nsb"), false, "tier=frontend", null, null);
        try (KubernetesDiscovery d = start("sel", config, TestTargets.keepAll("sel"), listener)) {
            listener.await("nsa's pod", s -> s.containsKey("sel pod/nsa/testpod"));
            client.pods()
                    .inNamespace("nsb")
                    .withName("testpod")
                    .edit(p -> new PodBuilder(p)
                            .editMetadata()
                            .addToLabels("tier", "frontend")
                            .endMetadata()
                            .build());
            listener.await("nsb's pod once it is frontend", s -> s.containsKey("sel pod/nsb/testpod"));
            assertThat(listener.snapshot().keySet())
                    .containsExactlyInAnyOrder("sel pod/nsa/testpod", "sel pod/nsb/testpod");
        }
    }

    @Test
    void jobsOnOneHubShareOneWatchPerKind() throws Exception {
        client.pods().inNamespace("shared").resource(multiPortPod("shared")).create();
        RecordingListener listener = new RecordingListener();
        try (InformerHub hub = new InformerHub(client);
                KubernetesDiscovery envoy = new KubernetesDiscovery(
                        "envoy",
                        List.of(sd(KubernetesRole.POD, "shared")),
                        hub,
                        TestTargets.keepWhere("envoy", "__meta_kubernetes_pod_container_name", "testcontainer0"),
                        listener);
                KubernetesDiscovery jmx = new KubernetesDiscovery(
                        "jmx",
                        List.of(sd(KubernetesRole.POD, "shared")),
                        hub,
                        TestTargets.keepWhere("jmx", "__meta_kubernetes_pod_container_port_number", "9001"),
                        listener)) {
            envoy.start();
            jmx.start();
            listener.await(
                    "both jobs' targets",
                    s -> s.getOrDefault("envoy pod/shared/testpod", List.of()).size() == 2
                            && s.getOrDefault("jmx pod/shared/testpod", List.of())
                                            .size()
                                    == 1);
            assertThat(hub.watches()).isEqualTo(1);
        }
    }

    @Test
    void anInvalidTargetIsCountedAndTheOthersStay() throws Exception {
        client.pods().inNamespace("invalid").resource(multiPortPod("invalid")).create();
        RecordingListener listener = new RecordingListener();
        Function<Labels, ScrapeTarget> all = TestTargets.keepAll("inv");
        Function<Labels, ScrapeTarget> rejectUdp = labels -> {
            if ("UDP".equals(labels.get("__meta_kubernetes_pod_container_port_protocol"))) {
                throw new IllegalArgumentException("bad address");
            }
            return all.apply(labels);
        };
        try (KubernetesDiscovery d = start("inv", sd(KubernetesRole.POD, "invalid"), rejectUdp, listener)) {
            listener.await(
                    "the valid targets",
                    s -> s.getOrDefault("inv pod/invalid/testpod", List.of()).size() == 3);
            assertThat(d.invalidTargets()).isEqualTo(1);
        }
    }

    @Test
    void aFailedReadKeepsTheLastTargetsAndIsRetriedOnceReadsWorkAgain() throws Exception {
        String ns = "retryns";
        client.services()
                .inNamespace(ns)
                .resource(new ServiceBuilder()
                        .withNewMetadata()
                        .withName("app")
                        .withNamespace(ns)
                        .addToAnnotations("prometheus.io/scrape", "true")
                        .endMetadata()
                        .build())
                .create();
        // the first read of the service is refused, as without RBAC rights
        server.expect()
                .get()
                .withPath("/api/v1/namespaces/retryns/services/app")
                .andReturn(403, "{\"kind\":\"Status\",\"code\":403,\"reason\":\"Forbidden\"}")
                .once();
        RecordingListener listener = new RecordingListener();
        String source = "retry endpoints/retryns/app";
        Function<Labels, ScrapeTarget> keepScraped =
                TestTargets.keepWhere("retry", "__meta_kubernetes_service_annotation_prometheus_io_scrape", "true");
        try (KubernetesDiscovery d = start("retry", sd(KubernetesRole.ENDPOINTS, ns), keepScraped, listener)) {
            client.endpoints()
                    .inNamespace(ns)
                    .resource(new EndpointsBuilder()
                            .withNewMetadata()
                            .withName("app")
                            .withNamespace(ns)
                            .endMetadata()
                            .addNewSubset()
                            .addNewAddress()
                            .withIp("10.1.1.1")
                            .endAddress()
                            .addNewPort()
                            .withPort(9150)
                            .endPort()
                            .endSubset()
                            .build())
                    .create();
            listener.awaitTrue("the refused read to be counted", () -> d.lookupErrors() == 1);
            assertThat(listener.snapshot()).isEmpty();
            assertThat(d.retainedObjects()).isEqualTo(1);

            // any later event whose reads work retries it
            client.endpoints()
                    .inNamespace(ns)
                    .resource(new EndpointsBuilder()
                            .withNewMetadata()
                            .withName("other")
                            .withNamespace(ns)
                            .endMetadata()
                            .build())
                    .create();
            listener.await("the targets once reads work", s -> s.containsKey(source));
            assertThat(d.lookupErrors()).isEqualTo(1);
        }
    }
}
