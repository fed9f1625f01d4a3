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
    /** Per sample: where its value starts and where its line ends (its value, timestamp and exemplar in between). */
    private int[] valueSpans;

    private int size;
    /** The metadata lines read, in order: a name and its type, or null for {@code # HELP} and {@code # UNIT}. */
    private final List<String> metadataNames = new ArrayList<>();

    private final List<MetricType> metadataTypes = new ArrayList<>();

    SampleCollector(boolean openMetrics, int bodyLength, TargetMetadata kept) {
        this(openMetrics, bodyLength, kept, null);
    }

    /**
     * A collector that takes over the arrays of {@code previous} (a collector whose {@link #samples} were taken) when
     * they are not larger than a first guess may be, so a thread parsing scrape after scrape does not allocate and
     * grow them each time. {@code previous} must not be used afterwards.
     */
    SampleCollector(boolean openMetrics, int bodyLength, TargetMetadata kept, SampleCollector previous) {
        families = new FamilyTypes(openMetrics, kept);
        if (previous != null && previous.size == 0 && previous.isWorthKeeping()) {
            names = previous.names;
            labels = previous.labels;
            emptyLabelNames = previous.emptyLabelNames;
            values = previous.values;
            timestamps = previous.timestamps;
            valueSpans = previous.valueSpans;
            return;
        }
        int capacity = Math.min(MAX_INITIAL_CAPACITY, bodyLength / BYTES_PER_SAMPLE_GUESS + 1);
        names = new String[capacity];
        labels = new Labels[capacity];
        emptyLabelNames = new List<?>[capacity];
        values = new double[capacity];
        timestamps = new long[capacity];
        valueSpans = new int[2 * capacity];
    }

    /** Whether its arrays are small enough to keep for the next body: a huge body's are left to the collector. */
    boolean isWorthKeeping() {
        return names.length <= MAX_INITIAL_CAPACITY;
    }

    /** A {@code # TYPE} line. */
    void declare(String family, MetricType type) {
        families.declare(family, type);
        metadataNames.add(family);
        metadataTypes.add(type);
    }

    /** A {@code # HELP} or {@code # UNIT} line. */
    void describe(String family) {
        families.describe(family);
        metadataNames.add(family);
        metadataTypes.add(null);
    }

    /**
     * A sample line.
     *
     * @param valueStart where its value starts in the body
     * @param lineEnd where its line ends: the index of its newline, or the body's end
     */
    void add(
            String name,
            Labels sampleLabels,
            List<String> emptyNames,
            double value,
            long timestampMs,
            int valueStart,
            int lineEnd) {
        if (size == names.length) {
            int capacity = 2 * size;
            names = Arrays.copyOf(names, capacity);
            labels = Arrays.copyOf(labels, capacity);
            emptyLabelNames = Arrays.copyOf(emptyLabelNames, capacity);
            values = Arrays.copyOf(values, capacity);
            timestamps = Arrays.copyOf(timestamps, capacity);
            valueSpans = Arrays.copyOf(valueSpans, 2 * capacity);
        }
        names[size] = name;
        labels[size] = sampleLabels;
        emptyLabelNames[size] = emptyNames;
        values[size] = value;
        timestamps[size] = timestampMs;
        valueSpans[2 * size] = valueStart;
        valueSpans[2 * size + 1] = lineEnd;
        size++;
    }

    /**
     * Keeps {@code body}, read by this collector, as {@code template} ({@link BodyTemplate#keep}); call it before
     * {@link #samples}, which empties the collector.
     */
    void keepIn(BodyTemplate template, byte[] body, int length) {
        template.keep(
                body,
                length,
                families.isOpenMetrics(),
                size,
                names,
                labels,
                emptyLabelNames,
                valueSpans,
                metadataNames,
                metadataTypes);
    }

    /**
     * The samples in exposition order, each with the family and type the whole body's metadata gives its name. The
     * collector is empty afterwards and holds no reference to them (its arrays may serve the next body).
     */
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
        Arrays.fill(names, 0, size, null);
        Arrays.fill(labels, 0, size, null);
        Arrays.fill(emptyLabelNames, 0, size, null);
        size = 0;
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
