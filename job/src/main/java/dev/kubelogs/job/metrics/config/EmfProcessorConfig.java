package dev.kubelogs.job.metrics.config;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/** {@code emf_processor}: namespace (default {@code ContainerInsights/Prometheus}), units and declarations. */
public record EmfProcessorConfig(
        String metricNamespace, Map<String, String> metricUnit, List<MetricDeclaration> metricDeclarations)
        implements Serializable {}
