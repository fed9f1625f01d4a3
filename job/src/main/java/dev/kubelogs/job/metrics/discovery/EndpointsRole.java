package dev.kubelogs.job.metrics.discovery;

import dev.kubelogs.job.metrics.model.Labels;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.function.Function;

/** Role endpoints: an Endpoints object belongs to the service of the same namespace and name. */
final class EndpointsRole extends ServiceBackedRole<Endpoints> {
    EndpointsRole(TargetPublisher publisher, KubernetesClient client, String labelSelector, String fieldSelector) {
        super("endpoints/", publisher, client, labelSelector, fieldSelector);
    }

    @Override
    String serviceKey(Endpoints obj) {
        return MetaLabels.key(
                obj.getMetadata().getNamespace(), obj.getMetadata().getName());
    }

    @Override
    List<Labels> labelSets(Endpoints obj, Labels service, Function<ObjectReference, PodMeta> pods) {
        return KubernetesLabelSets.endpoints(obj, service, pods);
    }

    @Override
    List<Endpoints> findByService(String namespace, String name) {
        if (labelSelector == null && fieldSelector == null) {
            Endpoints found =
                    client.endpoints().inNamespace(namespace).withName(name).get();
            return found == null ? List.of() : List.of(found);
        }
        var op = client.endpoints().inNamespace(namespace).withField("metadata.name", name);
        if (labelSelector != null) {
            op = op.withLabelSelector(labelSelector);
        }
        return FieldSelector.apply(op, fieldSelector).list().getItems();
    }
}
