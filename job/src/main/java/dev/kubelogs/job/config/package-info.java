/**
 * Where the job's settings are checked. The settings themselves are Flink {@code ConfigOption}s, one class per
 * stage beside the stage: {@code source.SpoolSourceConfigOptions}, {@code merge.NodeProcessorConfigOptions},
 * {@code sink.cloudwatch.CloudWatchLogsSinkConfigOptions}; each stage reads them into an immutable options object.
 * {@code JobCommand}'s flags map onto those options one to one, so a default is written once.
 */
package dev.kubelogs.job.config;
