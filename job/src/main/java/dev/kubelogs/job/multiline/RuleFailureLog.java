package dev.kubelogs.job.multiline;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts every line a user rule set gave up on and logs it as a WARN at most once a minute per rule set and
 * container, with how many more it gave up on since: a hostile rule on a busy pod must not flood the log.
 */
final class RuleFailureLog {
    private static final Logger LOG = LoggerFactory.getLogger(RuleFailureLog.class);
    static final long WARN_INTERVAL_NANOS = 60_000_000_000L;

    private final Counter counter;
    private final LongSupplier nanoClock;
    private final Map<String, long[]> lastWarnedAndSuppressed = new HashMap<>();

    RuleFailureLog(Counter counter) {
        this(counter, System::nanoTime);
    }

    RuleFailureLog(Counter counter, LongSupplier nanoClock) {
        this.counter = counter;
        this.nanoClock = nanoClock;
    }

    /**
     * Counts one line given up on; {@code where} names the node and container, e.g. "node ip-10-0-1-2, pod
     * shop/orders-1, container orders". True when it was logged, false when the warning was held back.
     */
    boolean gaveUp(String where, RuleBudgetExceededException e) {
        counter.inc();
        String key = e.ruleSet() + "|" + where;
        long now = nanoClock.getAsLong();
        long[] state = lastWarnedAndSuppressed.get(key);
        if (state != null && now - state[0] < WARN_INTERVAL_NANOS) {
            state[1]++;
            return false;
        }
        if (lastWarnedAndSuppressed.size() > 10_000) {
            lastWarnedAndSuppressed.clear();
        }
        long suppressed = state == null ? 0 : state[1];
        lastWarnedAndSuppressed.put(key, new long[] {now, 0});
        LOG.warn(
                "Multiline rule set '{}' ({}): regex {} gave up on a line after its step budget; the line went out "
                        + "unjoined and a pending record was flushed ({} more such lines since the last warning)",
                e.ruleSet(),
                where,
                e.regex(),
                suppressed);
        return true;
    }
}
