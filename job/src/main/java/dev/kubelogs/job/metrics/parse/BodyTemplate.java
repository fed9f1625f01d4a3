package dev.kubelogs.job.metrics.parse;

import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.MetricType;
import dev.kubelogs.job.metrics.model.Sample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One target's last body read in full, without its values: the bytes between the values (each sample line up to its
 * value, the comment and metadata lines, the tail), and what they were read as (each sample's name, labels and empty
 * label names, the metadata lines in order). A next body that has the same bytes around new values is read by
 * comparing those bytes and parsing only the values (with their timestamps and exemplars), as Prometheus' scrape cache
 * keys a series by its line's bytes up to the value; anything else, a broken value included, is read in full, so a
 * repeated body gives exactly what reading it in full gives, and every error comes from the full read.
 *
 * <p>Why that is exact: the reader is a left-to-right pass whose state at a value's first byte (its position in the
 * grammar, the label respelled as a float, the metadata read) depends only on the bytes before it, and the value's
 * part of the line is read by the same code in both passes ({@code readValue}); the byte ending the part before a
 * value must end its token whatever follows, so a body whose value comes right after the metric name (text format
 * {@code foo+1}, where a next value {@code 1} would lengthen the name) is not kept. The types still come from the
 * target's metadata as it stands: the kept metadata lines are replayed into it and the names typed after them, as the
 * full read types them after the body.
 *
 * <p>Memory: the body's bytes without its values, and per sample 4 bytes and three references to the name, label set
 * and empty names the full read made (shared with the scrape's samples); nothing kept after a body that is not read in
 * full. One scrape of the target at a time uses it.
 */
public final class BodyTemplate {
    private boolean openMetrics;
    /** The kept body without its values; null: nothing kept. */
    private byte[] skeleton;
    /** {@code gapEnds[i]}: where in {@link #skeleton} the bytes before sample {@code i}'s value end. */
    private int[] gapEnds;

    private String[] names;
    private Labels[] labels;
    private List<String>[] emptyLabelNames;
    /** The metadata lines in order: the name and the type declared, or null for {@code # HELP} and {@code # UNIT}. */
    private String[] metadataNames;

    private MetricType[] metadataTypes;
    private boolean lastRepeated;
    /** Counts the bodies kept: {@link #generation()}. */
    private long generation;

    /** Whether the last body read with this template repeated the kept one and was read by its values alone. */
    public boolean lastRepeated() {
        return lastRepeated;
    }

    /** The bytes kept of the last body: the body without its values (0 when none is kept). */
    public int keptBodyBytes() {
        return skeleton == null ? 0 : skeleton.length;
    }

    /**
     * Keeps a body read in full without an error: its first {@code length} bytes, and the {@code size} samples and
     * metadata lines read from it.
     *
     * @param valueSpans per sample, where its value starts and where its line ends (its newline or the body's end)
     */
    @SuppressWarnings("unchecked") // the reader stores only List<String> as empty label names
    void keep(
            byte[] body,
            int length,
            boolean isOpenMetrics,
            int size,
            String[] sampleNames,
            Labels[] sampleLabels,
            List<?>[] sampleEmptyLabelNames,
            int[] valueSpans,
            List<String> metadataLineNames,
            List<MetricType> metadataLineTypes) {
        generation++;
        int valueBytes = 0;
        for (int i = 0; i < size; i++) {
            int valueStart = valueSpans[2 * i];
            if (!endsAToken(body[valueStart - 1])) {
                skeleton = null;
                return;
            }
            valueBytes += valueSpans[2 * i + 1] - valueStart;
        }
        byte[] kept = new byte[length - valueBytes];
        int[] ends = new int[size];
        int from = 0;
        int at = 0;
        for (int i = 0; i < size; i++) {
            int valueStart = valueSpans[2 * i];
            System.arraycopy(body, from, kept, at, valueStart - from);
            at += valueStart - from;
            ends[i] = at;
            from = valueSpans[2 * i + 1];
        }
        System.arraycopy(body, from, kept, at, length - from);
        openMetrics = isOpenMetrics;
        skeleton = kept;
        gapEnds = ends;
        names = Arrays.copyOf(sampleNames, size);
        labels = Arrays.copyOf(sampleLabels, size);
        emptyLabelNames = (List<String>[]) Arrays.copyOf(sampleEmptyLabelNames, size, List[].class);
        metadataNames = metadataLineNames.toArray(new String[0]);
        metadataTypes = metadataLineTypes.toArray(new MetricType[0]);
    }

    /**
     * Whether a blank or a label set's closing brace is right before a value: then the value's first byte, which is
     * no blank and no brace, cannot continue the token before it.
     */
    private static boolean endsAToken(byte before) {
        return before == ' ' || before == '\t' || before == '}';
    }

    /**
     * The samples of {@code body[0, length)} if it is the kept body with other values, typed by {@code kept} after
     * the kept metadata lines are added to it; else null, and nothing is changed.
     *
     * @param exemplarLabels reads an OpenMetrics exemplar's labels
     */
    List<Sample> repeat(
            byte[] body, int length, boolean isOpenMetrics, TargetMetadata kept, LabelReader exemplarLabels) {
        Repeated repeated = repeatValues(body, length, isOpenMetrics, kept, exemplarLabels);
        return repeated == null ? null : repeated.samples();
    }

    /**
     * As {@link #repeat}, the samples as arrays parallel to the kept ones, without a {@link Sample} per sample: for a
     * caller that needs their values alone when it knows the kept series ({@link #generation()}).
     */
    Repeated repeatValues(
            byte[] body, int length, boolean isOpenMetrics, TargetMetadata kept, LabelReader exemplarLabels) {
        lastRepeated = false;
        if (skeleton == null || isOpenMetrics != openMetrics) {
            return null;
        }
        int n = gapEnds.length;
        double[] values = new double[n];
        long[] timestamps = new long[n];
        ByteCursor c = new ByteCursor(body, length);
        SampleValue value = new SampleValue();
        int from = 0;
        int pos = 0;
        try {
            for (int i = 0; i < n; i++) {
                int to = gapEnds[i];
                int valueStart = pos + (to - from);
                if (valueStart > length || !Arrays.equals(skeleton, from, to, body, pos, valueStart)) {
                    return null;
                }
                c.pos = valueStart;
                if (openMetrics) {
                    OpenMetricsReader.readValue(c, exemplarLabels, value);
                } else {
                    PrometheusTextReader.readValue(c, value);
                }
                values[i] = value.value;
                timestamps[i] = value.timestampMs;
                from = to;
                pos = c.pos;
            }
        } catch (ExpositionParseException e) {
            return null; // the full read says where and why
        }
        if (length - pos != skeleton.length - from
                || !Arrays.equals(skeleton, from, skeleton.length, body, pos, length)) {
            return null;
        }
        FamilyTypes families = new FamilyTypes(openMetrics, kept);
        for (int m = 0; m < metadataNames.length; m++) {
            if (metadataTypes[m] == null) {
                families.describe(metadataNames[m]);
            } else {
                families.declare(metadataNames[m], metadataTypes[m]);
            }
        }
        String[] sampleFamilies = new String[n];
        MetricType[] sampleTypes = new MetricType[n];
        for (int i = 0; i < n; i++) {
            String name = names[i];
            sampleFamilies[i] = families.familyOf(name);
            sampleTypes[i] = families.typeOf(name);
        }
        lastRepeated = true;
        return new Repeated(names, sampleFamilies, sampleTypes, labels, values, timestamps, emptyLabelNames);
    }

    /**
     * The kept body's series, changed only by a body kept since: a caller that remembers it knows, while it is the
     * same, that {@link #repeatValues} gives the names, labels and empty label names it gave then (the same
     * instances, in the same order); -1 while none is kept.
     */
    public long generation() {
        return skeleton == null ? -1 : generation;
    }

    /**
     * A repeated body's samples as arrays: index {@code i} is its {@code i}-th sample; {@code names}, {@code labels}
     * and {@code emptyLabelNames} are the template's own (never written), the rest this body's.
     */
    public static final class Repeated {
        private final String[] names;
        private final String[] families;
        private final MetricType[] types;
        private final Labels[] labels;
        private final double[] values;
        private final long[] timestamps;
        private final List<String>[] emptyLabelNames;

        Repeated(
                String[] names,
                String[] families,
                MetricType[] types,
                Labels[] labels,
                double[] values,
                long[] timestamps,
                List<String>[] emptyLabelNames) {
            this.names = names;
            this.families = families;
            this.types = types;
            this.labels = labels;
            this.values = values;
            this.timestamps = timestamps;
            this.emptyLabelNames = emptyLabelNames;
        }

        /** Sample {@code i}'s family. */
        public String family(int i) {
            return families[i];
        }

        /** Sample {@code i}'s type. */
        public MetricType type(int i) {
            return types[i];
        }

        /** The values, by sample; the caller's to keep (not shared). */
        public double[] values() {
            return values;
        }

        public int size() {
            return values.length;
        }

        /** Whether a sample has its own timestamp. */
        public boolean anyHasATimestamp() {
            for (long t : timestamps) {
                if (t != Sample.NO_TIMESTAMP) {
                    return true;
                }
            }
            return false;
        }

        /** The samples, as a full read gives them. */
        public List<Sample> samples() {
            int n = values.length;
            List<Sample> samples = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                samples.add(new Sample(
                        names[i], families[i], types[i], labels[i], values[i], timestamps[i], emptyLabelNames[i]));
            }
            return samples;
        }
    }
}
