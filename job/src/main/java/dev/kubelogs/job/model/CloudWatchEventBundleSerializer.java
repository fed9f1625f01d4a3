package dev.kubelogs.job.model;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink serializer of {@link CloudWatchEventBundle}, the metrics branch's record into the sink.
 *
 * <p>Layout: {@code string logGroup, string logStream, varint n}, then per event {@code varint zigzag(timestamp -
 * previous timestamp)} (the first against 0; a bundle's events mostly share their scrape's time, so one byte) and
 * its message as UTF-8 ({@link Utf8Strings#writeUtf8}). No state holds bundles, so the layout only has to agree
 * between the EMF stage and the sink of one running job.
 */
public final class CloudWatchEventBundleSerializer extends TypeSerializerSingleton<CloudWatchEventBundle> {
    private static final long serialVersionUID = 1L;
    public static final CloudWatchEventBundleSerializer INSTANCE = new CloudWatchEventBundleSerializer();
    /** More events than a bundle is ever cut at, far more than a corrupt length should be trusted for. */
    static final int MAX_EVENTS = 1 << 20;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public CloudWatchEventBundle createInstance() {
        return new CloudWatchEventBundle("", "");
    }

    /** The messages' arrays are shared (immutable once made, as the strings are); the bundle's own arrays are not. */
    @Override
    public CloudWatchEventBundle copy(CloudWatchEventBundle from) {
        CloudWatchEventBundle copy = new CloudWatchEventBundle(from.logGroup(), from.logStream(), from.size());
        for (int i = 0; i < from.size(); i++) {
            copy.add(from.timestamp(i), from.messageUtf8(i));
        }
        return copy;
    }

    @Override
    public CloudWatchEventBundle copy(CloudWatchEventBundle from, CloudWatchEventBundle reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(CloudWatchEventBundle b, DataOutputView out) throws IOException {
        Utf8Strings.write(b.logGroup(), out);
        Utf8Strings.write(b.logStream(), out);
        int n = b.size();
        VarInts.write(n, out);
        long previous = 0;
        for (int i = 0; i < n; i++) {
            long t = b.timestamp(i);
            VarInts.write(zigzag(t - previous), out);
            previous = t;
            Utf8Strings.writeUtf8(b.messageUtf8(i), out);
        }
    }

    @Override
    public CloudWatchEventBundle deserialize(DataInputView in) throws IOException {
        String group = Utf8Strings.read(in);
        String stream = Utf8Strings.read(in);
        if (group == null || stream == null) {
            throw new IOException("corrupt event bundle: no log group or stream");
        }
        int n = VarInts.readLength(in, MAX_EVENTS);
        CloudWatchEventBundle b = new CloudWatchEventBundle(group, stream, n);
        long t = 0;
        for (int i = 0; i < n; i++) {
            t += unzigzag(VarInts.read(in));
            long header = Utf8Strings.readHeader(in);
            if (!Utf8Strings.isUtf8(header)) {
                throw new IOException("corrupt event bundle: event " + i + " of " + n + " is not UTF-8");
            }
            b.add(t, Utf8Strings.readUtf8(header, in));
        }
        return b;
    }

    @Override
    public CloudWatchEventBundle deserialize(CloudWatchEventBundle reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    @Override
    public TypeSerializerSnapshot<CloudWatchEventBundle> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Snapshot of the (stateless) serializer. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<CloudWatchEventBundle> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    /** Picked up by Flink's type extraction through {@code @TypeInfo} on {@link CloudWatchEventBundle}. */
    public static final class Factory extends TypeInfoFactory<CloudWatchEventBundle> {
        @Override
        public TypeInformation<CloudWatchEventBundle> createTypeInfo(
                Type t, Map<String, TypeInformation<?>> genericParameters) {
            return of();
        }
    }

    public static TypeInformation<CloudWatchEventBundle> of() {
        return new SerializerTypeInfo<>(CloudWatchEventBundle.class, INSTANCE);
    }
}
