package dev.kubelogs.job.metrics.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.model.ScrapeTarget;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Roles endpoints and endpointslice driven object by object, as the informers would: the label sets of a cluster's
 * DNS (CoreDNS behind kube-dns, whose ports share a number across protocols) against Prometheus' endpoints.go and
 * endpointslice.go, then objects added, changed and deleted, with the reads they cost and what stays held. The
 * services and pods that roles read live in fabric8's mock API server in CRUD mode; each test has its namespace.
 */
@EnableKubernetesMockClient(crud = true)
class ServiceBackedRoleTest {
    static KubernetesClient client;
    static KubernetesMockServer server;

    private final RecordingListener listener = new RecordingListener();
    /** As the agent's kubernetes-service-endpoints job: the service's prometheus.io/scrape annotation decides. */
    private final TargetPublisher publisher = new TargetPublisher(
            "job",
            TestTargets.keepWhere("job", "__meta_kubernetes_service_annotation_prometheus_io_scrape", "true"),
            listener);

    private static Service kubeDns(String ns, boolean scraped) {
        ServiceBuilder svc = new ServiceBuilder()
                .withNewMetadata()
                .withName("kube-dns")
                .withNamespace(ns)
                .addToLabels("k8s-app", "kube-dns")
                .endMetadata()
                .withNewSpec()
                .withClusterIP("10.100.0.10")
                .endSpec();
        if (scraped) {
            svc.editMetadata().addToAnnotations("prometheus.io/scrape", "true").endMetadata();
        }
        return svc.build();
    }

    /** A CoreDNS pod as its Deployment declares it, plus a health port that no endpoint port names. */
    private static Pod coredns(String ns, String name, String ip) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .addToLabels("k8s-app", "kube-dns")
                .addNewOwnerReference()
                .withKind("ReplicaSet")
                .withName("coredns-5d78c9869d")
                .withController(true)
                .withApiVersion("apps/v1")
                .withUid("rs1")
                .endOwnerReference()
                .endMetadata()
                .withNewSpec()
                .withNodeName("node-1")
                .addNewContainer()
                .withName("coredns")
                .withImage("registry.k8s.io/coredns/coredns:v1.11.1")
                .addNewPort()
                .withName("dns")
                .withContainerPort(53)
                .withProtocol("UDP")
                .endPort()
                .addNewPort()
                .withName("dns-tcp")
                .withContainerPort(53)
                .withProtocol("TCP")
                .endPort()
                .addNewPort()
                .withName("metrics")
                .withContainerPort(9153)
                .withProtocol("TCP")
                .endPort()
                .addNewPort()
                .withName("health")
                .withContainerPort(8080)
                .withProtocol("TCP")
                .endPort()
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPodIP(ip)
                .withHostIP("192.168.1.20")
                .withPhase("Running")
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .addNewContainerStatus()
                .withName("coredns")
                .withContainerID("containerd://c0ffee")
                .endContainerStatus()
                .endStatus()
                .build();
    }

    /** kube-dns' Endpoints: the running pod ready, a terminating one (already gone from the API) not ready. */
    private static Endpoints kubeDnsEndpoints(String ns) {
        return new EndpointsBuilder()
                .withNewMetadata()
                .withName("kube-dns")
                .withNamespace(ns)
                .addToLabels("k8s-app", "kube-dns")
                .endMetadata()
                .addNewSubset()
                .addToAddresses(new EndpointAddressBuilder()
                        .withIp("10.0.0.5")
                        .withNodeName("node-1")
                        .withNewTargetRef()
                        .withKind("Pod")
                        .withName("coredns-a")
                        .withNamespace(ns)
                        .endTargetRef()
                        .build())
                .addToNotReadyAddresses(new EndpointAddressBuilder()
                        .withIp("10.0.0.6")
                        .withNewTargetRef()
                        .withKind("Pod")
                        .withName("coredns-gone")
                        .withNamespace(ns)
                        .endTargetRef()
                        .build())
                .addNewPort()
                .withName("dns")
                .withPort(53)
                .withProtocol("UDP")
                .endPort()
                .addNewPort()
                .withName("dns-tcp")
                .withPort(53)
                .withProtocol("TCP")
                .endPort()
                .addNewPort()
                .withName("metrics")
                .withPort(9153)
                .withProtocol("TCP")
                .endPort()
                .endSubset()
                .build();
    }

    private static EndpointSlice kubeDnsSlice(String ns) {
        return new EndpointSliceBuilder()
                .withNewMetadata()
                .withName("kube-dns-x7k2p")
                .withNamespace(ns)
                .addToLabels("kubernetes.io/service-name", "kube-dns")
                .endMetadata()
                .withAddressType("IPv4")
                .addNewPort()
                .withName("dns")
                .withPort(53)
                .withProtocol("UDP")
                .endPort()
                .addNewPort()
                .withName("dns-tcp")
                .withPort(53)
                .withProtocol("TCP")
                .endPort()
                .addNewPort()
                .withName("metrics")
                .withPort(9153)
                .withProtocol("TCP")
                .endPort()
                .addNewEndpoint()
                .withAddresses("10.0.0.5")
                .withNodeName("node-1")
                .withZone("eu-west-1a")
                .withNewConditions()
                .withReady(true)
                .withServing(true)
                .withTerminating(false)
                .endConditions()
                .withNewTargetRef()
                .withKind("Pod")
                .withName("coredns-a")
                .withNamespace(ns)
                .endTargetRef()
                .endEndpoint()
                .addNewEndpoint()
                .withAddresses("10.0.0.6")
                .withNewConditions()
                .withReady(false)
                .withServing(false)
                .withTerminating(true)
                .endConditions()
                .withNewTargetRef()
                .withKind("Pod")
                .withName("coredns-gone")
                .withNamespace(ns)
                .endTargetRef()
                .endEndpoint()
                .build();
    }

    private static String create(Service svc) {
        return client.services().resource(svc).create().getMetadata().getUid();
    }

    /** Creates the pod in the API; returns the uid the mock server gave it. */
    private static String create(Pod pod) {
        return client.pods().resource(pod).create().getMetadata().getUid();
    }

    private static Map<String, String> with(Map<String, String> base, String... namesAndValues) {
        Map<String, String> labels = new HashMap<>(base);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            labels.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return labels;
    }

    private static Map<String, String> kubeDnsServiceLabels(String ns) {
        return Map.of(
                "__meta_kubernetes_namespace", ns,
                "__meta_kubernetes_service_name", "kube-dns",
                "__meta_kubernetes_service_label_k8s_app", "kube-dns",
                "__meta_kubernetes_service_labelpresent_k8s_app", "true",
                "__meta_kubernetes_service_annotation_prometheus_io_scrape", "true",
                "__meta_kubernetes_service_annotationpresent_prometheus_io_scrape", "true");
    }

    private static Map<String, String> corednsLabels(String uid) {
        return Map.ofEntries(
                Map.entry("__meta_kubernetes_pod_name", "coredns-a"),
                Map.entry("__meta_kubernetes_pod_ip", "10.0.0.5"),
                Map.entry("__meta_kubernetes_pod_ready", "true"),
                Map.entry("__meta_kubernetes_pod_phase", "Running"),
                Map.entry("__meta_kubernetes_pod_node_name", "node-1"),
                Map.entry("__meta_kubernetes_pod_host_ip", "192.168.1.20"),
                Map.entry("__meta_kubernetes_pod_uid", uid),
                Map.entry("__meta_kubernetes_pod_label_k8s_app", "kube-dns"),
                Map.entry("__meta_kubernetes_pod_labelpresent_k8s_app", "true"),
                Map.entry("__meta_kubernetes_pod_controller_kind", "ReplicaSet"),
                Map.entry("__meta_kubernetes_pod_controller_name", "coredns-5d78c9869d"));
    }

    /** The container labels of an endpoint port matching a CoreDNS port (no container id: Prometheus sets none). */
    private static Map<String, String> corednsPort(String name, String number, String protocol) {
        return Map.of(
                "__meta_kubernetes_pod_container_name",
                "coredns",
                "__meta_kubernetes_pod_container_image",
                "registry.k8s.io/coredns/coredns:v1.11.1",
                "__meta_kubernetes_pod_container_port_name",
                name,
                "__meta_kubernetes_pod_container_port_number",
                number,
                "__meta_kubernetes_pod_container_port_protocol",
                protocol,
                "__meta_kubernetes_pod_container_init",
                "false");
    }

    private static Map<String, String> merged(List<Map<String, String>> parts) {
        Map<String, String> all = new HashMap<>();
        parts.forEach(all::putAll);
        return all;
    }

    private List<Map<String, String>> published(String source) {
        return listener.source(source).stream().map(t -> t.labels().toMap()).toList();
    }

    @Test
    void endpointsLabelSetsAreThoseOfPrometheusEndpointsRole() {
        String ns = "eps-labels";
        create(kubeDns(ns, true));
        String uid = create(coredns(ns, "coredns-a", "10.0.0.5"));
        EndpointsRole role = new EndpointsRole(publisher, client, null, null);

        assertThat(role.mainSubscriber().upsert(kubeDnsEndpoints(ns))).isTrue();

        Map<String, String> group = with(
                kubeDnsServiceLabels(ns),
                "__meta_kubernetes_endpoints_name",
                "kube-dns",
                "__meta_kubernetes_endpoints_label_k8s_app",
                "kube-dns",
                "__meta_kubernetes_endpoints_labelpresent_k8s_app",
                "true");
        Map<String, String> ready = with(
                group,
                "__meta_kubernetes_endpoint_ready",
                "true",
                "__meta_kubernetes_endpoint_node_name",
                "node-1",
                "__meta_kubernetes_endpoint_address_target_kind",
                "Pod",
                "__meta_kubernetes_endpoint_address_target_name",
                "coredns-a");
        Map<String, String> gone = with(
                group,
                "__meta_kubernetes_endpoint_ready",
                "false",
                "__meta_kubernetes_endpoint_address_target_kind",
                "Pod",
                "__meta_kubernetes_endpoint_address_target_name",
                "coredns-gone");
        Map<String, String> pod = corednsLabels(uid);
        assertThat(published("job endpoints/" + ns + "/kube-dns"))
                .containsExactly(
                        merged(List.of(
                                ready,
                                pod,
                                corednsPort("dns", "53", "UDP"),
                                Map.of(
                                        "__address__", "10.0.0.5:53",
                                        "__meta_kubernetes_endpoint_port_name", "dns",
                                        "__meta_kubernetes_endpoint_port_protocol", "UDP"))),
                        with(
                                gone,
                                "__address__",
                                "10.0.0.6:53",
                                "__meta_kubernetes_endpoint_port_name",
                                "dns",
                                "__meta_kubernetes_endpoint_port_protocol",
                                "UDP"),
                        // the first container port numbered 53 is the UDP one: Prometheus takes its name, and the
                        // protocol of the endpoint port (endpoints.go: podContainerPortProtocolLabel = port.Protocol)
                        merged(List.of(
                                ready,
                                pod,
                                corednsPort("dns", "53", "TCP"),
                                Map.of(
                                        "__address__", "10.0.0.5:53",
                                        "__meta_kubernetes_endpoint_port_name", "dns-tcp",
                                        "__meta_kubernetes_endpoint_port_protocol", "TCP"))),
                        with(
                                gone,
                                "__address__",
                                "10.0.0.6:53",
                                "__meta_kubernetes_endpoint_port_name",
                                "dns-tcp",
                                "__meta_kubernetes_endpoint_port_protocol",
                                "TCP"),
                        merged(List.of(
                                ready,
                                pod,
                                corednsPort("metrics", "9153", "TCP"),
                                Map.of(
                                        "__address__", "10.0.0.5:9153",
                                        "__meta_kubernetes_endpoint_port_name", "metrics",
                                        "__meta_kubernetes_endpoint_port_protocol", "TCP"))),
                        with(
                                gone,
                                "__address__",
                                "10.0.0.6:9153",
                                "__meta_kubernetes_endpoint_port_name",
                                "metrics",
                                "__meta_kubernetes_endpoint_port_protocol",
                                "TCP"),
                        // the pod's port no endpoint port names: a target of its own, with no endpoint labels
                        merged(List.of(
                                group,
                                pod,
                                corednsPort("health", "8080", "TCP"),
                                Map.of("__address__", "10.0.0.5:8080"))));
        // the service, the pod behind the ready address and the one behind the other (which is gone)
        assertThat(role.lookups()).isEqualTo(3);
    }

    @Test
    void endpointSliceLabelSetsAreThoseOfPrometheusEndpointSliceRole() {
        String ns = "slice-labels";
        create(kubeDns(ns, true));
        String uid = create(coredns(ns, "coredns-a", "10.0.0.5"));
        EndpointSliceRole role = new EndpointSliceRole(publisher, client, null, null);

        assertThat(role.mainSubscriber().upsert(kubeDnsSlice(ns))).isTrue();

        Map<String, String> group = with(
                kubeDnsServiceLabels(ns),
                "__meta_kubernetes_endpointslice_name",
                "kube-dns-x7k2p",
                "__meta_kubernetes_endpointslice_address_type",
                "IPv4",
                "__meta_kubernetes_endpointslice_label_kubernetes_io_service_name",
                "kube-dns",
                "__meta_kubernetes_endpointslice_labelpresent_kubernetes_io_service_name",
                "true");
        Map<String, String> ready = with(
                group,
                "__meta_kubernetes_endpointslice_endpoint_conditions_ready",
                "true",
                "__meta_kubernetes_endpointslice_endpoint_conditions_serving",
                "true",
                "__meta_kubernetes_endpointslice_endpoint_conditions_terminating",
                "false",
                "__meta_kubernetes_endpointslice_endpoint_node_name",
                "node-1",
                "__meta_kubernetes_endpointslice_endpoint_zone",
                "eu-west-1a",
                "__meta_kubernetes_endpointslice_address_target_kind",
                "Pod",
                "__meta_kubernetes_endpointslice_address_target_name",
                "coredns-a");
        Map<String, String> terminating = with(
                group,
                "__meta_kubernetes_endpointslice_endpoint_conditions_ready",
                "false",
                "__meta_kubernetes_endpointslice_endpoint_conditions_serving",
                "false",
                "__meta_kubernetes_endpointslice_endpoint_conditions_terminating",
                "true",
                "__meta_kubernetes_endpointslice_address_target_kind",
                "Pod",
                "__meta_kubernetes_endpointslice_address_target_name",
                "coredns-gone");
        Map<String, String> pod = corednsLabels(uid);
        Function<String[], Map<String, String>> port = p -> Map.of(
                "__address__", p[0],
                "__meta_kubernetes_endpointslice_port_name", p[1],
                "__meta_kubernetes_endpointslice_port", p[2],
                "__meta_kubernetes_endpointslice_port_protocol", p[3]);
        assertThat(published("job endpointslice/" + ns + "/kube-dns-x7k2p"))
                .containsExactly(
                        // per endpoint, then per port (endpointslice.go), where endpoints go per port first
                        merged(List.of(ready, pod, corednsPort("dns", "53", "UDP"), port.apply(new String[] {
                            "10.0.0.5:53", "dns", "53", "UDP"
                        }))),
                        // as in Prometheus, the matched container port's own protocol (cport.Protocol)
                        merged(List.of(ready, pod, corednsPort("dns", "53", "UDP"), port.apply(new String[] {
                            "10.0.0.5:53", "dns-tcp", "53", "TCP"
                        }))),
                        merged(List.of(ready, pod, corednsPort("metrics", "9153", "TCP"), port.apply(new String[] {
                            "10.0.0.5:9153", "metrics", "9153", "TCP"
                        }))),
                        merged(List.of(terminating, port.apply(new String[] {"10.0.0.6:53", "dns", "53", "UDP"}))),
                        merged(List.of(terminating, port.apply(new String[] {"10.0.0.6:53", "dns-tcp", "53", "TCP"}))),
                        merged(List.of(
                                terminating, port.apply(new String[] {"10.0.0.6:9153", "metrics", "9153", "TCP"}))),
                        merged(List.of(
                                group,
                                pod,
                                corednsPort("health", "8080", "TCP"),
                                Map.of("__address__", "10.0.0.5:8080"))));
    }

    @Test
    void anObjectIsKeptWithItsServiceAndPodsOnlyWhileItHasTargetsAndFollowsTheirChanges() {
        String ns = "eps-life";
        create(kubeDns(ns, false));
        create(coredns(ns, "coredns-a", "10.0.0.5"));
        EndpointsRole role = new EndpointsRole(publisher, client, null, null);
        String source = "job endpoints/" + ns + "/kube-dns";
        Endpoints eps = kubeDnsEndpoints(ns);
        client.endpoints().resource(eps).create();

        // not scraped: nothing published, nothing held, the informer need not keep its stub
        assertThat(role.mainSubscriber().upsert(eps)).isFalse();
        assertThat(listener.snapshot()).isEmpty();
        assertThat(role.retainedObjects()).isZero();
        long reads = role.lookups();

        // the service gets the annotation: its endpoints are read and kept, with the service's and pod's labels
        assertThat(role.serviceSubscriber().upsert(kubeDns(ns, true))).isTrue();
        assertThat(listener.source(source)).hasSize(7);
        assertThat(role.retainedObjects()).isEqualTo(3);
        // one list of the service's endpoints, and the two pods behind them (the service came with the event)
        assertThat(role.lookups()).isEqualTo(reads + 3);

        // the same endpoints again cost no read and publish nothing new
        int calls = listener.calls();
        reads = role.lookups();
        assertThat(role.mainSubscriber().upsert(eps)).isTrue();
        assertThat(listener.calls()).isEqualTo(calls);

        // the kept pod changes: its targets follow, with no read; another pod is none of this role's business
        Pod relabelled = coredns(ns, "coredns-a", "10.0.0.5");
        relabelled.getMetadata().getLabels().put("version", "2");
        assertThat(role.podSubscriber().upsert(relabelled)).isTrue();
        assertThat(listener.source(source))
                .filteredOn(t -> "10.0.0.5:53".equals(t.labels().get("__address__")))
                .allSatisfy(t -> assertThat(t.labels().get("__meta_kubernetes_pod_label_version"))
                        .isEqualTo("2"));
        assertThat(role.podSubscriber().upsert(coredns(ns, "unrelated", "10.0.0.9")))
                .isFalse();
        assertThat(role.lookups()).isEqualTo(reads);

        // the service is deleted: the endpoints lose its labels (so this job's targets) and nothing stays held
        role.serviceSubscriber().delete(kubeDns(ns, true));
        assertThat(listener.snapshot()).isEmpty();
        assertThat(role.retainedObjects()).isZero();

        // back again: kept again, with no event of the endpoints themselves
        role.serviceSubscriber().upsert(kubeDns(ns, true));
        assertThat(listener.source(source)).hasSize(7);

        // the endpoints are deleted: their targets go, and so does what was held for them
        role.mainSubscriber().delete(eps);
        assertThat(listener.snapshot()).isEmpty();
        assertThat(role.retainedObjects()).isZero();
        assertThat(role.podSubscriber().upsert(relabelled)).isFalse();
        assertThat(role.lookupErrors()).isZero();
    }

    @Test
    void slicesOfOneServiceShareItsLabelsAndAServiceChangeReachesEveryOne() {
        String ns = "slice-share";
        create(kubeDns(ns, true));
        EndpointSliceRole role = new EndpointSliceRole(publisher, client, null, null);
        EndpointSlice first = kubeDnsSlice(ns);
        EndpointSlice second = new EndpointSliceBuilder(kubeDnsSlice(ns))
                .editMetadata()
                .withName("kube-dns-9qz4w")
                .endMetadata()
                .build();
        client.resources(EndpointSlice.class).resource(first).create();
        client.resources(EndpointSlice.class).resource(second).create();

        assertThat(role.mainSubscriber().upsert(first)).isTrue();
        assertThat(role.mainSubscriber().upsert(second)).isTrue();
        // two slices and one service; their pods are not in the API, so none is held
        assertThat(role.retainedObjects()).isEqualTo(3);
        assertThat(listener.snapshot()).hasSize(2);

        // one service event drops both, and the informer need not keep the service's stub any longer
        assertThat(role.serviceSubscriber().upsert(kubeDns(ns, false))).isFalse();
        assertThat(listener.snapshot()).isEmpty();
        assertThat(role.retainedObjects()).isZero();

        // the service comes back scraped: both slices are listed through it and kept
        assertThat(role.serviceSubscriber().upsert(kubeDns(ns, true))).isTrue();
        assertThat(listener.snapshot())
                .containsOnlyKeys(
                        "job endpointslice/" + ns + "/kube-dns-x7k2p", "job endpointslice/" + ns + "/kube-dns-9qz4w");
    }

    @Test
    void aSliceWithoutAServiceIsReadForItsPodsOnly() {
        String ns = "slice-alone";
        String uid = create(coredns(ns, "coredns-a", "10.0.0.5"));
        EndpointSlice orphan = new EndpointSliceBuilder(kubeDnsSlice(ns))
                .editMetadata()
                .withLabels(Map.of())
                .endMetadata()
                .build();
        TargetPublisher all = new TargetPublisher("job", TestTargets.keepAll("job"), listener);
        EndpointSliceRole role = new EndpointSliceRole(all, client, null, null);

        assertThat(role.mainSubscriber().upsert(orphan)).isTrue();

        List<ScrapeTarget> targets = listener.source("job endpointslice/" + ns + "/kube-dns-x7k2p");
        assertThat(targets)
                .hasSize(7)
                .allSatisfy(t -> assertThat(t.labels().toMap()).doesNotContainKey("__meta_kubernetes_service_name"));
        assertThat(targets.get(0).labels().get("__meta_kubernetes_pod_uid")).isEqualTo(uid);
        // the two pods, no service
        assertThat(role.lookups()).isEqualTo(2);
    }

    @Test
    void aKeptObjectWhoseReadFailsKeepsItsLastTargetsUntilReadsWorkAgain() {
        String ns = "eps-fail";
        create(kubeDns(ns, true));
        create(coredns(ns, "coredns-a", "10.0.0.5"));
        create(coredns(ns, "coredns-b", "10.0.0.7"));
        EndpointsRole role = new EndpointsRole(publisher, client, null, null);
        String source = "job endpoints/" + ns + "/kube-dns";
        Endpoints eps = kubeDnsEndpoints(ns);
        role.mainSubscriber().upsert(eps);
        List<ScrapeTarget> before = listener.source(source);
        assertThat(before).hasSize(7);

        // a second pod joins, and reading it is refused once (RBAC being rolled out, the API server restarting)
        server.expect()
                .get()
                .withPath("/api/v1/namespaces/" + ns + "/pods/coredns-b")
                .andReturn(403, "{\"kind\":\"Status\",\"code\":403,\"reason\":\"Forbidden\"}")
                .once();
        Endpoints scaled = new EndpointsBuilder(eps)
                .editFirstSubset()
                .addToAddresses(new EndpointAddressBuilder()
                        .withIp("10.0.0.7")
                        .withNewTargetRef()
                        .withKind("Pod")
                        .withName("coredns-b")
                        .withNamespace(ns)
                        .endTargetRef()
                        .build())
                .endSubset()
                .build();
        assertThat(role.mainSubscriber().upsert(scaled)).isTrue();
        assertThat(role.lookupErrors()).isEqualTo(1);
        assertThat(listener.source(source)).isEqualTo(before);

        // the role's next event whose read works (here: another service, whose endpoints are looked for)
        // evaluates it again
        role.serviceSubscriber()
                .upsert(new ServiceBuilder()
                        .withNewMetadata()
                        .withName("other")
                        .withNamespace(ns)
                        .endMetadata()
                        .build());
        assertThat(listener.source(source))
                .hasSize(11)
                .anySatisfy(t ->
                        assertThat(t.labels().get("__meta_kubernetes_pod_name")).isEqualTo("coredns-b"));
        assertThat(role.lookupErrors()).isEqualTo(1);
    }
}
