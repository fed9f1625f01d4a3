package dev.kubelogs.job.metrics.discovery;

import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;

/** Passes a Kubernetes field selector ({@code a=b,c!=d}) to a fabric8 list/watch. */
final class FieldSelector {
    private FieldSelector() {}

    static <T, L, R> FilterWatchListDeletable<T, L, R> apply(FilterWatchListDeletable<T, L, R> op, String selector) {
        if (selector == null || selector.isBlank()) {
            return op;
        }
        for (String term : selector.split(",")) {
            String t = term.trim();
            int ne = t.indexOf("!=");
            int eq = t.indexOf('=');
            if (ne > 0) {
                op = op.withoutField(
                        t.substring(0, ne).trim(), t.substring(ne + 2).trim());
            } else if (eq > 0) {
                int valueStart = t.startsWith("==", eq) ? eq + 2 : eq + 1;
                op = op.withField(
                        t.substring(0, eq).trim(), t.substring(valueStart).trim());
            } else {
                throw new IllegalArgumentException("kubernetes_sd_configs selectors: field selector term '" + t
                        + "' of '" + selector + "' is neither key=value nor key!=value");
            }
        }
        return op;
    }
}
