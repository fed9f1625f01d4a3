package dev.kubelogs.job.metrics.discovery;

import static dev.kubelogs.job.metrics.discovery.MetaLabels.PREFIX;

import dev.kubelogs.job.metrics.model.Labels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What discovery needs of a pod, and no more: its pod-level meta labels (Prometheus' podLabels), its IP and its
 * containers' names, images, ids and ports. Kept instead of the pod for pods that endpoints targets refer to.
 */
record PodMeta(Labels labels, String ip, List<ContainerMeta> containers) {
    static final String IP = PREFIX + "pod_ip";
    static final String CONTAINER_NAME = PREFIX + "pod_container_name";
    static final String CONTAINER_ID = PREFIX + "pod_container_id";
    static final String CONTAINER_IMAGE = PREFIX + "pod_container_image";
    static final String CONTAINER_PORT_NAME = PREFIX + "pod_container_port_name";
    static final String CONTAINER_PORT_NUMBER = PREFIX + "pod_container_port_number";
    static final String CONTAINER_PORT_PROTOCOL = PREFIX + "pod_container_port_protocol";
    static final String CONTAINER_INIT = PREFIX + "pod_container_init";

    /** One container (init containers after the others, as Prometheus lists them). */
    record ContainerMeta(String name, String image, String id, boolean init, List<PortMeta> ports) {}

    record PortMeta(String name, int number, String protocol) {}

    static PodMeta of(Pod pod) {
        PodSpec spec = pod.getSpec() == null ? new PodSpec() : pod.getSpec();
        PodStatus status = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
        List<ContainerMeta> containers = new ArrayList<>();
        addContainers(containers, spec.getContainers(), status.getContainerStatuses(), false);
        addContainers(containers, spec.getInitContainers(), status.getInitContainerStatuses(), true);
        return new PodMeta(labels(pod, spec, status), status.getPodIP(), List.copyOf(containers));
    }

    /** The labels of one container port (or of a container without ports when {@code port} is null). */
    void addContainerLabels(Labels.Builder b, ContainerMeta c, PortMeta port, boolean withId) {
        b.set(CONTAINER_NAME, c.name());
        if (withId) {
            b.set(CONTAINER_ID, c.id());
        }
        b.set(CONTAINER_IMAGE, c.image());
        if (port != null) {
            b.set(CONTAINER_PORT_NAME, port.name());
            b.set(CONTAINER_PORT_NUMBER, Integer.toString(port.number()));
            b.set(CONTAINER_PORT_PROTOCOL, port.protocol());
        }
        b.set(CONTAINER_INIT, Boolean.toString(c.init()));
    }

    boolean hasIp() {
        return ip != null && !ip.isEmpty();
    }

    private static void addContainers(
            List<ContainerMeta> out, List<Container> containers, List<ContainerStatus> statuses, boolean init) {
        if (containers == null) {
            return;
        }
        for (Container c : containers) {
            List<PortMeta> ports = new ArrayList<>();
            if (c.getPorts() != null) {
                for (ContainerPort p : c.getPorts()) {
                    int number = p.getContainerPort() == null ? 0 : p.getContainerPort();
                    ports.add(new PortMeta(p.getName(), number, p.getProtocol()));
                }
            }
            out.add(new ContainerMeta(
                    c.getName(), c.getImage(), containerId(statuses, c.getName()), init, List.copyOf(ports)));
        }
    }

    private static String containerId(List<ContainerStatus> statuses, String name) {
        if (statuses != null) {
            for (ContainerStatus s : statuses) {
                if (name != null && name.equals(s.getName())) {
                    return s.getContainerID();
                }
            }
        }
        return null;
    }

    private static Labels labels(Pod pod, PodSpec spec, PodStatus status) {
        Labels.Builder b = Labels.builder();
        b.set(IP, status.getPodIP());
        b.set(PREFIX + "pod_ready", ready(status));
        b.set(PREFIX + "pod_phase", status.getPhase());
        b.set(PREFIX + "pod_node_name", spec.getNodeName());
        b.set(PREFIX + "pod_host_ip", status.getHostIP());
        b.set(PREFIX + "pod_uid", pod.getMetadata().getUid());
        addFirstIpOfEachFamily(b, status.getPodIPs());
        MetaLabels.addObjectMeta(b, "pod", pod.getMetadata());
        OwnerReference controller = controllerOf(pod);
        if (controller != null) {
            b.set(PREFIX + "pod_controller_kind", controller.getKind());
            b.set(PREFIX + "pod_controller_name", controller.getName());
        }
        return b.build();
    }

    private static void addFirstIpOfEachFamily(Labels.Builder b, List<PodIP> ips) {
        if (ips == null) {
            return;
        }
        for (PodIP podIp : ips) {
            String ip = podIp.getIp();
            if (ip == null || ip.isEmpty()) {
                continue;
            }
            String name = ip.indexOf(':') >= 0 ? PREFIX + "pod_ipv6" : PREFIX + "pod_ipv4";
            if (b.get(name) == null) {
                b.set(name, ip);
            }
        }
    }

    private static String ready(PodStatus status) {
        if (status.getConditions() != null) {
            for (PodCondition c : status.getConditions()) {
                if ("Ready".equals(c.getType())) {
                    return c.getStatus() == null ? "" : c.getStatus().toLowerCase(Locale.ROOT);
                }
            }
        }
        return "unknown";
    }

    private static OwnerReference controllerOf(Pod pod) {
        List<OwnerReference> refs = pod.getMetadata().getOwnerReferences();
        if (refs != null) {
            for (OwnerReference ref : refs) {
                if (Boolean.TRUE.equals(ref.getController())) {
                    return ref;
                }
            }
        }
        return null;
    }
}
