package dev.kubelogs.job.model;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of {@link CloudWatchEvent} (between the keyed stage and the sinks, every event crosses the
 * network once). It replaces the POJO serializer, which writes strings char by char: here a string is its UTF-8
 * bytes, so an ASCII message is copied rather than encoded, and read back the same way.
 *
 * <p>Layout: {@code string logGroup, string logStream, long timestamp, string message, string sourceId,
 * long sourceOffset, string ownerKey}. No state holds these events (committables keep the sink's own events), so the
 * layout only has to agree between the keyed stage and the sinks of one running job.
 *
 * <p>Strings as {@link Utf8Strings}. A message written as UTF-8 is read back as those bytes
 * ({@link CloudWatchEvent#messageUtf8}), one with unpaired surrogates as its {@code String}.
 */
public final class CloudWatchEventSerializer extends TypeSerializerSingleton<CloudWatchEvent> {
    private static final long serialVersionUID = 1L;
    public static final CloudWatchEventSerializer INSTANCE = new CloudWatchEventSerializer();
    /** Log groups and streams repeat from event to event: encoded once (per process; not part of the serializer). */
    private static final EncodedStrings GROUPS_AND_STREAMS = new EncodedStrings(1024);

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public CloudWatchEvent createInstance() {
        return new CloudWatchEvent();
    }

    @Override
    public CloudWatchEvent copy(CloudWatchEvent from) {
        CloudWatchEvent copy = new CloudWatchEvent(
                from.logGroup,
                from.logStream,
                from.timestamp,
                from.message,
                from.sourceId,
                from.sourceOffset,
                from.ownerKey);
        copy.messageUtf8 = from.messageUtf8; // immutable once made, like the strings
        return copy;
    }

    @Override
    public CloudWatchEvent copy(CloudWatchEvent from, CloudWatchEvent reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(CloudWatchEvent e, DataOutputView out) throws IOException {
        writeGroupOrStream(e.logGroup, out);
        writeGroupOrStream(e.logStream, out);
        out.writeLong(e.timestamp);
        if (e.messageUtf8 != null && e.message == null) {
            Utf8Strings.writeUtf8(e.messageUtf8, out);
        } else {
            Utf8Strings.write(e.message, out);
        }
        Utf8Strings.write(e.sourceId, out);
        out.writeLong(e.sourceOffset);
        Utf8Strings.write(e.ownerKey, out);
    }

    /** What {@link Utf8Strings#write} writes; the bytes of a string written lately are copied, not encoded again. */
    private static void writeGroupOrStream(String s, DataOutputView out) throws IOException {
        byte[] utf8 = s == null ? null : GROUPS_AND_STREAMS.utf8(s);
        if (utf8 == null) {
            Utf8Strings.write(s, out);
        } else {
            Utf8Strings.writeUtf8(utf8, out);
        }
    }

    @Override
    public CloudWatchEvent deserialize(DataInputView in) throws IOException {
        CloudWatchEvent e = new CloudWatchEvent();
        e.logGroup = Utf8Strings.read(in);
        e.logStream = Utf8Strings.read(in);
        e.timestamp = in.readLong();
        long message = Utf8Strings.readHeader(in);
        if (Utf8Strings.isUtf8(message)) {
            // kept as the bytes that came: the sink buffers them as they are, no String decoded and encoded again
            e.messageUtf8 = Utf8Strings.readUtf8(message, in);
        } else {
            e.message = Utf8Strings.read(message, in);
        }
        e.sourceId = Utf8Strings.read(in);
        e.sourceOffset = in.readLong();
        e.ownerKey = Utf8Strings.read(in);
        return e;
    }

    @Override
    public CloudWatchEvent deserialize(CloudWatchEvent reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<CloudWatchEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Snapshot of the (stateless) serializer. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<CloudWatchEvent> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
