package dev.kubelogs.job.metrics.emf;

import java.util.List;

/**
 * One metric directive of an event: the dimension sets (each sorted, every name a label of the event) and the
 * names of the metrics they apply to.
 */
public record Directive(List<List<String>> dimensionSets, List<String> metricNames) {}
