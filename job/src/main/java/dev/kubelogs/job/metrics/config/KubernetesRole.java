package dev.kubelogs.job.metrics.config;

/** {@code kubernetes_sd_configs[].role}. */
public enum KubernetesRole {
    POD("pod"),
    SERVICE("service"),
    ENDPOINTS("endpoints"),
    ENDPOINTSLICE("endpointslice"),
    NODE("node"),
    INGRESS("ingress");

    private final String yamlName;

    KubernetesRole(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }
}
