package dev.kubelogs.job.metrics.parse;

import dev.kubelogs.job.metrics.model.MetricType;
import java.util.HashMap;
import java.util.Map;

/**
 * The metadata one target's scrapes have named, kept across its scrapes as Prometheus' scrape cache keeps it
 * ({@code scrape/scrape.go}, {@code scrapeCache.setType}/{@code setHelp}/{@code setUnit} and {@code iterDone},
 * Prometheus 3.4 as the CloudWatch agent builds it). The agent types a sample from that cache
 * ({@code plugins/inputs/prometheus/metrics_type_handler.go}, {@code Target.GetMetadata}), so a name still has its type
 * after its {@code # TYPE} line left the target's output: for the scrape that named it and the next 10 ("Keep metadata
 * around for 10 scrapes after its metric disappeared"). Every scrape counts, failed ones too (Prometheus 3.3 and later
 * end every scrape with {@code iter++}, prometheus/prometheus#16174); a successful one deletes the older entries, which
 * no lookup sees any more. A scrape that fails after its body was read (a parse error, {@code sample_limit}) keeps the
 * metadata lines it read, as Prometheus' parser had already stored them.
 *
 * <p>Not thread-safe: a target is scraped by one thread at a time.
 */
public final class TargetMetadata {
    /** An entry is seen while the scrape iteration is at most this past the one that last named it. */
    static final int KEPT_ITERATIONS = 10;

    private final Map<String, Entry> entries = new HashMap<>();
    private long iteration;

    private static final class Entry {
        MetricType type = MetricType.UNTYPED;
        long lastSeen;
    }

    /** A {@code # TYPE} line of the current scrape. */
    void typed(String family, MetricType type) {
        seen(family).type = type;
    }

    /** A {@code # HELP} or {@code # UNIT} line of the current scrape: a new entry is of type unknown. */
    void described(String family) {
        seen(family);
    }

    private Entry seen(String family) {
        Entry e = entries.computeIfAbsent(family, f -> new Entry());
        e.lastSeen = iteration;
        return e;
    }

    /** The type kept for {@code family} (UNTYPED for a name with only help or unit), or null if none is kept. */
    MetricType typeOf(String family) {
        Entry e = entries.get(family);
        return e == null || iteration - e.lastSeen > KEPT_ITERATIONS ? null : e.type;
    }

    /** A scrape of the target ended, whatever its outcome: the next is one iteration later. */
    public void scrapeEnded() {
        entries.values().removeIf(e -> iteration - e.lastSeen > KEPT_ITERATIONS);
        iteration++;
    }
}
