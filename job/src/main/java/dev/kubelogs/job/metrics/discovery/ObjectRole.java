package dev.kubelogs.job.metrics.discovery;

import dev.kubelogs.job.metrics.model.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.function.Function;

/** Roles pod, service and node: an object's targets depend on that object alone. */
final class ObjectRole<T extends HasMetadata> implements ObjectSubscriber<T> {
    private final String sourcePrefix;
    private final Function<T, List<Labels>> labelSets;
    private final TargetPublisher publisher;

    ObjectRole(String sourcePrefix, Function<T, List<Labels>> labelSets, TargetPublisher publisher) {
        this.sourcePrefix = sourcePrefix;
        this.labelSets = labelSets;
        this.publisher = publisher;
    }

    @Override
    public boolean upsert(T obj) {
        return publisher.publish(source(obj), labelSets.apply(obj));
    }

    @Override
    public void delete(T obj) {
        publisher.remove(source(obj));
    }

    private String source(T obj) {
        return sourcePrefix
                + MetaLabels.key(
                        obj.getMetadata().getNamespace(), obj.getMetadata().getName());
    }
}
