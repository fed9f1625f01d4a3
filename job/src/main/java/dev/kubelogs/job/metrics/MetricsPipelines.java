package dev.kubelogs.job.metrics;

import dev.kubelogs.job.metrics.delta.DeltaCalculator;
import dev.kubelogs.job.metrics.emf.EmfEventBuilder;
import dev.kubelogs.job.metrics.source.ScrapeSource;
import dev.kubelogs.job.metrics.source.ScrapeSourceConfigOptions;
import dev.kubelogs.job.metrics.source.TargetDiscoveryFactory;
import dev.kubelogs.job.sink.cloudwatch.CloudWatchLogsSink;
import org.apache.flink.configuration.ReadableConfig;

/** Builds the metrics pipeline from the job's settings and the agent's files, around a given sink. */
public final class MetricsPipelines {
    private MetricsPipelines() {}

    public static MetricsPipeline create(ReadableConfig settings, MetricsSetup setup, CloudWatchLogsSink sink) {
        ScrapeSource source = new ScrapeSource(
                setup.prometheus().scrapeConfigs(), discovery(setup), ScrapeSourceConfigOptions.settings(settings));
        EmfEventBuilder.Builder emf = EmfEventBuilder.builder(setup.clusterName())
                .agentConfig(setup.agent())
                .logGroupName(setup.logGroup())
                .emitUndeclared(!settings.get(MetricsConfigOptions.DROP_UNDECLARED_METRICS));
        emf.build(); // a setting the EMF stage refuses fails here, when the job is built, not in a task
        return new MetricsPipeline(source, DeltaCalculator.of(settings), emf, sink);
    }

    static TargetDiscoveryFactory discovery(MetricsSetup setup) {
        return new JobTargetDiscoveryFactory(setup.prometheus().scrapeConfigs());
    }
}
