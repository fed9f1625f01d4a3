package dev.kubelogs.job.metrics.discovery;

import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.ScrapeTarget;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one source object's discovered label sets into the scrape job's targets through the target builder, keeps
 * only the sources that have kept targets, and tells the listener when a source's targets change. A label set the
 * builder rejects (it throws) is counted and logged at most once a minute.
 */
final class TargetPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(TargetPublisher.class);
    private static final long LOG_INTERVAL_NANOS = 60_000_000_000L;

    private final String jobName;
    private final Function<Labels, ScrapeTarget> targetBuilder;
    private final TargetListener listener;
    private final Map<String, List<ScrapeTarget>> targets = new HashMap<>();
    private final AtomicLong invalidTargets = new AtomicLong();
    private long lastInvalidLog = System.nanoTime() - LOG_INTERVAL_NANOS;

    TargetPublisher(String jobName, Function<Labels, ScrapeTarget> targetBuilder, TargetListener listener) {
        this.jobName = jobName;
        this.targetBuilder = targetBuilder;
        this.listener = listener;
    }

    /**
     * Sets the targets of {@code source} from its label sets.
     *
     * @return whether the source has kept targets now
     */
    synchronized boolean publish(String source, List<Labels> labelSets) {
        Map<String, ScrapeTarget> kept = new LinkedHashMap<>();
        for (Labels labels : labelSets) {
            ScrapeTarget target = build(source, labels);
            if (target != null) {
                // equal labels make one target, as in Prometheus' scrape pool: the first one stays
                kept.putIfAbsent(target.id(), target);
            }
        }
        List<ScrapeTarget> now = List.copyOf(kept.values());
        List<ScrapeTarget> before = now.isEmpty() ? targets.remove(source) : targets.put(source, now);
        if (!now.equals(before == null ? List.of() : before)) {
            listener.targetsChanged(jobName, source, now);
        }
        return !now.isEmpty();
    }

    /** The source is gone: its targets too. */
    synchronized void remove(String source) {
        if (targets.remove(source) != null) {
            listener.targetsChanged(jobName, source, List.of());
        }
    }

    synchronized boolean has(String source) {
        return targets.containsKey(source);
    }

    synchronized int sources() {
        return targets.size();
    }

    synchronized List<ScrapeTarget> all() {
        List<ScrapeTarget> all = new ArrayList<>();
        targets.values().forEach(all::addAll);
        return all;
    }

    long invalidTargets() {
        return invalidTargets.get();
    }

    private ScrapeTarget build(String source, Labels labels) {
        try {
            return targetBuilder.apply(labels);
        } catch (RuntimeException e) {
            invalidTargets.incrementAndGet();
            long now = System.nanoTime();
            if (now - lastInvalidLog >= LOG_INTERVAL_NANOS) {
                lastInvalidLog = now;
                LOG.warn(
                        "Scrape job {}: {} gave an invalid target {} ({} invalid targets so far): {}",
                        jobName,
                        source,
                        labels,
                        invalidTargets.get(),
                        e.getMessage());
            }
            return null;
        }
    }
}
