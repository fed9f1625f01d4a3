package dev.kubelogs.job.metrics.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.discovery.PodMeta.ContainerMeta;
import dev.kubelogs.job.metrics.discovery.PodMeta.PortMeta;
import dev.kubelogs.job.metrics.model.Labels;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a pod is reduced to (Prometheus' podLabels and the container facts of discovery/kubernetes/pod.go's buildPod),
 * for the cases the role-level tests do not pin down.
 */
class PodMetaTest {

    private static PodBuilder pod() {
        return new PodBuilder()
                .withNewMetadata()
                .withName("web-0")
                .withNamespace("shop")
                .endMetadata();
    }

    @Test
    void aPodWithNothingButANameHasItsNameAndAnUnknownReadinessOnly() {
        PodMeta meta = PodMeta.of(pod().build());

        // Prometheus sets pod_ip, phase, node_name, host_ip and uid too, empty, and empty labels are no labels
        assertThat(meta.labels())
                .isEqualTo(Labels.of("__meta_kubernetes_pod_name", "web-0", "__meta_kubernetes_pod_ready", "unknown"));
        assertThat(meta.containers()).isEmpty();
        assertThat(meta.hasIp()).isFalse();
        assertThat(PodMeta.of(pod().withNewStatus().withPodIP("").endStatus().build())
                        .hasIp())
                .isFalse();
    }

    @Test
    void readinessIsTheReadyConditionLowerCasedAndUnknownWithoutIt() {
        Pod notReady = pod().withNewStatus()
                .addNewCondition()
                .withType("ContainersReady")
                .withStatus("True")
                .endCondition()
                .addNewCondition()
                .withType("Ready")
                .withStatus("False")
                .endCondition()
                .endStatus()
                .build();
        Pod otherConditionsOnly = pod().withNewStatus()
                .addNewCondition()
                .withType("PodScheduled")
                .withStatus("True")
                .endCondition()
                .endStatus()
                .build();

        assertThat(PodMeta.of(notReady).labels().get("__meta_kubernetes_pod_ready"))
                .isEqualTo("false");
        assertThat(PodMeta.of(otherConditionsOnly).labels().get("__meta_kubernetes_pod_ready"))
                .isEqualTo("unknown");
    }

    @Test
    void theControllerIsTheOwnerMarkedControllerAndNoOtherOwner() {
        PodBuilder owned = pod().editMetadata()
                .addNewOwnerReference()
                .withKind("Node")
                .withName("n1")
                .endOwnerReference()
                .endMetadata();
        assertThat(PodMeta.of(owned.build()).labels().toMap())
                .doesNotContainKeys("__meta_kubernetes_pod_controller_kind", "__meta_kubernetes_pod_controller_name");

        Pod controlled = owned.editMetadata()
                .addNewOwnerReference()
                .withKind("StatefulSet")
                .withName("web")
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .build();
        Labels labels = PodMeta.of(controlled).labels();
        assertThat(labels.get("__meta_kubernetes_pod_controller_kind")).isEqualTo("StatefulSet");
        assertThat(labels.get("__meta_kubernetes_pod_controller_name")).isEqualTo("web");
    }

    @Test
    void theFirstIpOfEachFamilyIsKeptAndEmptyEntriesAreSkipped() {
        Pod dualStack = pod().withNewStatus()
                .withPodIP("10.1.2.3")
                .addNewPodIP()
                .withIp("")
                .endPodIP()
                .addNewPodIP()
                .withIp("10.1.2.3")
                .endPodIP()
                .addNewPodIP()
                .withIp("fd00::5")
                .endPodIP()
                .addNewPodIP()
                .withIp("10.9.9.9")
                .endPodIP()
                .addNewPodIP()
                .withIp("fd00::6")
                .endPodIP()
                .endStatus()
                .build();
        Labels labels = PodMeta.of(dualStack).labels();

        assertThat(labels.get("__meta_kubernetes_pod_ip")).isEqualTo("10.1.2.3");
        assertThat(labels.get("__meta_kubernetes_pod_ipv4")).isEqualTo("10.1.2.3");
        assertThat(labels.get("__meta_kubernetes_pod_ipv6")).isEqualTo("fd00::5");

        Pod singleStack =
                pod().withNewStatus().withPodIP("10.1.2.3").endStatus().build();
        assertThat(PodMeta.of(singleStack).labels().toMap())
                .doesNotContainKeys("__meta_kubernetes_pod_ipv4", "__meta_kubernetes_pod_ipv6");
    }

    @Test
    void containersKeepTheirOrderInitContainersLastWithTheIdOfTheirOwnStatusList() {
        Pod pod = pod().withNewSpec()
                .addNewInitContainer()
                .withName("migrate")
                .withImage("migrate:2")
                .endInitContainer()
                .addNewContainer()
                .withName("app")
                .withImage("app:1")
                .addNewPort()
                .withName("http")
                .withContainerPort(8080)
                .withProtocol("TCP")
                .endPort()
                .addNewPort()
                .withContainerPort(9090)
                .endPort()
                .endContainer()
                .addNewContainer()
                .withName("sidecar")
                .withImage("proxy:3")
                .endContainer()
                .endSpec()
                .withNewStatus()
                .addNewContainerStatus()
                .withName("app")
                .withContainerID("containerd://aaa")
                .endContainerStatus()
                .addNewInitContainerStatus()
                .withName("migrate")
                .withContainerID("containerd://iii")
                .endInitContainerStatus()
                .endStatus()
                .build();

        assertThat(PodMeta.of(pod).containers())
                .containsExactly(
                        new ContainerMeta(
                                "app",
                                "app:1",
                                "containerd://aaa",
                                false,
                                List.of(new PortMeta("http", 8080, "TCP"), new PortMeta(null, 9090, null))),
                        // not started yet: no status, no id
                        new ContainerMeta("sidecar", "proxy:3", null, false, List.of()),
                        new ContainerMeta("migrate", "migrate:2", "containerd://iii", true, List.of()));
    }

    @Test
    void containerLabelsLeaveOutWhatIsNotThereAndTheIdWhenNotAsked() {
        PodMeta meta = PodMeta.of(pod().build());
        ContainerMeta app =
                new ContainerMeta("app", "app:1", "containerd://aaa", false, List.of(new PortMeta(null, 9090, null)));

        Labels.Builder port = Labels.builder();
        meta.addContainerLabels(port, app, app.ports().get(0), false);
        assertThat(port.build())
                .isEqualTo(Labels.of(
                        "__meta_kubernetes_pod_container_name", "app",
                        "__meta_kubernetes_pod_container_image", "app:1",
                        "__meta_kubernetes_pod_container_port_number", "9090",
                        "__meta_kubernetes_pod_container_init", "false"));

        Labels.Builder noPort = Labels.builder();
        meta.addContainerLabels(noPort, app, null, true);
        assertThat(noPort.build())
                .isEqualTo(Labels.of(
                        "__meta_kubernetes_pod_container_name", "app",
                        "__meta_kubernetes_pod_container_id", "containerd://aaa",
                        "__meta_kubernetes_pod_container_image", "app:1",
                        "__meta_kubernetes_pod_container_init", "false"));
    }

    @Test
    void itIsACopyThatLaterChangesOfThePodDoNotReach() {
        Pod pod = pod().editMetadata()
                .addToLabels("app", "web")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .addNewPort()
                .withContainerPort(8080)
                .endPort()
                .endContainer()
                .endSpec()
                .build();
        PodMeta meta = PodMeta.of(pod);

        pod.getMetadata().getLabels().put("app", "changed");
        pod.getSpec().getContainers().get(0).getPorts().get(0).setContainerPort(1);
        pod.getSpec()
                .getContainers()
                .add(new ContainerBuilder().withName("late").build());

        assertThat(meta.labels().get("__meta_kubernetes_pod_label_app")).isEqualTo("web");
        assertThat(meta.containers()).hasSize(1);
        assertThat(meta.containers().get(0).ports()).containsExactly(new PortMeta(null, 8080, null));
    }
}
