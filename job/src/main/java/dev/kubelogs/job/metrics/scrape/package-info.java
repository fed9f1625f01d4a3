/**
 * One scrape of one target, as Prometheus makes it ({@link dev.kubelogs.job.metrics.scrape.Scraper}).
 *
 * <ol>
 *   <li>HTTP ({@code BodyFetcher}): Apache HttpClient 5's classic client (HTTP/1.1, kept-alive connections in a pool
 *       of its own, no thread of its own: the exchange runs on the scrape thread) per {@code tls_config} per reader
 *       ({@link dev.kubelogs.job.metrics.scrape.HttpClients}); Prometheus' Accept
 *       header without the formats not parsed here, gzip, {@code X-Prometheus-Scrape-Timeout-Seconds}; the target's
 *       timeout is the deadline of the whole exchange, connect, TLS handshake, headers and body (a timer cancels
 *       it, closing its connection); a body over the size limit (compressed or not) is refused as soon as it grows
 *       past it, and any response not read to its end has its connection closed. Connections are
 *       {@code SocketChannel}s', so an interrupted scrape thread closes its connection; a kept-alive connection the
 *       target closed is replaced once, as Go's transport does. TLS files are PEM, read with the JDK
 *       ({@code PemFiles}): PKCS#8, PKCS#1 and SEC1 keys; {@code server_name} is checked against the certificate
 *       instead of the address and sent as SNI. The authorization file is read at every scrape.
 *   <li>Body ({@code ScrapeProcessor}): parse, target labels ({@code honor_labels}, {@code exported_} on
 *       conflicts), {@code metric_relabel_configs} (after the agent's saved name), label limits,
 *       {@code sample_limit}, the agent's typing by its saved labels (below), then untyped, info, stateset
 *       and gaugehistogram samples are dropped and counted, duplicates are dropped and counted, and the rest becomes
 *       {@link dev.kubelogs.job.metrics.model.SeriesGroup}s ({@link dev.kubelogs.job.metrics.scrape.SeriesGrouping}).
 *       A target's {@link dev.kubelogs.job.metrics.scrape.ScrapeCache} keeps its last body without the values
 *       ({@link dev.kubelogs.job.metrics.parse.BodyTemplate}) and what its last scrape's series became
 *       ({@code SeriesLayout}): a body that repeats the last one's bytes but for the values has only its values
 *       parsed, and a scrape that repeats the series in the same order only has its values copied in, as
 *       Prometheus' scrape cache spares a repeated series everything but parsing its value.
 *   <li>Every scrape ends as a {@link dev.kubelogs.job.metrics.scrape.ScrapeOutcome} with a
 *       {@link dev.kubelogs.job.metrics.scrape.ScrapeReason}; {@link dev.kubelogs.job.metrics.scrape.ScrapeMetrics}
 *       counts outcomes and dropped samples in the {@code metrics_scrape} metric group and logs each target's
 *       failures and drops at most once a minute per reason.
 * </ol>
 *
 * <h2>The CloudWatch agent's saved labels</h2>
 *
 * <p>What the agent does, read in aws/amazon-cloudwatch-agent (Prometheus v0.304.1 in its go.mod at 0099bdab):
 *
 * <ul>
 *   <li>{@code plugins/inputs/prometheus/start.go} {@code relabelScrapeConfigs} (079b599d), called by
 *       {@code reloadConfig} for every config load: {@code sc.RelabelConfigs = append(relabelConfigs,
 *       sc.RelabelConfigs...)} — the saved job ({@code replace}, source {@code __address__}, regex {@code .*},
 *       replacement the job's name) and saved instance ({@code (.*)} to {@code $1}) rules come <em>before</em> the
 *       user's; {@code sc.MetricRelabelConfigs = append(metricNameRelabelConfigs, sc.MetricRelabelConfigs...)}
 *       likewise for the saved name. Added for issues #190 (PR #191) and #193 (PR #194, 2021-03-23), released in
 *       v1.247347.6; unchanged since.
 *   <li>{@code metrics_receiver.go} {@code metricAppender.Append} (34b0ac99): reads the three with
 *       {@code ls.Get} ("" when absent) and deletes exactly those three names from the tags; every other label,
 *       a {@code labelmap} copy included, stays a tag: an event field, part of the merge key and the delta key.
 *   <li>{@code metrics_type_handler.go} {@code getScrapeTargetInfo} and {@code Handle} (c95b4fcd): the job and
 *       instance of the first metric of the batch with both non-empty; none, and the whole batch is dropped
 *       ({@code E! Failed to get Job Name and Instance ID}); {@code metadataServiceImpl.Get} looks the job up in
 *       {@code TargetsAll()} and takes the first target whose discovered {@code __address__} (or a discovered
 *       {@code cwagent_saved_scrape_instance}) equals the instance; none, and the whole batch is dropped. Each
 *       metric is then typed by its saved name ({@code normalizeMetricName} of {@code metricNameBeforeRelabel});
 *       an empty or unknown saved name finds no metadata and the metric is skipped ({@code E! metric_type
 *       ERROR}): there is no fallback to {@code __name__} or {@code job}. Another version of this file
 *       (044f62ab) instead infers a type from the name and defaults to gauge ({@code inferMetricType}), printing
 *       every metric; we could not establish that it was released and follow c95b4fcd, whose drops users report
 *       (#221, #575).
 *   <li>The batch is one scrape's appender: Prometheus' {@code scrapeAndReport} appends the {@code up} and
 *       {@code scrape_*} samples to it after the scraped ones, labelled by {@code mutateReportSampleLabels} with
 *       the target's labels and no metric relabeling, so they carry the saved job and instance as the target has
 *       them: removing those two in {@code metric_relabel_configs} changes nothing.
 *   <li>{@code metrics_handler.go} {@code handle} (2d4ffd56): type, filter, delta, merge, in that order.
 * </ul>
 *
 * <p>{@code ScrapeProcessor} does the same with the labels themselves ({@code AgentSavedLabels}); the drops are
 * counted as {@code saved_name_removed} and {@code saved_target_not_found}. Where the agent would take another
 * target of the job with the same discovered address (two Services over one pod), it types by that target's
 * metadata, which is the same exporter's; a reader knows only its own targets and counts the case as not found.
 */
package dev.kubelogs.job.metrics.scrape;
