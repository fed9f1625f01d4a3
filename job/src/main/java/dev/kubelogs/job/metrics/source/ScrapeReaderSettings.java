package dev.kubelogs.job.metrics.source;

import java.io.Serializable;

/**
 * How a reader scrapes.
 *
 * @param scrapeThreads scrapes in flight at once per reader (each holds a thread until its deadline)
 * @param bodySizeLimit the largest body accepted per scrape, in bytes (compressed and uncompressed)
 * @param scrapesPerTarget 0: scrape for ever; n: scrape each target n times, then the source ends (demos, tests)
 */
public record ScrapeReaderSettings(int scrapeThreads, long bodySizeLimit, int scrapesPerTarget)
        implements Serializable {
    public ScrapeReaderSettings(int scrapeThreads, long bodySizeLimit) {
        this(scrapeThreads, bodySizeLimit, 0);
    }

    public boolean bounded() {
        return scrapesPerTarget > 0;
    }

    public ScrapeReaderSettings {
        if (scrapesPerTarget < 0) {
            throw new IllegalArgumentException("scrapesPerTarget must be 0 or more, was " + scrapesPerTarget);
        }
        if (scrapeThreads < 1) {
            throw new IllegalArgumentException("scrapeThreads must be at least 1, was " + scrapeThreads);
        }
        if (bodySizeLimit < 1 || bodySizeLimit > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("bodySizeLimit must be between 1 byte and 2 GB, was " + bodySizeLimit);
        }
    }
}
