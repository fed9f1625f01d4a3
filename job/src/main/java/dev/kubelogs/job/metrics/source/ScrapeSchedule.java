package dev.kubelogs.job.metrics.source;

/**
 * When a target is scraped: every interval, at a fixed offset within the interval derived from the target's id, so a
 * reader's scrapes are spread over the interval (as Prometheus spreads them) and a target moved to another reader
 * keeps its rhythm.
 */
final class ScrapeSchedule {
    private ScrapeSchedule() {}

    /** The first scrape time after {@code nowMs} (exclusive) on the target's grid. */
    static long nextScrapeMs(String targetId, long intervalMs, long nowMs) {
        long offset = Math.floorMod(mix(targetId.hashCode()), intervalMs);
        long slot = nowMs - Math.floorMod(nowMs - offset, intervalMs);
        return slot <= nowMs ? slot + intervalMs : slot;
    }

    /** Spreads String.hashCode's bits (specified by the JDK, so the same on every reader). */
    private static long mix(int h) {
        long z = h * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        return z ^ (z >>> 31);
    }
}
