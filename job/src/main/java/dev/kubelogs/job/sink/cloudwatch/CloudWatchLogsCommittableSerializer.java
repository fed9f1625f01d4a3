package dev.kubelogs.job.sink.cloudwatch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Versioned serializer of {@link CloudWatchLogsCommittable} (checkpoint state; no Kryo).
 *
 * <p>Version 1 layout (big-endian, strings = int byte length + UTF-8 bytes, nullable strings prefixed by a
 * boolean "present"):
 *
 * <pre>
 * string logGroup, string logStream, long writerEpoch, int subtaskIndex, long sequence, long createdAtMillis,
 * int eventCount, eventCount x (long timestamp, string message, nullable-string sourceId, long sourceOffset)
 * </pre>
 *
 * A golden file ({@code src/test/resources/sink/committable-v1.bin}) pins this layout: a new layout must get a
 * new version number and keep reading version 1.
 */
public final class CloudWatchLogsCommittableSerializer implements SimpleVersionedSerializer<CloudWatchLogsCommittable> {
    public static final int VERSION_1 = 1;
    private static final int CURRENT = VERSION_1;

    @Override
    public int getVersion() {
        return CURRENT;
    }

    @Override
    public byte[] serialize(CloudWatchLogsCommittable c) throws IOException {
        long estimate = 64L + c.logGroup().length() + c.logStream().length();
        for (SinkEvent e : c.events()) {
            estimate += 32 + e.utf8Length() + (e.sourceId() == null ? 0 : e.sourceId().length() * 3L);
        }
        DataOutputSerializer out = new DataOutputSerializer((int) Math.min(estimate, Integer.MAX_VALUE - 16));
        writeString(out, c.logGroup());
        writeString(out, c.logStream());
        out.writeLong(c.writerEpoch());
        out.writeInt(c.subtaskIndex());
        out.writeLong(c.sequence());
        out.writeLong(c.createdAtMillis());
        out.writeInt(c.events().size());
        for (SinkEvent e : c.events()) {
            out.writeLong(e.timestamp());
            writeString(out, e.message());
            out.writeBoolean(e.sourceId() != null);
            if (e.sourceId() != null) {
                writeString(out, e.sourceId());
            }
            out.writeLong(e.sourceOffset());
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public CloudWatchLogsCommittable deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION_1) {
            throw new IOException("unknown CloudWatchLogsCommittable serializer version " + version
                    + " (this build reads version " + VERSION_1 + ")");
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        String group = readString(in);
        String stream = readString(in);
        long epoch = in.readLong();
        int subtask = in.readInt();
        long sequence = in.readLong();
        long created = in.readLong();
        int n = in.readInt();
        if (n <= 0 || n > BatchCutter.MAX_EVENTS_PER_BATCH) {
            throw new IOException("corrupt committable: " + n + " events");
        }
        List<SinkEvent> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long ts = in.readLong();
            String message = readString(in);
            String sourceId = in.readBoolean() ? readString(in) : null;
            long offset = in.readLong();
            events.add(new SinkEvent(ts, message, sourceId, offset));
        }
        if (in.available() != 0) {
            throw new IOException("corrupt committable: " + in.available() + " trailing bytes");
        }
        return new CloudWatchLogsCommittable(group, stream, epoch, subtask, sequence, created, events);
    }

    private static void writeString(DataOutputView out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputView in) throws IOException {
        int len = in.readInt();
        if (len < 0) {
            throw new IOException("corrupt committable: negative string length " + len);
        }
        byte[] b = new byte[len];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
