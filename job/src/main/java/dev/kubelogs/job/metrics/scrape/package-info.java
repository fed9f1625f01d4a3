/**
 * One scrape of one target, as Prometheus makes it ({@link dev.kubelogs.job.metrics.scrape.Scraper}).
 *
 * <ol>
 *   <li>HTTP ({@code BodyFetcher}): a JDK {@code HttpClient} (HTTP/1.1, its own connection pool, its tasks run
 *       inline: no worker pool) per {@code tls_config} per reader
 *       ({@link dev.kubelogs.job.metrics.scrape.HttpClients}); Prometheus' Accept
 *       header without the formats not parsed here, gzip, {@code X-Prometheus-Scrape-Timeout-Seconds}; the target's
 *       timeout is the deadline of the whole exchange, headers and body; a body over the size limit (compressed or
 *       not) is refused as soon as it grows past it. TLS files are PEM, read with the JDK ({@code PemFiles}):
 *       PKCS#8, PKCS#1 and SEC1 keys; {@code server_name} is checked against the certificate instead of the
 *       address. The authorization file is read at every scrape.
 *   <li>Body ({@code ScrapeProcessor}): parse, target labels ({@code honor_labels}, {@code exported_} on
 *       conflicts), {@code metric_relabel_configs}, label limits, {@code sample_limit}, then untyped, info, stateset
 *       and gaugehistogram samples are dropped and counted, duplicates are dropped and counted, and the rest becomes
 *       {@link dev.kubelogs.job.metrics.model.SeriesGroup}s ({@link dev.kubelogs.job.metrics.scrape.SeriesGrouping}).
 *   <li>Every scrape ends as a {@link dev.kubelogs.job.metrics.scrape.ScrapeOutcome} with a
 *       {@link dev.kubelogs.job.metrics.scrape.ScrapeReason}; {@link dev.kubelogs.job.metrics.scrape.ScrapeMetrics}
 *       counts outcomes and dropped samples in the {@code metrics_scrape} metric group and logs each target's
 *       failures and drops at most once a minute per reason.
 * </ol>
 */
package dev.kubelogs.job.metrics.scrape;
