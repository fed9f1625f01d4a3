package dev.kubelogs.job.metrics.model;

import dev.kubelogs.job.model.SerializerTypeInfo;
import dev.kubelogs.job.model.Utf8Strings;
import dev.kubelogs.job.model.VarInts;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of {@link SeriesBatch}. Layout: {@code int subtask, int parallelism}, a varint of the group count +
 * 1 (0 = null; nothing follows), then
 *
 * <ul>
 *   <li>a varint of the length of the batch's constant block ({@link ConstantBlock}; 0 = none), and its bytes: a varint
 *       of the count {@code k} of groups it holds, then each group's {@code string logStream}, labels (a varint of
 *       their count + 1, 0 = null, then each name and value), {@code byte type}, sample names (a varint of their count
 *       + 1, 0 = null, then each), upper bounds (a varint of their count + 1, 0 = null, then 8 bytes each) and key (a
 *       byte 0, or 1 and its two longs); the block's strings are references into a table of its own;
 *   <li>for each of the first {@code k} groups, its {@code long timestampMs}, then its values and its per-sample
 *       timestamps, each a varint of the length + 1 (0 = null) and 8 bytes an element, of the names' length;
 *   <li>each other group as {@link SeriesGroupSerializer} lays it out, its strings references into the record's table.
 * </ul>
 *
 * A reference is a varint 0 for null, 1 for a string not in the table yet (its {@code Utf8Strings} form follows, and
 * it joins the table), or its table index + 2.
 *
 * <p>A scrape's groups repeat most of their strings (the target's labels, a family's sample names), so each is encoded
 * and decoded once per batch rather than once per group, and the groups that come out share one instance of each,
 * whose hash the delta and EMF stages compute once. Across records, each reading thread keeps the strings of recent
 * byte sequences ({@link Utf8StringCache}): the delta stage gets the same label names, values and metric names with
 * every scrape, and a string read again is the instance that came before, hash included.
 *
 * <p>Groups made from a scrape layout ({@link LayoutGroups}) have the same constant part every scrape, and the router
 * sends the same ones to a subtask: it keeps their block, which is written as it is, and each reading thread keeps the
 * decoded constants of recent blocks by their bytes ({@link ConstantBlockCache}), so a block read again costs a hash
 * and a comparison of its bytes, and gives its groups the instances it gave before. The reader never relies on having
 * seen a block: a block it does not hold is decoded as it comes, so senders, failover and rescaling need no care.
 *
 * <p>No state holds a batch (checkpoints are aligned on its edge, see {@code DeltaSubtaskPartitioner}): the layout
 * only has to agree within one running job.
 */
public final class SeriesBatchSerializer extends TypeSerializerSingleton<SeriesBatch> {
    private static final long serialVersionUID = 1L;
    public static final SeriesBatchSerializer INSTANCE = new SeriesBatchSerializer();
    /** Far above a scrape's label sets at any sample_limit: a larger count is a corrupt stream. */
    static final int MAX_GROUPS = SeriesGroupSerializer.MAX_SAMPLES;

    private static final int NULL_STRING = 0;
    private static final int NEW_STRING = 1;
    private static final int FIRST_INDEX = 2;
    /** Per reading thread: about the distinct strings of the series one delta subtask holds at a time. */
    static final int CACHED_STRINGS = 4096;

    /** Per reading thread: a block a target a delta subtask reads from, a few thousand targets with few collisions. */
    static final int CACHED_BLOCKS = 4096;
    /** Per reading thread: the bytes of the blocks kept (their decoded groups take about as much again). */
    static final long CACHED_BLOCK_BYTES = 16L << 20;
    /** Far above the constant part of {@code DeltaRouter}'s largest batch: a larger length is a corrupt stream. */
    static final int MAX_BLOCK_BYTES = 1 << 30;

    private static final ThreadLocal<StringReads> STRING_READS = ThreadLocal.withInitial(StringReads::new);
    private static final ThreadLocal<ConstantBlockCache> BLOCKS =
            ThreadLocal.withInitial(() -> new ConstantBlockCache(CACHED_BLOCKS, CACHED_BLOCK_BYTES));
    /** Per writing thread, emptied for each record. */
    private static final ThreadLocal<StringTable> STRING_TABLES = ThreadLocal.withInitial(StringTable::new);

    /** Picked up by Flink's type extraction through {@code @TypeInfo} on {@link SeriesBatch}. */
    public static final class Factory extends TypeInfoFactory<SeriesBatch> {
        @Override
        public TypeInformation<SeriesBatch> createTypeInfo(Type t, Map<String, TypeInformation<?>> genericParameters) {
            return new SerializerTypeInfo<>(SeriesBatch.class, INSTANCE);
        }
    }

    /** A batch is not written after it was made ({@link SeriesBatch}): Flink may hand the same one on. */
    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public SeriesBatch createInstance() {
        return new SeriesBatch();
    }

    /**
     * The batch itself: with object reuse off, Flink copies every record between chained operators (the scrape
     * source and the delta router), and neither a batch nor its groups are written after they were made
     * ({@link SeriesBatch}, {@link SeriesGroup}).
     */
    @Override
    public SeriesBatch copy(SeriesBatch from) {
        return from;
    }

    @Override
    public SeriesBatch copy(SeriesBatch from, SeriesBatch reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(SeriesBatch batch, DataOutputView out) throws IOException {
        out.writeInt(batch.subtask);
        out.writeInt(batch.parallelism);
        if (batch.groups == null) {
            VarInts.write(0, out);
            return;
        }
        List<SeriesGroup> groups = batch.groups;
        VarInts.write(groups.size() + 1L, out);
        int constant = 0;
        if (batch.constants == null) {
            VarInts.write(0, out);
        } else {
            batch.constants.writeTo(out);
            constant = batch.constants.groups();
            for (int i = 0; i < constant; i++) {
                writeValues(groups.get(i), out);
            }
        }
        if (constant == groups.size()) {
            return;
        }
        StringTable table = STRING_TABLES.get();
        table.clear();
        SeriesGroupSerializer.StringWriter strings = (s, o) -> writeString(s, table, o);
        for (int i = constant; i < groups.size(); i++) {
            SeriesGroupSerializer.writeGroup(groups.get(i), strings, out);
        }
    }

    /** What a group of a constant block carries of its own: its time, values and per-sample timestamps. */
    private static void writeValues(SeriesGroup g, DataOutputView out) throws IOException {
        int size = g.names == null ? 0 : g.names.length;
        if ((g.values != null && g.values.length != size)
                || (g.sampleTimestamps != null && g.sampleTimestamps.length != size)) {
            throw new IllegalArgumentException("values or sample timestamps not parallel to the names: " + g);
        }
        out.writeLong(g.timestampMs);
        SeriesGroupSerializer.writeDoubles(g.values, out);
        SeriesGroupSerializer.writeLongs(g.sampleTimestamps, out);
    }

    static void writeString(String s, StringTable table, DataOutputView out) throws IOException {
        if (s == null) {
            VarInts.write(NULL_STRING, out);
            return;
        }
        int index = table.indexOrAdd(s);
        if (index >= 0) {
            VarInts.write(index + (long) FIRST_INDEX, out);
        } else {
            VarInts.write(NEW_STRING, out);
            Utf8Strings.write(s, out);
        }
    }

    @Override
    public SeriesBatch deserialize(DataInputView in) throws IOException {
        int subtask = in.readInt();
        int parallelism = in.readInt();
        int header = VarInts.readLength(in, MAX_GROUPS + 1);
        if (header == 0) {
            return new SeriesBatch(subtask, parallelism, null);
        }
        int count = header - 1;
        List<SeriesGroup> groups = new ArrayList<>(Math.min(count, 1024));
        StringReads reads = STRING_READS.get();
        int blockLength = VarInts.readLength(in, MAX_BLOCK_BYTES);
        if (blockLength > 0) {
            GroupConstants[] constants = BLOCKS.get().read(in, blockLength, reads);
            if (constants.length > count) {
                throw new IOException(
                        "corrupt SeriesBatch: a constant block of " + constants.length + " groups in " + count);
            }
            for (GroupConstants c : constants) {
                long timestampMs = in.readLong();
                double[] values = readDoubles(in, c.size());
                long[] sampleTimestamps = readLongs(in, c.size());
                groups.add(c.group(timestampMs, values, sampleTimestamps));
            }
        }
        if (groups.size() < count) {
            List<String> table = new ArrayList<>();
            SeriesGroupSerializer.StringReader strings = input -> readString(table, reads, input);
            while (groups.size() < count) {
                groups.add(SeriesGroupSerializer.readGroup(strings, in, "SeriesBatch"));
            }
        }
        return new SeriesBatch(subtask, parallelism, groups);
    }

    /** An array of a constant block's group: null, or {@code size} elements. */
    private static double[] readDoubles(DataInputView in, int size) throws IOException {
        int header = VarInts.readLength(in, size + 1);
        if (header == 0) {
            return null;
        }
        if (header != size + 1) {
            throw new IOException("corrupt SeriesBatch: " + (header - 1) + " values for " + size + " names");
        }
        double[] values = new double[size];
        for (int i = 0; i < size; i++) {
            values[i] = in.readDouble();
        }
        return values;
    }

    private static long[] readLongs(DataInputView in, int size) throws IOException {
        int header = VarInts.readLength(in, size + 1);
        if (header == 0) {
            return null;
        }
        if (header != size + 1) {
            throw new IOException("corrupt SeriesBatch: " + (header - 1) + " timestamps for " + size + " names");
        }
        long[] values = new long[size];
        for (int i = 0; i < size; i++) {
            values[i] = in.readLong();
        }
        return values;
    }

    static String readString(List<String> table, StringReads reads, DataInputView in) throws IOException {
        int ref = VarInts.readLength(in, table.size() + FIRST_INDEX - 1);
        if (ref == NULL_STRING) {
            return null;
        }
        if (ref == NEW_STRING) {
            String s = reads.read(in);
            table.add(s);
            return s;
        }
        return table.get(ref - FIRST_INDEX);
    }

    /** A thread's cache of strings by their bytes, and the buffer it reads a string's bytes into. */
    static final class StringReads {
        private final Utf8StringCache cache = new Utf8StringCache(CACHED_STRINGS);
        private final byte[] buffer = new byte[Utf8StringCache.MAX_CACHED_BYTES];

        /** What {@link Utf8Strings#read(DataInputView)} reads, the cached instance when the bytes were seen. */
        String read(DataInputView in) throws IOException {
            long header = Utf8Strings.readHeader(in);
            if (!Utf8Strings.isUtf8(header) || (header >>> 2) > buffer.length) {
                return Utf8Strings.read(header, in);
            }
            int length = (int) (header >>> 2);
            in.readFully(buffer, 0, length);
            return cache.get(buffer, length);
        }
    }

    @Override
    public SeriesBatch deserialize(SeriesBatch reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<SeriesBatch> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Snapshot of the (stateless) serializer. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<SeriesBatch> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
