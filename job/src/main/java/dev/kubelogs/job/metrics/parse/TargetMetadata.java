package dev.kubelogs.job.metrics.parse;

import dev.kubelogs.job.metrics.model.MetricType;
import java.util.HashMap;
import java.util.Map;

/**
 * The metadata one target's scrapes have named — the one store of it: this scrape's {@code # TYPE}, {@code # HELP}
 * and {@code # UNIT} lines and what the earlier scrapes left — kept across its scrapes as Prometheus' scrape cache
 * keeps it ({@code scrape/scrape.go} {@code scrapeCache.setType}/{@code setHelp}/{@code setUnit} and
 * {@code iterDone(flushCache)}, Prometheus 3.4.1, which the CloudWatch agent's go.mod names as v0.304.1).
 *
 * <p>Every scrape is one iteration, whatever its outcome ({@code iterDone} ends with {@code c.iter++} since
 * prometheus/prometheus#16174). Entries are deleted only by a flush, which only a successful scrape with a non-empty
 * body makes ({@code scrapeLoop.append} calls {@code iterDone(true)} from its deferred function when it returns no
 * error; an empty body, a failed request and a body that failed after it was read end with {@code iterDone(false)}):
 * it deletes the entries last named more than 10 iterations before ("Keep metadata around for 10 scrapes after its
 * metric disappeared"). The agent types a scrape's samples after that flush: its appender hands the batch over on
 * {@code Commit}, which {@code scrapeAndReport} calls after {@code append} returned, and the agent's handler
 * goroutine looks the types up then ({@code plugins/inputs/prometheus/metrics_handler.go} {@code handle},
 * {@code metrics_type_handler.go} {@code Handle} through {@code Target.GetMetadata}, which has no age check). So a
 * family named at scrape k types the samples of scrapes k to k+10 and not those of k+11, failed scrapes between them
 * or not; {@link #typeOf} answers as that look-up would after the current scrape's flush.
 *
 * <p>An entry older than that is still there until a successful scrape flushes it, and a {@code # HELP} or
 * {@code # UNIT} line for its name takes it up again with the type it had ({@code setHelp} changes only the help
 * text), so that type is seen again.
 *
 * <p>Prometheus also forces a flush when failed scrapes have grown the cache past twice its size at the last
 * successful one plus 1,000 entries; it counts the series it caches as well, which this store does not keep, so here
 * the count is the entries alone: a bound on a target whose scrapes keep failing while naming new families.
 *
 * <p>Not thread-safe: a target is scraped by one thread at a time.
 */
public final class TargetMetadata {
    /** A flush deletes an entry last named more than this many iterations before the scrape that flushes. */
    static final int KEPT_ITERATIONS = 10;

    private static final int FORCED_FLUSH_SLACK = 1000;

    private final Map<String, Entry> entries = new HashMap<>();
    private long iteration;
    private int sizeAtLastFlush;

    private static final class Entry {
        MetricType type = MetricType.UNTYPED;
        long lastSeen;
    }

    /** A {@code # TYPE} line of the current scrape ({@code setType}). */
    void typed(String family, MetricType type) {
        seen(family).type = type;
    }

    /**
     * A {@code # HELP} or {@code # UNIT} line of the current scrape ({@code setHelp}, {@code setUnit}): an entry still
     * kept keeps its type, a new one is of type unknown.
     */
    void described(String family) {
        seen(family);
    }

    private Entry seen(String family) {
        Entry e = entries.computeIfAbsent(family, f -> new Entry());
        e.lastSeen = iteration;
        return e;
    }

    /**
     * The type the agent finds for {@code family} once this scrape succeeded (UNTYPED for a name with only help or
     * unit), or null if it finds none: the entries this scrape's flush would delete are not found.
     */
    MetricType typeOf(String family) {
        Entry e = entries.get(family);
        return e == null || iteration - e.lastSeen > KEPT_ITERATIONS ? null : e.type;
    }

    /**
     * A scrape of the target ended: the next is one iteration later.
     *
     * @param flush whether the scrape succeeded with a non-empty body, Prometheus' {@code flushCache}
     */
    public void scrapeEnded(boolean flush) {
        int size = entries.size();
        if (flush) {
            sizeAtLastFlush = size;
        }
        boolean forced = !flush && size > 2 * sizeAtLastFlush + FORCED_FLUSH_SLACK;
        if (flush || forced) {
            entries.values().removeIf(e -> iteration - e.lastSeen > KEPT_ITERATIONS);
        }
        iteration++;
    }
}
