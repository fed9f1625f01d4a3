package dev.kubelogs.job.sink.cloudwatch;

import dev.kubelogs.job.sink.cloudwatch.wire.Utf8;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;

/**
 * Versioned serializer of {@link CloudWatchLogsCommittable} (checkpoint state; no Kryo). A committable holds its events
 * in the bytes of the current version ({@link EventArena}), so writing one is handing out that array: Flink snapshots
 * every committable not yet committed at every checkpoint.
 *
 * <p>Version 4 (current): the header of version 2, then {@link EventArena}'s layout: the events' timestamps, lengths
 * and sources first, then their messages one after the other, the end a run of events shares (the container's
 * kubernetes block) stored once; the put writes its body from those bytes in place.
 *
 * <pre>
 * string logGroup, string logStream, zigzag writerEpoch, varint subtaskIndex, zigzag sequence,
 * zigzag createdAtMillis, then EventArena's layout
 * </pre>
 *
 * <p>Version 3 (read only) is version 2 with each message written as the bytes it does not share with the end of the
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
 * Golden files ({@code src/test/resources/sink/committable-v1.bin} to {@code -v4.bin}) pin the
 * layouts: a new layout must get a new version number and keep reading the old ones.
 */
public final class CloudWatchLogsCommittableSerializer implements SimpleVersionedSerializer<CloudWatchLogsCommittable> {
    public static final int VERSION_1 = 1;
    public static final int VERSION_2 = 2;
    public static final int VERSION_3 = 3;
    public static final int VERSION_4 = 4;
    private static final int CURRENT = VERSION_4;
    /** Upper bound of the bytes of one varint-encoded long. */
    private static final int MAX_VARINT = 10;

    @Override
    public int getVersion() {
        return CURRENT;
    }

    /** The committable's bytes in the current version: its arena itself, shared; callers must not modify it. */
    @Override
    public byte[] serialize(CloudWatchLogsCommittable c) {
        return c.arena().bytes();
    }

    /** A committable's header in the current version: what its {@link EventArena} is prefixed with. */
    static byte[] header(
            String logGroup,
            String logStream,
            long writerEpoch,
            int subtaskIndex,
            long sequence,
            long createdAtMillis) {
        byte[] group = logGroup.getBytes(StandardCharsets.UTF_8);
        byte[] stream = logStream.getBytes(StandardCharsets.UTF_8);
        CommittableOutput out = new CommittableOutput(6 * MAX_VARINT + group.length + stream.length);
        out.bytes(group);
        out.bytes(stream);
        out.zigzag(writerEpoch);
        out.varint(subtaskIndex);
        out.zigzag(sequence);
        out.zigzag(createdAtMillis);
        return out.toByteArray();
    }

    @Override
    public CloudWatchLogsCommittable deserialize(int version, byte[] serialized) throws IOException {
        if (version == VERSION_1) {
            return deserializeV1(serialized);
        }
        if (version < VERSION_1 || version > VERSION_4) {
            throw new IOException("unknown CloudWatchLogsCommittable serializer version " + version
                    + " (this build reads versions " + VERSION_1 + " to " + VERSION_4 + ")");
        }
        CommittableInput in = new CommittableInput(serialized);
        String group = in.string();
        String stream = in.string();
        long epoch = in.zigzag();
        int subtask = in.varintInt();
        long sequence = in.zigzag();
        long created = in.zigzag();
        if (version == VERSION_4) {
            return new CloudWatchLogsCommittable(
                    group, stream, epoch, subtask, sequence, created, EventArena.read(serialized, in.position()));
        }
        int n = eventCount(in.varintInt());
        String[] sources = in.sourceTable(n);
        int sourceCount = sources.length - 1;
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
}
