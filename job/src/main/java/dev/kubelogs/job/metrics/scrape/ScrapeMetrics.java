package dev.kubelogs.job.metrics.scrape;

import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts every scrape outcome and every dropped sample in the {@code metrics_scrape} metric group
 * ({@code scrapes_<reason>}, {@code dropped_<reason>}, {@code groups}), and logs a failure or a drop at most once a
 * minute per target and reason, saying how many were not logged in between. Not thread-safe: the reader calls it
 * from its task thread; only {@link #skippedBehind} is called by the scrape threads.
 */
public final class ScrapeMetrics {
    public static final String GROUP = "metrics_scrape";
    static final long LOG_INTERVAL_MS = 60_000;
    private static final Logger LOG = LoggerFactory.getLogger(ScrapeMetrics.class);

    private final Counter[] scrapes = new Counter[ScrapeReason.values().length];
    private final Counter[] dropped = new Counter[SampleDropReason.values().length];
    private final Counter groups;
    private final Counter skippedBehind;
    private final LogLimiter logLimiter;

    public ScrapeMetrics(MetricGroup parent, LongSupplier clockMs) {
        MetricGroup group = parent.addGroup(GROUP);
        for (ScrapeReason r : ScrapeReason.values()) {
            scrapes[r.ordinal()] = group.counter("scrapes_" + r.id());
        }
        for (SampleDropReason r : SampleDropReason.values()) {
            dropped[r.ordinal()] = group.counter("dropped_" + r.id());
        }
        groups = group.counter("groups");
        skippedBehind = group.counter("scrapes_skipped_behind", new ThreadSafeSimpleCounter());
        this.logLimiter = new LogLimiter(LOG_INTERVAL_MS, clockMs);
    }

    public void record(ScrapeOutcome outcome) {
        scrapes[outcome.reason().ordinal()].inc();
        groups.inc(outcome.groups().size());
        String id = outcome.target().id();
        if (!outcome.isOk()) {
            String what = outcome.reason().id() + (outcome.httpStatus() > 0 ? " " + outcome.httpStatus() : "");
            logLimited(
                    id,
                    outcome.reason().id(),
                    suppressed -> LOG.warn(
                            "Scrape of {} (job {}) failed: {}: {}{}",
                            outcome.target().url(),
                            outcome.target().jobName(),
                            what,
                            outcome.detail(),
                            suppressedNote(suppressed)));
        }
        outcome.droppedSamples().forEach((reason, count) -> {
            dropped[reason.ordinal()].inc(count);
            logLimited(
                    id,
                    "dropped_" + reason.id(),
                    suppressed -> LOG.warn(
                            "Scrape of {} (job {}) dropped {} sample(s): {}{}",
                            outcome.target().url(),
                            outcome.target().jobName(),
                            count,
                            reason.id(),
                            suppressedNote(suppressed)));
        });
    }

    /**
     * A scrape not made because the target's previous one was not emitted yet (the pipeline is behind). Thread-safe:
     * the scrape threads count it.
     */
    public void skippedBehind() {
        skippedBehind.inc();
    }

    /** Forgets a target's log times (it was removed from this reader). */
    public void forget(String targetId) {
        logLimiter.forget(targetId);
    }

    private void logLimited(String targetId, String key, LongConsumer log) {
        long heldBack = logLimiter.admit(targetId, key);
        if (heldBack != LogLimiter.SUPPRESSED) {
            log.accept(heldBack);
        }
    }

    private static String suppressedNote(long suppressed) {
        return suppressed == 0 ? "" : " (" + suppressed + " more time(s) since the last log line)";
    }
}
