package dev.kubelogs.job.metrics.scrape;

/**
 * What one target's scrapes keep for the next one, as Prometheus' per-target scrape cache: the {@link SeriesLayout} of
 * its last processed scrape, so a scrape that repeats its series in the same order skips their labeling, relabeling
 * and grouping. Bounded by one scrape's series; replaced by every scrape that does not repeat them, dropped by one
 * that fails. One scrape of a target at a time uses it.
 */
public final class ScrapeCache {
    private SeriesLayout layout;

    SeriesLayout layout() {
        return layout;
    }

    void keep(SeriesLayout kept) {
        layout = kept;
    }
}
