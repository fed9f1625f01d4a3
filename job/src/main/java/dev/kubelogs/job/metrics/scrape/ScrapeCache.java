package dev.kubelogs.job.metrics.scrape;

import dev.kubelogs.job.metrics.parse.BodyTemplate;

/**
 * What one target's scrapes keep for the next one, as Prometheus' per-target scrape cache: its last body without the
 * values ({@link BodyTemplate}), so a body that repeats it but for the values is read by its values alone, and the
 * {@link SeriesLayout} of its last processed scrape, so a scrape that repeats its series in the same order skips their
 * labeling, relabeling and grouping. Bounded by one body and one scrape's series; the layout is replaced by every
 * scrape that does not repeat them and dropped by one that fails, the body by every body read in full. One scrape of a
 * target at a time uses it.
 */
public final class ScrapeCache {
    private final BodyTemplate body;
    private SeriesLayout layout;

    public ScrapeCache() {
        this(new BodyTemplate());
    }

    private ScrapeCache(BodyTemplate body) {
        this.body = body;
    }

    /** A cache that keeps the layout alone and reads every body in full: the arm to compare against. */
    public static ScrapeCache layoutOnly() {
        return new ScrapeCache(null);
    }

    /** The target's last body, or null when this cache keeps none. */
    BodyTemplate body() {
        return body;
    }

    SeriesLayout layout() {
        return layout;
    }

    void keep(SeriesLayout kept) {
        layout = kept;
    }
}
