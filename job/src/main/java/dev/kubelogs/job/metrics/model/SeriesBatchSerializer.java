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
 * 1 (0 = null), then each group as {@link SeriesGroupSerializer} lays it out, except that every string (log stream,
 * label names and values, sample names) is a reference into the batch's string table: a varint 0 for null, 1 for a
 * string not in the table yet (its {@code Utf8Strings} form follows, and it joins the table), or its table index + 2.
 *
 * <p>A scrape's groups repeat most of their strings (the target's labels, a family's sample names), so each is encoded
 * and decoded once per batch rather than once per group, and the groups that come out share one instance of each,
 * whose hash the delta and EMF stages compute once. Across records, each reading thread keeps the strings of recent
 * byte sequences ({@link Utf8StringCache}): the delta stage gets the same label names, values and metric names with
 * every scrape, and a string read again is the instance that came before, hash included. No state holds a batch (checkpoints are aligned on its edge, see
 * {@code DeltaSubtaskPartitioner}): the layout only has to agree within one running job.
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

    private static final ThreadLocal<StringReads> STRING_READS = ThreadLocal.withInitial(StringReads::new);
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
        VarInts.write(batch.groups.size() + 1L, out);
        StringTable table = STRING_TABLES.get();
        table.clear();
        SeriesGroupSerializer.StringWriter strings = (s, o) -> writeString(s, table, o);
        for (SeriesGroup g : batch.groups) {
            SeriesGroupSerializer.writeGroup(g, strings, out);
        }
    }

    private static void writeString(String s, StringTable table, DataOutputView out) throws IOException {
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
        List<SeriesGroup> groups = new ArrayList<>(header - 1);
        List<String> table = new ArrayList<>();
        StringReads reads = STRING_READS.get();
        SeriesGroupSerializer.StringReader strings = input -> readString(table, reads, input);
        for (int i = 0; i < header - 1; i++) {
            groups.add(SeriesGroupSerializer.readGroup(strings, in, "SeriesBatch"));
        }
        return new SeriesBatch(subtask, parallelism, groups);
    }

    private static String readString(List<String> table, StringReads reads, DataInputView in) throws IOException {
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
    private static final class StringReads {
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
