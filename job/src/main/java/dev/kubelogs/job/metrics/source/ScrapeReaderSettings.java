package dev.kubelogs.job.metrics.source;

import java.io.Serializable;

/**
 * How a reader scrapes.
 *
 * @param scrapeThreads scrapes in flight at once per reader (each holds a thread until its deadline)
 * @param bodySizeLimit the largest body accepted per scrape, in bytes (compressed and uncompressed)
 */
public record ScrapeReaderSettings(int scrapeThreads, long bodySizeLimit) implements Serializable {
    public ScrapeReaderSettings {
        if (scrapeThreads < 1) {
            throw new IllegalArgumentException("scrapeThreads must be at least 1, was " + scrapeThreads);
        }
        if (bodySizeLimit < 1 || bodySizeLimit > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("bodySizeLimit must be between 1 byte and 2 GB, was " + bodySizeLimit);
        }
    }
}
