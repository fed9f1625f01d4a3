package dev.kubelogs.job.metrics.config;

import java.io.Serializable;
import java.util.List;

/**
 * One {@code emf_processor.metric_declaration[]} entry: the {@code source_labels} values joined with
 * {@code labelSeparator} must match {@code labelMatcher} (unanchored, default {@code .*}), the metric name one of
 * {@code metricSelectors} (unanchored); {@code dimensions} are the dimension sets it contributes.
 */
public record MetricDeclaration(
        List<String> sourceLabels,
        String labelSeparator,
        String labelMatcher,
        List<String> metricSelectors,
        List<List<String>> dimensions)
        implements Serializable {}
