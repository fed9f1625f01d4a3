package dev.kubelogs.job.metrics.scrape;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Lets a message through at most once per interval per target and key, and says how many were held back in between.
 * Not thread-safe.
 */
final class LogLimiter {
    static final long SUPPRESSED = -1;

    private final long intervalMs;
    private final LongSupplier clockMs;
    /** Per target id, per key: {last logged at, held back since}. */
    private final Map<String, Map<String, long[]>> state = new HashMap<>();

    LogLimiter(long intervalMs, LongSupplier clockMs) {
        this.intervalMs = intervalMs;
        this.clockMs = clockMs;
    }

    /** {@link #SUPPRESSED}, or how many messages of this target and key were held back since the last one logged. */
    long admit(String targetId, String key) {
        long now = clockMs.getAsLong();
        Map<String, long[]> perKey = state.computeIfAbsent(targetId, k -> new HashMap<>());
        long[] s = perKey.get(key);
        if (s == null) {
            perKey.put(key, new long[] {now, 0});
            return 0;
        }
        if (now - s[0] >= intervalMs) {
            long heldBack = s[1];
            s[0] = now;
            s[1] = 0;
            return heldBack;
        }
        s[1]++;
        return SUPPRESSED;
    }

    void forget(String targetId) {
        state.remove(targetId);
    }
}
