/**
 * The FLIP-27 source of the metrics pipeline ({@link dev.kubelogs.job.metrics.source.ScrapeSource}): one split per
 * target. The enumerator (JobManager) starts discovery through a
 * {@link dev.kubelogs.job.metrics.source.TargetDiscoveryFactory} (the job's: static_configs and
 * kubernetes_sd_configs, {@code metrics.JobTargetDiscoveryFactory}), gives each target to the reader with the
 * fewest, moves targets when readers differ by more than one, and checkpoints the targets per discovery source.
 * Each reader scrapes its targets on their intervals with a bounded pool of threads and emits one
 * {@link dev.kubelogs.job.metrics.model.SeriesGroup} per label set per scrape. Settings:
 * {@link dev.kubelogs.job.metrics.source.ScrapeSourceConfigOptions}.
 */
package dev.kubelogs.job.metrics.source;
