package dev.kubelogs.job.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Flink serializer of {@link CloudWatchEvent} (between the keyed stage and the sinks, every event crosses the
 * network once). It replaces the POJO serializer, which writes strings char by char: here a string is its UTF-8
 * bytes, so an ASCII message is copied rather than encoded, and read back the same way.
 *
 * <p>Layout: {@code string logGroup, string logStream, long timestamp, string message, string sourceId,
 * long sourceOffset, string ownerKey}. No state holds these events (committables keep the sink's own events), so the
 * layout only has to agree between the keyed stage and the sinks of one running job.
 *
 * <p>A string starts with a varint {@code header}: 0 = null; {@code (n << 2) | 1} = n UTF-8 bytes follow; 2 = a
 * {@link StringValue} follows (UTF-16 exact; only for strings with unpaired surrogates, which UTF-8 cannot carry,
 * so every string comes back exactly as it was).
 */
public final class CloudWatchEventSerializer extends TypeSerializerSingleton<CloudWatchEvent> {
    private static final long serialVersionUID = 1L;
    public static final CloudWatchEventSerializer INSTANCE = new CloudWatchEventSerializer();

    private static final int NULL = 0;
    private static final int UTF8 = 1;
    private static final int UTF16 = 2;

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
        return new CloudWatchEvent(
                from.logGroup,
                from.logStream,
                from.timestamp,
                from.message,
                from.sourceId,
                from.sourceOffset,
                from.ownerKey);
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
        writeString(e.logGroup, out);
        writeString(e.logStream, out);
        out.writeLong(e.timestamp);
        writeString(e.message, out);
        writeString(e.sourceId, out);
        out.writeLong(e.sourceOffset);
        writeString(e.ownerKey, out);
    }

    @Override
    public CloudWatchEvent deserialize(DataInputView in) throws IOException {
        CloudWatchEvent e = new CloudWatchEvent();
        e.logGroup = readString(in);
        e.logStream = readString(in);
        e.timestamp = in.readLong();
        e.message = readString(in);
        e.sourceId = readString(in);
        e.sourceOffset = in.readLong();
        e.ownerKey = readString(in);
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

    static void writeString(String s, DataOutputView out) throws IOException {
        if (s == null) {
            out.writeByte(NULL);
            return;
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        if (!lossless(s, utf8)) {
            out.writeByte(UTF16);
            StringValue.writeString(s, out);
            return;
        }
        VarInts.write(((long) utf8.length << 2) | UTF8, out);
        out.write(utf8);
    }

    static String readString(DataInputView in) throws IOException {
        long header = VarInts.read(in);
        int tag = (int) (header & 3);
        if (tag == NULL && header == 0) {
            return null;
        }
        if (tag == UTF16 && header == UTF16) {
            return StringValue.readString(in);
        }
        long n = header >>> 2;
        if (tag != UTF8 || n > Integer.MAX_VALUE - 16) {
            throw new IOException("corrupt CloudWatchEvent string header " + header);
        }
        byte[] utf8 = new byte[(int) n];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    /**
     * True if {@code utf8} (= {@code s.getBytes(UTF_8)}) decodes back to {@code s}, i.e. {@code s} has no unpaired
     * surrogate (the encoder turns those into '?').
     */
    static boolean lossless(String s, byte[] utf8) {
        if (utf8.length == s.length()) {
            // one byte per char: each char is ASCII or an unpaired surrogate that became '?' at the same index
            for (int i = 0; i < utf8.length; i++) {
                if (utf8[i] == '?' && s.charAt(i) != '?') {
                    return false;
                }
            }
            return true;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
