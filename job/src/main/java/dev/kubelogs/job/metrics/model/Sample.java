package dev.kubelogs.job.metrics.model;

import java.util.List;

/**
 * One sample of a scrape: its full sample name ({@code foo_bucket}, {@code foo_sum}, ...; also the value of
 * {@code __name__}), the family it belongs to and that family's type, its labels without {@code __name__}, the value,
 * the exposition's own timestamp in milliseconds, or {@link #NO_TIMESTAMP}, and the names the exposition gave an
 * empty value: they are no labels, but with {@code honor_labels: true} such a name hides the target's label of that
 * name, as in Prometheus ({@code foo{job=""}} is scraped without {@code job}).
 */
public record Sample(
        String name,
        String family,
        MetricType type,
        Labels labels,
        double value,
        long timestampMs,
        List<String> emptyLabelNames) {
    public static final long NO_TIMESTAMP = Long.MIN_VALUE;

    /** A sample whose exposition gave no label an empty value. */
    public Sample(String name, String family, MetricType type, Labels labels, double value, long timestampMs) {
        this(name, family, type, labels, value, timestampMs, List.of());
    }

    public boolean hasTimestamp() {
        return timestampMs != NO_TIMESTAMP;
    }

    public Sample withLabels(String newName, Labels newLabels) {
        return new Sample(newName, family, type, newLabels, value, timestampMs, emptyLabelNames);
    }
}
