package dev.kubelogs.job.metrics.scrape;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts every scrape outcome and every dropped sample in the {@code metrics_scrape} metric group
 * ({@code scrapes_<reason>}, {@code dropped_<reason>}, {@code groups}), and logs a failure or a drop at most once a
 * minute per target and reason, saying how many were not logged in between. Not thread-safe: the reader calls it
 * from its task thread.
 */
public final class ScrapeMetrics {
    public static final String GROUP = "metrics_scrape";
    static final long LOG_INTERVAL_MS = 60_000;
    private static final Logger LOG = LoggerFactory.getLogger(ScrapeMetrics.class);

    private final Counter[] scrapes = new Counter[ScrapeReason.values().length];
    private final Counter[] dropped = new Counter[SampleDropReason.values().length];
    private final Counter groups;
    private final LongSupplier clockMs;
    /** Per target id, per reason key: when it was last logged and how often it happened since. */
    private final Map<String, Map<String, long[]>> logged = new HashMap<>();

    public ScrapeMetrics(MetricGroup parent, LongSupplier clockMs) {
        MetricGroup group = parent.addGroup(GROUP);
        for (ScrapeReason r : ScrapeReason.values()) {
            scrapes[r.ordinal()] = group.counter("scrapes_" + r.id());
        }
        for (SampleDropReason r : SampleDropReason.values()) {
            dropped[r.ordinal()] = group.counter("dropped_" + r.id());
        }
        groups = group.counter("groups");
        this.clockMs = clockMs;
    }

    public void record(ScrapeOutcome outcome) {
        scrapes[outcome.reason().ordinal()].inc();
        groups.inc(outcome.groups().size());
        String id = outcome.target().id();
        if (!outcome.isOk()) {
            String what = outcome.reason().id() + (outcome.httpStatus() > 0 ? " " + outcome.httpStatus() : "");
            logLimited(id, outcome.reason().id(), (suppressed) -> LOG.warn(
                    "Scrape of {} (job {}) failed: {}: {}{}", outcome.target().url(), outcome.target().jobName(),
                    what, outcome.detail(), suppressedNote(suppressed)));
        }
        outcome.droppedSamples().forEach((reason, count) -> {
            dropped[reason.ordinal()].inc(count);
            logLimited(id, "dropped_" + reason.id(), (suppressed) -> LOG.warn(
                    "Scrape of {} (job {}) dropped {} sample(s): {}{}", outcome.target().url(),
                    outcome.target().jobName(), count, reason.id(), suppressedNote(suppressed)));
        });
    }

    /** Forgets a target's log times (it was removed from this reader). */
    public void forget(String targetId) {
        logged.remove(targetId);
    }

    private void logLimited(String targetId, String key, java.util.function.LongConsumer log) {
        long now = clockMs.getAsLong();
        long[] state = logged.computeIfAbsent(targetId, k -> new HashMap<>()).get(key);
        if (state == null) {
            logged.get(targetId).put(key, new long[] {now, 0});
            log.accept(0);
        } else if (now - state[0] >= LOG_INTERVAL_MS) {
            log.accept(state[1]);
            state[0] = now;
            state[1] = 0;
        } else {
            state[1]++;
        }
    }

    private static String suppressedNote(long suppressed) {
        return suppressed == 0 ? "" : " (" + suppressed + " more time(s) since the last log line)";
    }
}
