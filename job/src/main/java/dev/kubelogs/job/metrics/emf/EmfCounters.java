package dev.kubelogs.job.metrics.emf;

import java.util.function.Function;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;

/** What the EMF stage did with its input, one Flink counter per outcome. */
public final class EmfCounters {
    /** Events written. */
    public final Counter events;
    /** Extra events made because an event had more than 100 metrics. */
    public final Counter splitForMetricLimit;
    /** Extra events made because an event was over the size limit. */
    public final Counter splitForSize;
    /** Events not written: their labels alone, or one metric with them, exceed the size limit. */
    public final Counter oversizeDropped;
    /** NaN or infinite values that reached this stage (the scrape stage counts and drops them first). */
    public final Counter nonFiniteSkipped;
    /** Events without a declared metric not written ({@code emitUndeclared} off). */
    public final Counter undeclaredEventsDropped;
    /** Undeclared metric fields left out of events ({@code emitUndeclared} off). */
    public final Counter undeclaredFieldsDropped;
    /** Histograms with no new observation in a scrape: no distribution written. */
    public final Counter histogramsWithoutObservations;
    /** Histograms whose bucket deltas contradict each other: no distribution written. */
    public final Counter histogramsInconsistent;
    /** Histogram buckets merged into neighbours to fit EMF's 100 values. */
    public final Counter histogramBucketsMerged;
    /** Samples of a group repeating a metric name (the last one is written, as the agent does). */
    public final Counter duplicateNames;

    /** Counters of their own, for tests and callers without a metric group. */
    public EmfCounters() {
        this(name -> new SimpleCounter());
    }

    public EmfCounters(MetricGroup group) {
        this(group::counter);
    }

    private EmfCounters(Function<String, Counter> counter) {
        events = counter.apply("emfEvents");
        splitForMetricLimit = counter.apply("emfEventsSplitForMetricLimit");
        splitForSize = counter.apply("emfEventsSplitForSize");
        oversizeDropped = counter.apply("emfEventsOversizeDropped");
        nonFiniteSkipped = counter.apply("emfNonFiniteValuesSkipped");
        undeclaredEventsDropped = counter.apply("emfUndeclaredEventsDropped");
        undeclaredFieldsDropped = counter.apply("emfUndeclaredFieldsDropped");
        histogramsWithoutObservations = counter.apply("emfHistogramsWithoutObservations");
        histogramsInconsistent = counter.apply("emfHistogramsInconsistent");
        histogramBucketsMerged = counter.apply("emfHistogramBucketsMerged");
        duplicateNames = counter.apply("emfDuplicateMetricNames");
    }
}
