package dev.kubelogs.job.metrics.scrape;

import dev.kubelogs.job.metrics.config.ScrapeConfig;
import dev.kubelogs.job.metrics.config.ScrapeOptions;
import dev.kubelogs.job.metrics.model.ScrapeTarget;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import dev.kubelogs.job.metrics.parse.TargetMetadata;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Scrapes the targets of one scrape job: one HTTP exchange ({@link BodyFetcher}) with the job's TLS settings and
 * authorization, then the body through {@link ScrapeProcessor}. Every way a scrape can end is a {@link ScrapeOutcome};
 * only an interrupt escapes. Thread-safe: a reader's scrape threads share one scraper per job.
 */
public final class Scraper {
    private final ScrapeConfig job;
    private final HttpClients clients;
    private final BodyFetcher fetcher;
    private final ScrapeProcessor processor;
    private final HostResolver resolver;

    /**
     * @param job the scrape job's settings (tls_config, authorization, honor_labels, honor_timestamps,
     *     metric_relabel_configs, sample_limit, body_size_limit, label limits, enable_compression)
     * @param clients the reader's HTTP clients
     * @param bodySizeLimit the largest body the reader accepts, in bytes, uncompressed and compressed; the job's
     *     {@code body_size_limit} applies when it is smaller
     */
    public Scraper(ScrapeConfig job, HttpClients clients, long bodySizeLimit) {
        this(job, clients, bodySizeLimit, HostResolver.SYSTEM);
    }

    Scraper(ScrapeConfig job, HttpClients clients, long bodySizeLimit, HostResolver resolver) {
        this.job = job;
        this.resolver = resolver;
        this.clients = clients;
        ScrapeOptions options = job.options() == null ? ScrapeOptions.DEFAULTS : job.options();
        long jobLimit = options.bodySizeLimitBytes();
        this.fetcher = new BodyFetcher(
                jobLimit > 0 ? Math.min(jobLimit, bodySizeLimit) : bodySizeLimit, options.enableCompression());
        this.processor = new ScrapeProcessor(job);
    }

    /** Scrapes a target as its first scrape: only the body's own metadata lines type its samples. */
    public ScrapeOutcome scrape(ScrapeTarget target) throws InterruptedException {
        return scrape(target, new TargetMetadata());
    }

    /**
     * @param kept the metadata the target's earlier scrapes named, kept across them as Prometheus' scrape cache
     *     keeps it; one scrape of a target at a time
     */
    public ScrapeOutcome scrape(ScrapeTarget target, TargetMetadata kept) throws InterruptedException {
        return scrape(target, kept, null);
    }

    /**
     * @param kept the metadata the target's earlier scrapes named, kept across them as Prometheus' scrape cache
     *     keeps it; one scrape of a target at a time
     * @param cache the target's scrape cache ({@link ScrapeCache}), or null to use none; one scrape at a time
     */
    public ScrapeOutcome scrape(ScrapeTarget target, TargetMetadata kept, ScrapeCache cache)
            throws InterruptedException {
        long scrapeTimeMs = System.currentTimeMillis();
        boolean succeededWithBody = false;
        try {
            String authorization = Credentials.header(job.authorization());
            List<RequestAddress> addresses =
                    cache == null ? RequestAddress.of(target.url(), resolver) : cache.addresses(target.url(), resolver);
            RawBody body = fetch(addresses, target.timeoutMs(), authorization);
            Map<SampleDropReason, Integer> drops = new EnumMap<>(SampleDropReason.class);
            List<SeriesGroup> groups = processor.process(body, target, kept, scrapeTimeMs, drops, cache);
            // Prometheus flushes the target's metadata only after such a scrape (scrape.go append, iterDone(true))
            succeededWithBody = body.length() > 0;
            return ScrapeOutcome.ok(target, scrapeTimeMs, groups, drops);
        } catch (ScrapeFailure failure) {
            return ScrapeOutcome.failed(target, scrapeTimeMs, failure);
        } finally {
            kept.scrapeEnded(succeededWithBody);
        }
    }

    /**
     * Requests each address in turn while they refuse the connection, as Go's dialer dials a name's addresses
     * ({@code net/dial.go} {@code dialSerial}), all within the target's timeout. Unlike Go, which gives each address a
     * share of the time ({@code partialDeadline}), an address that does not answer at all takes the rest of it.
     */
    private RawBody fetch(List<RequestAddress> addresses, long timeoutMs, String authorization)
            throws ScrapeFailure, InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        for (int i = 0; ; i++) {
            RequestAddress address = addresses.get(i);
            boolean https = "https".equals(address.uri().getScheme());
            ScrapeHttpClient client = clients.forTls(job.tlsConfig(), https ? address.tlsName() : null);
            long remainingMs = i == 0 ? timeoutMs : (deadline - System.nanoTime()) / 1_000_000L;
            if (remainingMs <= 0) {
                throw new ScrapeFailure(ScrapeReason.TIMEOUT, "no complete response within " + timeoutMs + " ms");
            }
            try {
                return fetcher.fetch(client, address.uri(), remainingMs, authorization);
            } catch (ScrapeFailure failure) {
                if (failure.reason() != ScrapeReason.CONNECT_REFUSED || i == addresses.size() - 1) {
                    throw failure;
                }
            }
        }
    }
}
