package dev.kubelogs.job.metrics.model;

import dev.kubelogs.job.model.VarInts;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.core.memory.DataInputDeserializer;

/**
 * The constant part of one group as a {@link ConstantBlock} encodes it, decoded: every group read with the same block
 * gets these instances (strings, labels, sample names and upper bounds arrays), which {@link SeriesGroup} allows, as
 * nothing writes a group's arrays after it was made.
 */
final class GroupConstants {
    private final String logStream;
    private final Labels labels;
    private final MetricType type;
    private final String[] names;
    private final double[] upperBounds;
    /** The key's two halves, boxed once here; null when the group was written without its key. */
    private final Long keyHigh;

    private final Long keyLow;

    private GroupConstants(
            String logStream,
            Labels labels,
            MetricType type,
            String[] names,
            double[] upperBounds,
            Long high,
            Long low) {
        this.logStream = logStream;
        this.labels = labels;
        this.type = type;
        this.names = names;
        this.upperBounds = upperBounds;
        this.keyHigh = high;
        this.keyLow = low;
    }

    /** The number of sample names (0 for none): a block's group carries that many values. */
    int size() {
        return names == null ? 0 : names.length;
    }

    /** A new group of these constants with the given time and values; its key a tuple of its own. */
    SeriesGroup group(long timestampMs, double[] values, long[] sampleTimestamps) {
        SeriesGroup g = new SeriesGroup(logStream, labels, type, timestampMs, names, values, upperBounds);
        g.sampleTimestamps = sampleTimestamps;
        if (keyHigh != null) {
            g.seriesKey = new Tuple2<>(keyHigh, keyLow);
        }
        return g;
    }

    /** The groups' constants of the first {@code length} bytes of a block; all of them must belong to it. */
    static GroupConstants[] decode(byte[] block, int length, SeriesBatchSerializer.StringReads reads)
            throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(block, 0, length);
        // every group takes at least five bytes, so a larger count is a corrupt block, not an allocation to try
        int count = VarInts.readLength(in, length / 5);
        GroupConstants[] groups = new GroupConstants[count];
        List<String> table = new ArrayList<>();
        for (int g = 0; g < count; g++) {
            groups[g] = read(in, table, reads);
        }
        if (in.available() != 0) {
            throw new IOException(
                    "corrupt SeriesBatch: " + in.available() + " bytes after a constant block's " + count + " groups");
        }
        return groups;
    }

    private static GroupConstants read(
            DataInputDeserializer in, List<String> table, SeriesBatchSerializer.StringReads reads) throws IOException {
        String logStream = SeriesBatchSerializer.readString(table, reads, in);
        Labels labels = null;
        int labelCount = VarInts.readLength(in, LabelsSerializer.MAX_LABELS + 1);
        if (labelCount > 0) {
            String[] names = new String[labelCount - 1];
            String[] values = new String[labelCount - 1];
            for (int i = 0; i < names.length; i++) {
                names[i] = SeriesBatchSerializer.readString(table, reads, in);
                values[i] = SeriesBatchSerializer.readString(table, reads, in);
            }
            labels = Labels.fromArrays(names, values);
        }
        MetricType type = SeriesGroupSerializer.typeOf(in.readByte());
        String[] names = null;
        int nameCount = VarInts.readLength(in, in.available() + 1);
        if (nameCount > 0) {
            names = new String[nameCount - 1];
            for (int i = 0; i < names.length; i++) {
                names[i] = SeriesBatchSerializer.readString(table, reads, in);
            }
        }
        double[] upperBounds = null;
        int boundCount = VarInts.readLength(in, in.available() / Double.BYTES + 1);
        if (boundCount > 0) {
            upperBounds = new double[boundCount - 1];
            for (int i = 0; i < upperBounds.length; i++) {
                upperBounds[i] = in.readDouble();
            }
        }
        byte hasKey = in.readByte();
        if (hasKey == 0) {
            return new GroupConstants(logStream, labels, type, names, upperBounds, null, null);
        }
        if (hasKey != 1) {
            throw new IOException("corrupt SeriesBatch: key marker " + hasKey + " in a constant block");
        }
        return new GroupConstants(logStream, labels, type, names, upperBounds, in.readLong(), in.readLong());
    }
}
