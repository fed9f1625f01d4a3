package dev.kubelogs.job.metrics.emf;

/**
 * One metric field of an event: a number, or a histogram's distribution; {@code directive} is the index of the
 * directive that declares it, -1 for a plain field.
 */
record MetricField(String name, double value, HistogramDistribution distribution, int directive) {
    MetricField withDirective(int index) {
        return new MetricField(name, value, distribution, index);
    }
}
