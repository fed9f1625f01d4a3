package dev.kubelogs.job.metrics.scrape;

import dev.kubelogs.job.metrics.parse.BodyTemplate;
import java.util.List;

/**
 * What one target's scrapes keep for the next one, as Prometheus' per-target scrape cache: its last body without the
 * values ({@link BodyTemplate}), so a body that repeats it but for the values is read by its values alone, and the
 * {@link SeriesLayout} of its last processed scrape, so a scrape that repeats its series in the same order skips their
 * labeling, relabeling and grouping. Bounded by one body and one scrape's series; the layout is replaced by every
 * scrape that does not repeat them and dropped by one that fails, the body by every body read in full. Also the
 * request address of a target URL that names its host, parsed at its first scrape. One scrape of a target at a time
 * uses it.
 */
public final class ScrapeCache {
    private final BodyTemplate body;
    private SeriesLayout layout;
    /** The URL {@link #addresses} were parsed from; null: none kept. */
    private String addressedUrl;

    private List<RequestAddress> addresses;

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

    /**
     * {@link RequestAddress#of}, kept while the URL stays the same when it names its host: then the address is the
     * URL itself whenever it is scraped. A host that needs a look-up is looked up at every scrape, as Go's dialer
     * does, and a URL that fails fails at every scrape.
     */
    List<RequestAddress> addresses(String url, HostResolver resolver) throws ScrapeFailure {
        if (url.equals(addressedUrl)) {
            return addresses;
        }
        List<RequestAddress> parsed = RequestAddress.of(url, resolver);
        if (parsed.size() == 1 && parsed.get(0).tlsName() == null) {
            addressedUrl = url;
            addresses = parsed;
        } else {
            addressedUrl = null;
            addresses = null;
        }
        return parsed;
    }
}
