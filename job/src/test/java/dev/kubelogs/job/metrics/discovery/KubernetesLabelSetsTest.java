package dev.kubelogs.job.metrics.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.model.Labels;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Label sets without an API server, for the cases Prometheus' tests pin down in detail. */
class KubernetesLabelSetsTest {

    private static Labels podLabels(String... more) {
        Labels base = Labels.of(
                "__meta_kubernetes_namespace", "default",
                "__meta_kubernetes_endpoints_name", "testsidecar",
                "__meta_kubernetes_pod_name", "testpod",
                "__meta_kubernetes_pod_ip", "4.3.2.1",
                "__meta_kubernetes_pod_ready", "unknown",
                "__meta_kubernetes_pod_node_name", "testnode",
                "__meta_kubernetes_pod_host_ip", "2.3.4.5",
                "__meta_kubernetes_pod_uid", "deadbeef");
        Labels.Builder b = base.toBuilder();
        for (int i = 0; i < more.length; i += 2) {
            b.set(more[i], more[i + 1]);
        }
        return b.build();
    }

    // Prometheus endpoints_test.go TestEndpointsDiscoverySidecarContainer
    @Test
    void endpointPortsMatchInitContainersAndUncoveredPortsGetTargetsOfTheirOwn() {
        Endpoints eps = new EndpointsBuilder()
                .withNewMetadata()
                .withName("testsidecar")
                .withNamespace("default")
                .endMetadata()
                .addNewSubset()
                .addToAddresses(new EndpointAddressBuilder()
                        .withIp("4.3.2.1")
                        .withNewTargetRef()
                        .withKind("Pod")
                        .withName("testpod")
                        .withNamespace("default")
                        .endTargetRef()
                        .build())
                .addNewPort()
                .withName("testport")
                .withPort(9000)
                .withProtocol("TCP")
                .endPort()
                .addNewPort()
                .withName("initport")
                .withPort(9111)
                .withProtocol("TCP")
                .endPort()
                .endSubset()
                .build();
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName("testpod")
                .withNamespace("default")
                .withUid("deadbeef")
                .endMetadata()
                .withNewSpec()
                .withNodeName("testnode")
                .addNewInitContainer()
                .withName("ic1")
                .withImage("ic1:latest")
                .addNewPort()
                .withName("initport")
                .withContainerPort(1111)
                .withProtocol("TCP")
                .endPort()
                .endInitContainer()
                .addNewInitContainer()
                .withName("ic2")
                .withImage("ic2:latest")
                .addNewPort()
                .withName("initport")
                .withContainerPort(9111)
                .withProtocol("TCP")
                .endPort()
                .endInitContainer()
                .addNewContainer()
                .withName("c1")
                .withImage("c1:latest")
                .addNewPort()
                .withName("mainport")
                .withContainerPort(9000)
                .withProtocol("TCP")
                .endPort()
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withHostIP("2.3.4.5")
                .withPodIP("4.3.2.1")
                .endStatus()
                .build();

        List<Labels> sets = KubernetesLabelSets.endpoints(eps, null, ref -> PodMeta.of(pod));

        assertThat(sets)
                .containsExactly(
                        podLabels(
                                "__address__",
                                "4.3.2.1:9000",
                                "__meta_kubernetes_endpoint_address_target_kind",
                                "Pod",
                                "__meta_kubernetes_endpoint_address_target_name",
                                "testpod",
                                "__meta_kubernetes_endpoint_port_name",
                                "testport",
                                "__meta_kubernetes_endpoint_port_protocol",
                                "TCP",
                                "__meta_kubernetes_endpoint_ready",
                                "true",
                                "__meta_kubernetes_pod_container_image",
                                "c1:latest",
                                "__meta_kubernetes_pod_container_name",
                                "c1",
                                "__meta_kubernetes_pod_container_port_name",
                                "mainport",
                                "__meta_kubernetes_pod_container_port_number",
                                "9000",
                                "__meta_kubernetes_pod_container_port_protocol",
                                "TCP",
                                "__meta_kubernetes_pod_container_init",
                                "false"),
                        podLabels(
                                "__address__",
                                "4.3.2.1:9111",
                                "__meta_kubernetes_endpoint_address_target_kind",
                                "Pod",
                                "__meta_kubernetes_endpoint_address_target_name",
                                "testpod",
                                "__meta_kubernetes_endpoint_port_name",
                                "initport",
                                "__meta_kubernetes_endpoint_port_protocol",
                                "TCP",
                                "__meta_kubernetes_endpoint_ready",
                                "true",
                                "__meta_kubernetes_pod_container_image",
                                "ic2:latest",
                                "__meta_kubernetes_pod_container_name",
                                "ic2",
                                "__meta_kubernetes_pod_container_port_name",
                                "initport",
                                "__meta_kubernetes_pod_container_port_number",
                                "9111",
                                "__meta_kubernetes_pod_container_port_protocol",
                                "TCP",
                                "__meta_kubernetes_pod_container_init",
                                "true"),
                        podLabels(
                                "__address__",
                                "4.3.2.1:1111",
                                "__meta_kubernetes_pod_container_image",
                                "ic1:latest",
                                "__meta_kubernetes_pod_container_name",
                                "ic1",
                                "__meta_kubernetes_pod_container_port_name",
                                "initport",
                                "__meta_kubernetes_pod_container_port_number",
                                "1111",
                                "__meta_kubernetes_pod_container_port_protocol",
                                "TCP",
                                "__meta_kubernetes_pod_container_init",
                                "true"));
    }

    // Prometheus endpoints_test.go makeEndpoints: ready and not-ready addresses, node target, no pods known
    @Test
    void notReadyAddressesAndNonPodTargetsKeepTheirEndpointLabelsOnly() {
        Endpoints eps = new EndpointsBuilder()
                .withNewMetadata()
                .withName("testendpoints")
                .withNamespace("default")
                .addToAnnotations("test.annotation", "test")
                .endMetadata()
                .addNewSubset()
                .addNewAddress()
                .withIp("2.3.4.5")
                .endAddress()
                .addNewNotReadyAddress()
                .withIp("2.3.4.5")
                .endNotReadyAddress()
                .addNewPort()
                .withName("testport")
                .withPort(9001)
                .withProtocol("TCP")
                .endPort()
                .endSubset()
                .addNewSubset()
                .addToAddresses(new EndpointAddressBuilder()
                        .withIp("6.7.8.9")
                        .withNewTargetRef()
                        .withKind("Node")
                        .withName("barbaz")
                        .endTargetRef()
                        .build())
                .addNewPort()
                .withName("testport")
                .withPort(9002)
                .withProtocol("TCP")
                .endPort()
                .endSubset()
                .build();
        Labels group = Labels.of(
                "__meta_kubernetes_namespace", "default",
                "__meta_kubernetes_endpoints_name", "testendpoints",
                "__meta_kubernetes_endpoints_annotation_test_annotation", "test",
                "__meta_kubernetes_endpoints_annotationpresent_test_annotation", "true",
                "__meta_kubernetes_endpoint_port_name", "testport",
                "__meta_kubernetes_endpoint_port_protocol", "TCP");

        List<Labels> sets = KubernetesLabelSets.endpoints(eps, null, ref -> null);

        assertThat(sets)
                .containsExactly(
                        group.toBuilder()
                                .set("__address__", "2.3.4.5:9001")
                                .set("__meta_kubernetes_endpoint_ready", "true")
                                .build(),
                        group.toBuilder()
                                .set("__address__", "2.3.4.5:9001")
                                .set("__meta_kubernetes_endpoint_ready", "false")
                                .build(),
                        group.toBuilder()
                                .set("__address__", "6.7.8.9:9002")
                                .set("__meta_kubernetes_endpoint_ready", "true")
                                .set("__meta_kubernetes_endpoint_address_target_kind", "Node")
                                .set("__meta_kubernetes_endpoint_address_target_name", "barbaz")
                                .build());
    }

    @Test
    void podWithoutIpHasNoTargetsAndAnIpv6PodIsBracketed() {
        Pod pending = new PodBuilder()
                .withNewMetadata()
                .withName("p")
                .withNamespace("ns")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("c")
                .endContainer()
                .endSpec()
                .build();
        assertThat(KubernetesLabelSets.pod(pending)).isEmpty();

        Pod v6 = new PodBuilder(pending)
                .withNewStatus()
                .withPodIP("2001:db8::1")
                .addNewPodIP()
                .withIp("2001:db8::1")
                .endPodIP()
                .addNewPodIP()
                .withIp("10.1.2.3")
                .endPodIP()
                .endStatus()
                .build();
        Labels set = KubernetesLabelSets.pod(v6).get(0);
        assertThat(set.get("__address__")).isEqualTo("[2001:db8::1]");
        assertThat(set.get("__meta_kubernetes_pod_ipv6")).isEqualTo("2001:db8::1");
        assertThat(set.get("__meta_kubernetes_pod_ipv4")).isEqualTo("10.1.2.3");
    }

    @Test
    void nodeAddressFollowsPrometheusPreferenceAndNoAddressMeansNoTarget() {
        NodeBuilder node = new NodeBuilder().withNewMetadata().withName("n").endMetadata();
        assertThat(KubernetesLabelSets.node(node.build())).isEmpty();
        Labels set = KubernetesLabelSets.node(node.withNewStatus()
                        .addNewAddress()
                        .withType("Hostname")
                        .withAddress("host")
                        .endAddress()
                        .addNewAddress()
                        .withType("ExternalIP")
                        .withAddress("5.6.7.8")
                        .endAddress()
                        .addNewAddress()
                        .withType("InternalDNS")
                        .withAddress("n.internal")
                        .endAddress()
                        .withNewDaemonEndpoints()
                        .withNewKubeletEndpoint()
                        .withPort(10250)
                        .endKubeletEndpoint()
                        .endDaemonEndpoints()
                        .endStatus()
                        .build())
                .get(0);
        assertThat(set.get("__address__")).isEqualTo("n.internal:10250");
        assertThat(set.get("__meta_kubernetes_node_address_ExternalIP")).isEqualTo("5.6.7.8");
    }

    // Prometheus ingress_test.go makeIngress: a rule with paths, one with an empty http (no target), one empty path
    private static IngressBuilder ingress() {
        return new IngressBuilder()
                .withNewMetadata()
                .withName("testingress")
                .withNamespace("default")
                .addToLabels("test/label", "testvalue")
                .addToAnnotations("test/annotation", "testannotationvalue")
                .endMetadata()
                .withNewSpec()
                .withIngressClassName("testclass")
                .addNewRule()
                .withHost("example.com")
                .withNewHttp()
                .addNewPath()
                .withPath("/")
                .endPath()
                .addNewPath()
                .withPath("/foo")
                .endPath()
                .endHttp()
                .endRule()
                .addNewRule()
                .withHost("nobackend.example.com")
                .withNewHttp()
                .endHttp()
                .endRule()
                .addNewRule()
                .withHost("test.example.com")
                .withNewHttp()
                .addNewPath()
                .endPath()
                .endHttp()
                .endRule()
                .endSpec();
    }

    private static Labels ingressTarget(String host, String scheme, String path) {
        return Labels.of(
                "__meta_kubernetes_namespace", "default",
                "__meta_kubernetes_ingress_name", "testingress",
                "__meta_kubernetes_ingress_class_name", "testclass",
                "__meta_kubernetes_ingress_label_test_label", "testvalue",
                "__meta_kubernetes_ingress_labelpresent_test_label", "true",
                "__meta_kubernetes_ingress_annotation_test_annotation", "testannotationvalue",
                "__meta_kubernetes_ingress_annotationpresent_test_annotation", "true",
                "__address__", host,
                "__meta_kubernetes_ingress_scheme", scheme,
                "__meta_kubernetes_ingress_host", host,
                "__meta_kubernetes_ingress_path", path);
    }

    @Test
    void ingressMakesOneTargetPerRuleAndPath() {
        assertThat(KubernetesLabelSets.ingress(ingress().build()))
                .containsExactly(
                        ingressTarget("example.com", "http", "/"),
                        ingressTarget("example.com", "http", "/foo"),
                        ingressTarget("test.example.com", "http", "/"));
    }

    @Test
    void ingressSchemeIsHttpsForHostsItsTlsNamesOrAWildcardCovers() {
        // TestIngressDiscoveryAddTLS, TestIngressDiscoveryAddMixed and the wildcard case
        Ingress mixed = ingress()
                .editSpec()
                .addNewTl()
                .withHosts("example.com")
                .endTl()
                .endSpec()
                .build();
        assertThat(KubernetesLabelSets.ingress(mixed))
                .containsExactly(
                        ingressTarget("example.com", "https", "/"),
                        ingressTarget("example.com", "https", "/foo"),
                        ingressTarget("test.example.com", "http", "/"));
        Ingress wildcard = ingress()
                .editSpec()
                .addNewTl()
                .withHosts("*.example.com")
                .endTl()
                .endSpec()
                .build();
        assertThat(KubernetesLabelSets.ingress(wildcard))
                .containsExactly(
                        ingressTarget("example.com", "http", "/"),
                        ingressTarget("example.com", "http", "/foo"),
                        ingressTarget("test.example.com", "https", "/"));
    }

    @Test
    void anIngressRuleWithoutHttpIsPathSlash() {
        Ingress noHttp = new IngressBuilder()
                .withNewMetadata()
                .withName("i")
                .withNamespace("ns")
                .endMetadata()
                .withNewSpec()
                .addNewRule()
                .withHost("a.example")
                .endRule()
                .endSpec()
                .build();
        assertThat(KubernetesLabelSets.ingress(noHttp)).singleElement().satisfies(set -> {
            assertThat(set.get("__meta_kubernetes_ingress_path")).isEqualTo("/");
            assertThat(set.get("__meta_kubernetes_ingress_class_name")).isNull();
        });
        assertThat(KubernetesLabelSets.matchesHostnamePattern("*.example.com", "a.b.example.com"))
                .isFalse();
        assertThat(KubernetesLabelSets.matchesHostnamePattern("*.example.com", "a.example.com"))
                .isTrue();
    }
}
