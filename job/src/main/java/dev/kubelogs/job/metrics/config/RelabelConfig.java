package dev.kubelogs.job.metrics.config;

import java.io.Serializable;
import java.util.List;

/**
 * One {@code relabel_configs} / {@code metric_relabel_configs} entry, defaults applied as Prometheus does
 * (separator {@code ;}, regex {@code (.*)} — fully anchored when compiled —, replacement {@code $1}, action
 * {@code replace}).
 */
public record RelabelConfig(
        List<String> sourceLabels,
        String separator,
        String regex,
        long modulus,
        String targetLabel,
        String replacement,
        RelabelAction action)
        implements Serializable {}
