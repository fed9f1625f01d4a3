package dev.kubelogs.job.metrics;

import dev.kubelogs.job.metrics.scrape.MetricsEndpoint;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.Map;

/** Kubernetes objects for discovery tests against the mock API server: pods and endpoints on 127.0.0.1. */
public final class KubernetesObjects {
    public static final String NAMESPACE = "shop";
    private static final String NS = NAMESPACE;

    private KubernetesObjects() {}

    public static int port(MetricsEndpoint target) {
        return Integer.parseInt(target.address().substring(target.address().indexOf(':') + 1));
    }

    public static Service service(String name, Map<String, String> annotations) {
        return new ServiceBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .addToLabels("app", name)
                .addToAnnotations(annotations)
                .endMetadata()
                .withNewSpec()
                .addNewPort()
                .withName("metrics")
                .withPort(80)
                .endPort()
                .endSpec()
                .build();
    }

    public static Pod pod(String name, int containerPort) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NS)
                .endMetadata()
                .withNewSpec()
                .withNodeName("node-1")
                .addNewContainer()
                .withName("app")
                .addNewPort()
                .withContainerPort(containerPort)
                .withProtocol("TCP")
                .endPort()
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPodIP("127.0.0.1")
                .withPhase("Running")
                .endStatus()
                .build();
    }

    public static Endpoints endpoints(String service, EndpointSubset subset) {
        return new EndpointsBuilder()
                .withNewMetadata()
                .withName(service)
                .withNamespace(NS)
                .endMetadata()
                .addToSubsets(subset)
                .build();
    }

    /** The pod's address (127.0.0.1, where the targets listen) on this port. */
    public static EndpointSubset subset(String pod, int port) {
        return new EndpointSubsetBuilder()
                .addNewAddress()
                .withIp("127.0.0.1")
                .withNodeName("node-1")
                .withNewTargetRef()
                .withKind("Pod")
                .withName(pod)
                .withNamespace(NS)
                .endTargetRef()
                .endAddress()
                .addNewPort()
                .withName("metrics")
                .withPort(port)
                .withProtocol("TCP")
                .endPort()
                .build();
    }
}
