package dev.kubelogs.job.metrics.config;

import java.io.Serializable;
import java.util.List;

/**
 * One {@code kubernetes_sd_configs} entry. {@code namespaces} empty means all namespaces (with
 * {@code ownNamespace} false). {@code labelSelector}/{@code fieldSelector} come from {@code selectors} for this
 * entry's role, null when unset. {@code apiServer} null means in-cluster (or the client's usual configuration).
 */
public record KubernetesSdConfig(
        KubernetesRole role,
        List<String> namespaces,
        boolean ownNamespace,
        String labelSelector,
        String fieldSelector,
        String apiServer)
        implements Serializable {}
