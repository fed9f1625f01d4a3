package dev.kubelogs.job.metrics.discovery;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * One list/watch: a resource kind in one namespace (null = all namespaces), with the label and field selectors
 * passed to the API server (null = none). Subscribers asking for equal keys share one watch.
 */
record InformerKey<T extends HasMetadata>(Class<T> type, String namespace, String labelSelector, String fieldSelector) {

    @Override
    public String toString() {
        return type.getSimpleName()
                + (namespace == null ? " in all namespaces" : " in namespace " + namespace)
                + (labelSelector == null ? "" : " labels " + labelSelector)
                + (fieldSelector == null ? "" : " fields " + fieldSelector);
    }
}
