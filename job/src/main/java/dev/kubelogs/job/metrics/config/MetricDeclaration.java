package dev.kubelogs.job.metrics.config;

import java.io.Serializable;
import java.util.List;

/**
 * One {@code emf_processor.metric_declaration[]} entry: the {@code source_labels} values joined with
 * {@code labelSeparator} ({@code ;} when null or empty) must match {@code labelMatcher} (unanchored; {@code .*} when
 * null or empty), the metric name one of {@code metricSelectors} (unanchored); with no source labels it applies to
 * every event (the exporter's declaration without a label matcher; the agent's file reader never makes one);
 * {@code dimensions} are the dimension sets it contributes.
 */
public record MetricDeclaration(
        List<String> sourceLabels,
        String labelSeparator,
        String labelMatcher,
        List<String> metricSelectors,
        List<List<String>> dimensions)
        implements Serializable {}
