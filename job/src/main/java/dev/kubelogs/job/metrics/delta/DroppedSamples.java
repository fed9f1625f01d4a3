package dev.kubelogs.job.metrics.delta;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts each sample the delta stage drops by {@link DropReason} and logs it at most once a minute per log stream
 * and reason, with how many more were dropped since: an exporter sending NaN every scrape must not flood the log.
 */
final class DroppedSamples {
    private static final Logger LOG = LoggerFactory.getLogger(DroppedSamples.class);
    static final long LOG_INTERVAL_NANOS = 60_000_000_000L;
    private static final int MAX_REMEMBERED = 10_000;

    private final Map<DropReason, Counter> counters = new EnumMap<>(DropReason.class);
    private final LongSupplier nanoClock;
    private final Map<String, long[]> lastLoggedAndSuppressed = new HashMap<>();

    DroppedSamples(MetricGroup metrics, LongSupplier nanoClock) {
        for (DropReason reason : DropReason.values()) {
            counters.put(reason, metrics.counter("samplesDropped_" + reason.id()));
        }
        this.nanoClock = nanoClock;
    }

    void drop(DropReason reason, String logStream, Object labels, String metric) {
        counters.get(reason).inc();
        String key = reason.id() + '|' + logStream;
        long now = nanoClock.getAsLong();
        long[] last = lastLoggedAndSuppressed.get(key);
        if (last != null && now - last[0] < LOG_INTERVAL_NANOS) {
            last[1]++;
            return;
        }
        if (lastLoggedAndSuppressed.size() >= MAX_REMEMBERED) {
            lastLoggedAndSuppressed.clear();
        }
        long suppressed = last == null ? 0 : last[1];
        lastLoggedAndSuppressed.put(key, new long[] {now, 0});
        String format = "Metrics delta: dropped sample {}{} of log stream {} ({}); {} more dropped for this reason "
                + "and stream since the last message";
        if (reason.warning()) {
            LOG.warn(format, metric, labels, logStream, reason.id(), suppressed);
        } else {
            LOG.info(format, metric, labels, logStream, reason.id(), suppressed);
        }
    }
}
