package dev.kubelogs.job.metrics.config;

import java.io.Serializable;

/**
 * The agent's {@code cwagentconfig.json}, its {@code logs.metrics_collected.prometheus} part: cluster name (null:
 * from the job's {@code --cluster}), log group (null: {@code /aws/containerinsights/<cluster>/prometheus}), the path of
 * {@code prometheus.yaml}, and the EMF processor.
 */
public record CloudWatchAgentConfig(
        String clusterName, String logGroupName, String prometheusConfigPath, EmfProcessorConfig emfProcessor)
        implements Serializable {}
