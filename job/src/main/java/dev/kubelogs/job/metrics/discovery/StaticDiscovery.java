package dev.kubelogs.job.metrics.discovery;

import dev.kubelogs.job.metrics.config.StaticConfig;
import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.ScrapeTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code static_configs} of one scrape job: each entry is one source ({@code static/<index>}) whose label sets are
 * the entry's labels with {@code __address__} set to each of its targets, handed to the same target builder as the
 * Kubernetes ones.
 */
public final class StaticDiscovery implements AutoCloseable {
    private final String jobName;
    private final List<StaticConfig> configs;
    private final TargetPublisher publisher;

    public StaticDiscovery(
            String jobName,
            List<StaticConfig> configs,
            Function<Labels, ScrapeTarget> targetBuilder,
            TargetListener listener) {
        this.jobName = jobName;
        this.configs = List.copyOf(configs);
        this.publisher = new TargetPublisher(jobName, targetBuilder, listener);
    }

    /** Publishes every entry's targets, once. */
    public void start() {
        for (int i = 0; i < configs.size(); i++) {
            StaticConfig config = configs.get(i);
            Labels group = config.labels() == null ? Labels.EMPTY : config.labels();
            List<Labels> sets = new ArrayList<>();
            for (String address : config.targets()) {
                sets.add(group.with(MetaLabels.ADDRESS, address));
            }
            publisher.publish(source(i), sets);
        }
    }

    public List<ScrapeTarget> targets() {
        return publisher.all();
    }

    /** Label sets the target builder rejected. */
    public long invalidTargets() {
        return publisher.invalidTargets();
    }

    /** Takes the targets back: each entry's source becomes empty. */
    @Override
    public void close() {
        for (int i = 0; i < configs.size(); i++) {
            publisher.remove(source(i));
        }
    }

    private static String source(int index) {
        return "static/" + index;
    }

    @Override
    public String toString() {
        return "StaticDiscovery[" + jobName + "]";
    }
}
