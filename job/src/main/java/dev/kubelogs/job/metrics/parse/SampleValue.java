package dev.kubelogs.job.metrics.parse;

/** The value and timestamp of the sample line read last; a reader's scratch, to return both without a new object. */
final class SampleValue {
    double value;
    long timestampMs;
}
