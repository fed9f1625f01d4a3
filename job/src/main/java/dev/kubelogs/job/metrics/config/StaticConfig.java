package dev.kubelogs.job.metrics.config;

import dev.kubelogs.job.metrics.model.Labels;
import java.io.Serializable;
import java.util.List;

/** One {@code static_configs} entry: addresses ({@code host:port}) and the labels they all get. */
public record StaticConfig(List<String> targets, Labels labels) implements Serializable {}
