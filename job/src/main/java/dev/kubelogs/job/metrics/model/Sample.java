package dev.kubelogs.job.metrics.model;

/**
 * One sample of a scrape: its full sample name ({@code foo_bucket}, {@code foo_sum}, ...; also the value of
 * {@code __name__}), the family it belongs to and that family's type, its labels without {@code __name__}, the value,
 * and the exposition's own timestamp in milliseconds, or {@link #NO_TIMESTAMP}.
 */
public record Sample(String name, String family, MetricType type, Labels labels, double value, long timestampMs) {
    public static final long NO_TIMESTAMP = Long.MIN_VALUE;

    public boolean hasTimestamp() {
        return timestampMs != NO_TIMESTAMP;
    }

    public Sample withLabels(String newName, Labels newLabels) {
        return new Sample(newName, family, type, newLabels, value, timestampMs);
    }
}
