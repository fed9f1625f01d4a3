package dev.kubelogs.job.metrics.config;

import java.util.Set;
import java.util.TreeSet;

/**
 * What the EMF specification and CloudWatch allow in a metric directive, checked both where the agent's file is read
 * and where an EMF event builder is configured.
 */
public final class EmfLimits {
    private EmfLimits() {}

    /**
     * The most names a declared dimension set may have: the agent's exporter keeps no set of more
     * ({@code MetricDeclaration.init}, counted before duplicates are removed), fewer than EMF's own 30.
     */
    public static final int MAX_DECLARED_DIMENSIONS = 10;

    /** CloudWatch's {@code StandardUnit} values (PutMetricData, MetricDatum.Unit). */
    public static final Set<String> UNITS = Set.of(
            "Seconds",
            "Microseconds",
            "Milliseconds",
            "Bytes",
            "Kilobytes",
            "Megabytes",
            "Gigabytes",
            "Terabytes",
            "Bits",
            "Kilobits",
            "Megabits",
            "Gigabits",
            "Terabits",
            "Percent",
            "Count",
            "Bytes/Second",
            "Kilobytes/Second",
            "Megabytes/Second",
            "Gigabytes/Second",
            "Terabytes/Second",
            "Bits/Second",
            "Kilobits/Second",
            "Megabits/Second",
            "Gigabits/Second",
            "Terabits/Second",
            "Count/Second",
            "None");

    /** The end of an error about a unit not among {@link #UNITS}: {@code is not a CloudWatch unit (one of [...])}. */
    public static String notAUnit() {
        return "is not a CloudWatch unit (one of " + new TreeSet<>(UNITS) + ")";
    }
}
