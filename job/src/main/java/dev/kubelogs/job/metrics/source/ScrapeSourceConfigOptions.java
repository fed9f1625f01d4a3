package dev.kubelogs.job.metrics.source;

import dev.kubelogs.job.config.ConfigChecks;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.ReadableConfig;

/** Settings of the scrape source's readers. */
public final class ScrapeSourceConfigOptions {
    private ScrapeSourceConfigOptions() {}

    static final MemorySize MAX_BODY_SIZE_LIMIT = MemorySize.parse("1gb");

    public static final ConfigOption<Integer> SCRAPE_THREADS = ConfigOptions.key("kubelogs.metrics.scrape.threads")
            .intType()
            .defaultValue(8)
            .withDescription("Scrapes in flight at once per reader; a slow target holds one until its scrape_timeout.");

    public static final ConfigOption<MemorySize> BODY_SIZE_LIMIT = ConfigOptions.key(
                    "kubelogs.metrics.scrape.body-size-limit")
            .memoryType()
            .defaultValue(MemorySize.parse("64mb"))
            .withDescription("Largest scrape body accepted, compressed and uncompressed; a larger one fails"
                    + " the scrape (counted as body_too_large). At most 1gb.");

    public static final ConfigOption<Integer> SCRAPES_PER_TARGET = ConfigOptions.key(
                    "kubelogs.metrics.scrape.scrapes-per-target")
            .intType()
            .defaultValue(0)
            .withDescription("0: scrape for ever. n: scrape each target n times, then the metrics source ends"
                    + " (demos and tests that run the job to its end; static_configs only).");

    /** The reader settings these options describe; a value out of range is an error naming the option. */
    public static ScrapeReaderSettings settings(ReadableConfig config) {
        int threads = ConfigChecks.atLeast(config, SCRAPE_THREADS, 1);
        MemorySize limit = config.get(BODY_SIZE_LIMIT);
        if (limit.getBytes() < 1 || limit.compareTo(MAX_BODY_SIZE_LIMIT) > 0) {
            throw ConfigChecks.invalid(BODY_SIZE_LIMIT, "must be between 1 byte and " + MAX_BODY_SIZE_LIMIT, limit);
        }
        return new ScrapeReaderSettings(threads, limit.getBytes(), ConfigChecks.atLeast(config, SCRAPES_PER_TARGET, 0));
    }
}
