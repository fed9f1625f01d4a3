package dev.kubelogs.job.metrics.discovery;

import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.ScrapeTarget;
import java.util.function.Function;

/**
 * Target builders standing in for the relabeling one: they keep the discovered labels as the target's labels, so
 * that a test sees exactly what discovery produced.
 */
final class TestTargets {
    private TestTargets() {}

    static Function<Labels, ScrapeTarget> keepAll(String job) {
        return labels ->
                new ScrapeTarget(job, "http://" + labels.get("__address__") + "/metrics", labels, 60_000, 10_000);
    }

    /** Keeps the label sets where {@code name} has {@code value}, like a relabel {@code keep} rule. */
    static Function<Labels, ScrapeTarget> keepWhere(String job, String name, String value) {
        Function<Labels, ScrapeTarget> all = keepAll(job);
        return labels -> value.equals(labels.get(name)) ? all.apply(labels) : null;
    }
}
