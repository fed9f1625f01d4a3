package dev.kubelogs.job.metrics.parse;

import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.MetricType;
import dev.kubelogs.job.metrics.model.Sample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Collects the samples of one body; they are typed once the whole body is read, as the CloudWatch agent types them
 * from the scrape's metadata after the scrape ({@link FamilyTypes}).
 */
final class SampleCollector {
    private static final int BYTES_PER_SAMPLE_GUESS = 64;
    private static final int MAX_INITIAL_CAPACITY = 1 << 16;

    final FamilyTypes families;
    // the samples read so far, in parallel arrays: a Sample is built once its type is known
    private String[] names;
    private Labels[] labels;
    private List<?>[] emptyLabelNames;
    private double[] values;
    private long[] timestamps;
    private int size;

    SampleCollector(boolean openMetrics, int bodyLength, TargetMetadata kept) {
        families = new FamilyTypes(openMetrics, kept);
        int capacity = Math.min(MAX_INITIAL_CAPACITY, bodyLength / BYTES_PER_SAMPLE_GUESS + 1);
        names = new String[capacity];
        labels = new Labels[capacity];
        emptyLabelNames = new List<?>[capacity];
        values = new double[capacity];
        timestamps = new long[capacity];
    }

    void add(String name, Labels sampleLabels, List<String> emptyNames, double value, long timestampMs) {
        if (size == names.length) {
            int capacity = 2 * size;
            names = Arrays.copyOf(names, capacity);
            labels = Arrays.copyOf(labels, capacity);
            emptyLabelNames = Arrays.copyOf(emptyLabelNames, capacity);
            values = Arrays.copyOf(values, capacity);
            timestamps = Arrays.copyOf(timestamps, capacity);
        }
        names[size] = name;
        labels[size] = sampleLabels;
        emptyLabelNames[size] = emptyNames;
        values[size] = value;
        timestamps[size] = timestampMs;
        size++;
    }

    /** The samples in exposition order, each with the family and type the whole body's metadata gives its name. */
    @SuppressWarnings("unchecked") // add() stores only List<String>
    List<Sample> samples() {
        List<Sample> samples = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            String name = names[i];
            samples.add(new Sample(
                    name, families.familyOf(name), families.typeOf(name), labels[i], values[i], timestamps[i], (List<
                                    String>)
                            emptyLabelNames[i]));
        }
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
