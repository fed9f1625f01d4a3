package dev.kubelogs.job.metrics.discovery;

import dev.kubelogs.job.metrics.model.Labels;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Role endpointslice: a slice names its service in the {@code kubernetes.io/service-name} label. */
final class EndpointSliceRole extends ServiceBackedRole<EndpointSlice> {
    EndpointSliceRole(TargetPublisher publisher, KubernetesClient client, String labelSelector, String fieldSelector) {
        super("endpointslice/", publisher, client, labelSelector, fieldSelector);
    }

    @Override
    String serviceKey(EndpointSlice obj) {
        Map<String, String> labels = obj.getMetadata().getLabels();
        String service = labels == null ? null : labels.get(KubernetesLabelSets.SERVICE_NAME_LABEL);
        return service == null ? null : MetaLabels.key(obj.getMetadata().getNamespace(), service);
    }

    @Override
    List<Labels> labelSets(EndpointSlice obj, Labels service, Function<ObjectReference, PodMeta> pods) {
        return KubernetesLabelSets.endpointSlice(obj, service, pods);
    }

    @Override
    List<EndpointSlice> findByService(String namespace, String name) {
        String selector = KubernetesLabelSets.SERVICE_NAME_LABEL + "=" + name
                + (labelSelector == null ? "" : "," + labelSelector);
        var op = client.resources(EndpointSlice.class).inNamespace(namespace).withLabelSelector(selector);
        return FieldSelector.apply(op, fieldSelector).list().getItems();
    }
}
