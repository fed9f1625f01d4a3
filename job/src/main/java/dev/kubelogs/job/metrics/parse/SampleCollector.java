package dev.kubelogs.job.metrics.parse;

import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.MetricType;
import dev.kubelogs.job.metrics.model.Sample;
import java.util.ArrayList;
import java.util.List;

/** Collects the samples of one body, each typed by the family registry at the moment it is read. */
final class SampleCollector {
    private static final int BYTES_PER_SAMPLE_GUESS = 64;
    private static final int MAX_INITIAL_CAPACITY = 1 << 16;

    final FamilyTypes families;
    private final List<Sample> samples;

    SampleCollector(boolean openMetrics, int bodyLength) {
        families = new FamilyTypes(openMetrics);
        samples = new ArrayList<>(Math.min(MAX_INITIAL_CAPACITY, bodyLength / BYTES_PER_SAMPLE_GUESS + 1));
    }

    void add(String name, Labels labels, List<String> emptyLabelNames, double value, long timestampMs) {
        MetricType type = families.typeOf(name);
        String family = families.familyOf(name);
        samples.add(new Sample(name, family, type, labels, value, timestampMs, emptyLabelNames));
    }

    List<Sample> samples() {
        return samples;
    }

    /** The type named on a {@code # TYPE} line, or null if the format does not know it. */
    static MetricType typeNamed(ByteCursor c, int from, int to, String[] accepted) {
        for (String name : accepted) {
            if (to - from == name.length() && regionIs(c.bytes, from, name)) {
                return MetricType.fromExposition(name.equals("unknown") ? "untyped" : name);
            }
        }
        return null;
    }

    private static boolean regionIs(byte[] b, int from, String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            if (b[from + i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
