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

    /** Immutable ({@link CloudWatchEvent}): Flink may hand the same event on. */
    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public CloudWatchEvent createInstance() {
        return new CloudWatchEvent(null, null, 0L, null);
    }

    /**
     * The event itself: it is immutable, so the copy Flink makes between chained operators with object reuse off
     * (the node processor's output of events into the sink's writer) would only repeat its fields.
     */
    @Override
    public CloudWatchEvent copy(CloudWatchEvent from) {
        return from;
    }

    @Override
    public CloudWatchEvent copy(CloudWatchEvent from, CloudWatchEvent reuse) {
        return from;
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
        String logGroup = Utf8Strings.read(in);
        String logStream = Utf8Strings.read(in);
        long timestamp = in.readLong();
        long header = Utf8Strings.readHeader(in);
        String message = null;
        byte[] messageUtf8 = null;
        if (Utf8Strings.isUtf8(header)) {
            // kept as the bytes that came: the sink buffers them as they are, no String decoded and encoded again
            messageUtf8 = Utf8Strings.readUtf8(header, in);
        } else {
            message = Utf8Strings.read(header, in);
        }
        String sourceId = Utf8Strings.read(in);
        long sourceOffset = in.readLong();
        String ownerKey = Utf8Strings.read(in);
        return CloudWatchEvent.read(
                logGroup, logStream, timestamp, message, messageUtf8, sourceId, sourceOffset, ownerKey);
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
