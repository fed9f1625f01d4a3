package dev.kubelogs.job.sink.cloudwatch;

import dev.kubelogs.job.sink.cloudwatch.wire.Utf8;
import dev.kubelogs.job.sink.cloudwatch.wire.Words;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;

/**
 * Versioned serializer of {@link CloudWatchLogsCommittable} (checkpoint state; no Kryo). Every event goes through
 * here (once: the bytes are kept with the committable for the snapshots that follow until it is committed), so the
 * layout is compact and written straight into one array.
 *
 * <p>Version 3 (current) is version 2 with each message written as the bytes it does not share with the end of the
 * previous event's message: {@code varint shared, varint uniqueLength, uniqueLength bytes}, the message being those
 * bytes followed by the last {@code shared} bytes of the previous message (the first event shares nothing). Why: a
 * committable holds one log stream, i.e. one container, and Container Insights puts the container's whole
 * {@code "kubernetes":{...}} block (~450–550 bytes) at the end of every event; Flink copies the committable state about a
 * dozen times per checkpoint (nested serializers), so its size is CPU.
 *
 * <p>Version 2 (read only; varint = unsigned LEB128, zigzag varint for values that may be negative, string =
 * varint byte length + UTF-8 bytes):
 *
 * <pre>
 * string logGroup, string logStream, zigzag writerEpoch, varint subtaskIndex, zigzag sequence,
 * zigzag createdAtMillis, varint eventCount,
 * varint sourceCount, sourceCount x string sourceId          (distinct non-null sourceIds, in order of first use)
 * eventCount x (zigzag timestamp delta to the previous event (the first: to 0), string message,
 *               varint source (0 = null, i = the i-th sourceId),
 *               zigzag sourceOffset delta to the previous event of the same source (the first: to 0))
 * </pre>
 *
 * <p>Version 1 (read only; big-endian, strings = int byte length + UTF-8 bytes, nullable strings prefixed by a
 * boolean "present"):
 *
 * <pre>
 * string logGroup, string logStream, long writerEpoch, int subtaskIndex, long sequence, long createdAtMillis,
 * int eventCount, eventCount x (long timestamp, string message, nullable-string sourceId, long sourceOffset)
 * </pre>
 *
 * Golden files ({@code src/test/resources/sink/committable-v1.bin}, {@code -v2.bin}, {@code -v3.bin}) pin the
 * layouts: a new layout must get a new version number and keep reading the old ones.
 */
public final class CloudWatchLogsCommittableSerializer implements SimpleVersionedSerializer<CloudWatchLogsCommittable> {
    public static final int VERSION_1 = 1;
    public static final int VERSION_2 = 2;
    public static final int VERSION_3 = 3;
    private static final int CURRENT = VERSION_3;
    /** Upper bound of the bytes of one varint-encoded long. */
    private static final int MAX_VARINT = 10;

    @Override
    public int getVersion() {
        return CURRENT;
    }

    /**
     * The committable's bytes in the current version. A committable is written once and its bytes kept with it (it
     * is immutable): Flink snapshots it again at every checkpoint until it is committed. The returned array is shared
     * with the committable; callers must not modify it.
     */
    @Override
    public byte[] serialize(CloudWatchLogsCommittable c) throws IOException {
        byte[] done = c.serialized();
        if (done == null) {
            done = write(c);
            c.rememberSerialized(done);
        }
        return done;
    }

    private static byte[] write(CloudWatchLogsCommittable c) throws IOException {
        List<SinkEvent> events = c.events();
        byte[] group = c.logGroup().getBytes(StandardCharsets.UTF_8);
        byte[] stream = c.logStream().getBytes(StandardCharsets.UTF_8);
        // source dictionary: event → source number; per source the last offset (offsets are delta-coded per source)
        Map<String, Integer> sourceIndex = new HashMap<>();
        List<byte[]> sources = new ArrayList<>();
        int[] sourceOf = new int[events.size()];
        long bound = 8L * MAX_VARINT + group.length + stream.length;
        String lastSource = null;
        int lastSourceNumber = 0;
        for (int i = 0; i < events.size(); i++) {
            SinkEvent e = events.get(i);
            if (e.sourceId() != null && e.sourceId() == lastSource) {
                sourceOf[i] = lastSourceNumber; // the writer shares one instance per run of a source
            } else if (e.sourceId() != null) {
                Integer n = sourceIndex.get(e.sourceId());
                if (n == null) {
                    byte[] id = e.sourceId().getBytes(StandardCharsets.UTF_8);
                    sources.add(id);
                    n = sources.size();
                    sourceIndex.put(e.sourceId(), n);
                    bound += MAX_VARINT + id.length;
                }
                sourceOf[i] = n;
                lastSource = e.sourceId();
                lastSourceNumber = n;
            }
            bound += 5L * MAX_VARINT + e.utf8Length();
        }
        if (bound > Integer.MAX_VALUE - 16) {
            throw new IOException("committable too large to serialize: " + c);
        }
        Out out = new Out((int) bound);
        out.bytes(group);
        out.bytes(stream);
        out.zigzag(c.writerEpoch());
        out.varint(c.subtaskIndex());
        out.zigzag(c.sequence());
        out.zigzag(c.createdAtMillis());
        out.varint(events.size());
        out.varint(sources.size());
        for (byte[] id : sources) {
            out.bytes(id);
        }
        long[] lastOffset = new long[sources.size() + 1];
        long lastTs = 0;
        byte[] previous = new byte[0];
        int shared = 0;
        for (int i = 0; i < events.size(); i++) {
            SinkEvent e = events.get(i);
            out.zigzag(e.timestamp() - lastTs);
            lastTs = e.timestamp();
            byte[] message = e.utf8();
            shared = Words.commonSuffixLength(previous, message, shared);
            out.varint(shared);
            out.varint(message.length - shared);
            out.raw(message, message.length - shared);
            previous = message;
            int s = sourceOf[i];
            out.varint(s);
            out.zigzag(e.sourceOffset() - lastOffset[s]);
            lastOffset[s] = e.sourceOffset();
        }
        return out.toByteArray();
    }

    @Override
    public CloudWatchLogsCommittable deserialize(int version, byte[] serialized) throws IOException {
        if (version == VERSION_1) {
            return deserializeV1(serialized);
        }
        if (version != VERSION_2 && version != VERSION_3) {
            throw new IOException("unknown CloudWatchLogsCommittable serializer version " + version
                    + " (this build reads versions " + VERSION_1 + " to " + VERSION_3 + ")");
        }
        In in = new In(serialized);
        String group = in.string();
        String stream = in.string();
        long epoch = in.zigzag();
        int subtask = in.varintInt();
        long sequence = in.zigzag();
        long created = in.zigzag();
        int n = eventCount(in.varintInt());
        int sourceCount = in.varintInt();
        if (sourceCount > n) {
            throw new IOException("corrupt committable: " + sourceCount + " sources for " + n + " events");
        }
        String[] sources = new String[sourceCount + 1];
        for (int s = 1; s <= sourceCount; s++) {
            sources[s] = in.string();
        }
        long[] lastOffset = new long[sourceCount + 1];
        long ts = 0;
        List<SinkEvent> events = new ArrayList<>(n);
        byte[] previous = new byte[0];
        for (int i = 0; i < n; i++) {
            ts += in.zigzag();
            // a version-2 message is a string, encoded as SinkEvent's String constructor would
            byte[] message = version == VERSION_3 ? in.messageSharingSuffixWith(previous) : Utf8.encode(in.string());
            int s = in.varintInt();
            if (s > sourceCount) {
                throw new IOException("corrupt committable: source " + s + " of " + sourceCount);
            }
            lastOffset[s] += in.zigzag();
            events.add(new SinkEvent(ts, message, sources[s], lastOffset[s]));
            previous = message;
        }
        if (in.remaining() != 0) {
            throw new IOException("corrupt committable: " + in.remaining() + " trailing bytes");
        }
        return new CloudWatchLogsCommittable(group, stream, epoch, subtask, sequence, created, events);
    }

    private static int eventCount(int n) throws IOException {
        if (n <= 0 || n > BatchCutter.MAX_EVENTS_PER_BATCH) {
            throw new IOException("corrupt committable: " + n + " events");
        }
        return n;
    }

    private static CloudWatchLogsCommittable deserializeV1(byte[] serialized) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        String group = readStringV1(in);
        String stream = readStringV1(in);
        long epoch = in.readLong();
        int subtask = in.readInt();
        long sequence = in.readLong();
        long created = in.readLong();
        int n = eventCount(in.readInt());
        List<SinkEvent> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long ts = in.readLong();
            String message = readStringV1(in);
            String sourceId = in.readBoolean() ? readStringV1(in) : null;
            long offset = in.readLong();
            events.add(new SinkEvent(ts, message, sourceId, offset));
        }
        if (in.available() != 0) {
            throw new IOException("corrupt committable: " + in.available() + " trailing bytes");
        }
        return new CloudWatchLogsCommittable(group, stream, epoch, subtask, sequence, created, events);
    }

    private static String readStringV1(DataInputView in) throws IOException {
        int len = in.readInt();
        if (len < 0) {
            throw new IOException("corrupt committable: negative string length " + len);
        }
        byte[] b = new byte[len];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Writes into one array sized for the worst case up front (no growing). */
    private static final class Out {
        private final byte[] buf;
        private int pos;

        Out(int capacity) {
            buf = new byte[capacity];
        }

        void varint(long v) {
            while ((v & ~0x7FL) != 0) {
                buf[pos++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[pos++] = (byte) v;
        }

        void zigzag(long v) {
            varint((v << 1) ^ (v >> 63));
        }

        void bytes(byte[] b) {
            varint(b.length);
            System.arraycopy(b, 0, buf, pos, b.length);
            pos += b.length;
        }

        /** The first {@code length} bytes of {@code b}, without a length. */
        void raw(byte[] b, int length) {
            System.arraycopy(b, 0, buf, pos, length);
            pos += length;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, pos);
        }
    }

    /** Reads what {@link Out} wrote; every read is bounds-checked into an IOException. */
    private static final class In {
        private final byte[] buf;
        private int pos;

        In(byte[] buf) {
            this.buf = buf;
        }

        long varint() throws IOException {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= buf.length) {
                    throw new IOException("corrupt committable: truncated");
                }
                byte b = buf[pos++];
                v |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return v;
                }
            }
            throw new IOException("corrupt committable: varint longer than 10 bytes");
        }

        int varintInt() throws IOException {
            long v = varint();
            if (v < 0 || v > Integer.MAX_VALUE) {
                throw new IOException("corrupt committable: " + v + " out of int range");
            }
            return (int) v;
        }

        long zigzag() throws IOException {
            long v = varint();
            return (v >>> 1) ^ -(v & 1);
        }

        String string() throws IOException {
            int len = varintInt();
            if (len > buf.length - pos) {
                throw new IOException(
                        "corrupt committable: string of " + len + " bytes, " + (buf.length - pos) + " left");
            }
            String s = new String(buf, pos, len, StandardCharsets.UTF_8);
            pos += len;
            return s;
        }

        /** Bytes of version-3 messages read so far. */
        private long messageBytes;

        /** A version-3 message: its own bytes, then the last {@code shared} bytes of {@code previous}. */
        byte[] messageSharingSuffixWith(byte[] previous) throws IOException {
            int shared = varintInt();
            int unique = varintInt();
            if (shared > previous.length || unique > buf.length - pos) {
                throw new IOException("corrupt committable: message of " + unique + " + " + shared + " shared bytes");
            }
            // a batch holds at most MAX_BATCH_BYTES of messages; corrupt shared counts could otherwise rebuild
            // gigabytes from a megabyte
            messageBytes += unique + shared;
            if (messageBytes > BatchCutter.MAX_BATCH_BYTES) {
                throw new IOException(
                        "corrupt committable: more than " + BatchCutter.MAX_BATCH_BYTES + " bytes of messages");
            }
            byte[] m = new byte[unique + shared];
            System.arraycopy(buf, pos, m, 0, unique);
            System.arraycopy(previous, previous.length - shared, m, unique, shared);
            pos += unique;
            // the sink writes these bytes to the wire as they are (SinkEvent's byte[] constructor and PutLogEventsBody
            // take them to be well-formed), so corrupt bytes must fail here. previous is well-formed, so its shared
            // end is too after the continuation bytes it may start with: check the own bytes and those only.
            int checked = unique;
            while (checked < m.length && checked < unique + 3 && (m[checked] & 0xC0) == 0x80) {
                checked++;
            }
            if (!Utf8.isWellFormed(m, 0, checked)) {
                throw new IOException("corrupt committable: a message is not well-formed UTF-8");
            }
            return m;
        }

        int remaining() {
            return buf.length - pos;
        }
    }
}
