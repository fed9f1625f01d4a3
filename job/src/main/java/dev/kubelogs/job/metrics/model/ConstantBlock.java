package dev.kubelogs.job.metrics.model;

import dev.kubelogs.job.model.VarInts;
import java.io.IOException;
import java.util.List;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The constant part of a run of groups (log stream, labels, type, sample names, upper bounds, key: everything but
 * times and values), encoded once so that a batch of groups made from the same scrape layout writes it as one block of
 * bytes rather than encoding its strings again every scrape ({@link SeriesBatchSerializer} defines the layout).
 * Immutable: the bytes are not handed out.
 */
public final class ConstantBlock {
    private final byte[] bytes;
    private final int groups;

    private ConstantBlock(byte[] bytes, int groups) {
        this.bytes = bytes;
        this.groups = groups;
    }

    /** The constant part of {@code groups}, in order. */
    public static ConstantBlock encode(List<SeriesGroup> groups) {
        DataOutputSerializer out = new DataOutputSerializer(Math.max(64, groups.size() * 128));
        StringTable table = new StringTable();
        try {
            VarInts.write(groups.size(), out);
            for (SeriesGroup g : groups) {
                writeConstants(g, table, out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return new ConstantBlock(out.getCopyOfBuffer(), groups.size());
    }

    private static void writeConstants(SeriesGroup g, StringTable table, DataOutputView out) throws IOException {
        SeriesBatchSerializer.writeString(g.logStream, table, out);
        if (g.labels == null) {
            VarInts.write(0, out);
        } else {
            VarInts.write(g.labels.size() + 1L, out);
            for (int i = 0; i < g.labels.size(); i++) {
                SeriesBatchSerializer.writeString(g.labels.name(i), table, out);
                SeriesBatchSerializer.writeString(g.labels.value(i), table, out);
            }
        }
        out.writeByte(SeriesGroupSerializer.typeCode(g.type));
        if (g.names == null) {
            VarInts.write(0, out);
        } else {
            VarInts.write(g.names.length + 1L, out);
            for (String name : g.names) {
                SeriesBatchSerializer.writeString(name, table, out);
            }
        }
        SeriesGroupSerializer.writeDoubles(g.upperBounds, out);
        SeriesGroupSerializer.writeKey(g.seriesKey, out);
    }

    /** How many groups' constant parts the block holds. */
    public int groups() {
        return groups;
    }

    /** The encoded length in bytes. */
    int length() {
        return bytes.length;
    }

    /** The block as a record carries it: its length, then its bytes. */
    void writeTo(DataOutputView out) throws IOException {
        VarInts.write(bytes.length, out);
        out.write(bytes);
    }
}
