package dev.kubelogs.job.metrics;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/**
 * Settings of the metrics pipeline (the CloudWatch agent's Prometheus half). It runs when
 * {@link #PROMETHEUS_CONFIG} is set; everything else about it comes from the agent's own two files.
 */
public final class MetricsConfigOptions {
    private MetricsConfigOptions() {}

    /** The value of {@link #PROMETHEUS_CONFIG} that selects the agent's EKS defaults shipped in the jar. */
    public static final String SHIPPED_DEFAULTS = "default";

    public static final ConfigOption<String> PROMETHEUS_CONFIG = ConfigOptions.key("kubelogs.metrics.prometheus-config")
            .stringType()
            .noDefaultValue()
            .withDescription("The CloudWatch agent's cwagentconfig.json, or the directory holding it (its "
                    + "prometheus_config_path names prometheus.yaml; relative paths are resolved against that directory, "
                    + "and without the key the directory's prometheus.yaml is read), or '" + SHIPPED_DEFAULTS
                    + "' for the agent's EKS defaults. Unset: no metrics pipeline.");

    public static final ConfigOption<String> CLUSTER_NAME = ConfigOptions.key("kubelogs.metrics.cluster-name")
            .stringType()
            .noDefaultValue()
            .withDescription("The cluster name for ClusterName and the log group when cwagentconfig.json has no "
                    + "cluster_name (then $K8S_CLUSTER_NAME, as the agent).");

    public static final ConfigOption<Boolean> DROP_UNDECLARED_METRICS = ConfigOptions.key(
                    "kubelogs.metrics.drop-undeclared")
            .booleanType()
            .defaultValue(false)
            .withDescription(
                    "Leave metrics no metric_declaration selects out of the log group (the agent writes them all "
                            + "as plain fields, which costs log ingestion).");
}
