package dev.kubelogs.job.metrics.source;

import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.ScrapeTarget;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Version 2: job name, URL, label count, (name, value)…, interval ms, timeout ms, whether the discovered address
 * follows (boolean), the discovered address; strings as length + UTF-8. Version 1, without the last two, still reads:
 * its targets have no discovered address ({@link ScrapeTarget#discoveredAddress()} null) until discovery replaces them.
 */
public final class ScrapeTargetSplitSerializer implements SimpleVersionedSerializer<ScrapeTargetSplit> {
    public static final ScrapeTargetSplitSerializer INSTANCE = new ScrapeTargetSplitSerializer();
    static final int VERSION = 2;
    static final int VERSION_WITHOUT_DISCOVERED_ADDRESS = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(ScrapeTargetSplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        DataOutputStream out = new DataOutputStream(bytes);
        write(out, split.target());
        out.flush();
        return bytes.toByteArray();
    }

    @Override
    public ScrapeTargetSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION && version != VERSION_WITHOUT_DISCOVERED_ADDRESS) {
            throw new IOException("Unknown scrape target split version " + version);
        }
        return new ScrapeTargetSplit(read(new DataInputStream(new ByteArrayInputStream(serialized)), version));
    }

    static void write(DataOutput out, ScrapeTarget target) throws IOException {
        writeString(out, target.jobName());
        writeString(out, target.url());
        Labels labels = target.labels();
        out.writeInt(labels.size());
        for (int i = 0; i < labels.size(); i++) {
            writeString(out, labels.name(i));
            writeString(out, labels.value(i));
        }
        out.writeLong(target.intervalMs());
        out.writeLong(target.timeoutMs());
        out.writeBoolean(target.discoveredAddress() != null);
        if (target.discoveredAddress() != null) {
            writeString(out, target.discoveredAddress());
        }
    }

    /** A target as {@link #write} wrote it, or as version 1 did. */
    static ScrapeTarget read(DataInput in, int version) throws IOException {
        String job = readString(in);
        String url = readString(in);
        int count = in.readInt();
        Labels.Builder labels = Labels.builder();
        for (int i = 0; i < count; i++) {
            labels.set(readString(in), readString(in));
        }
        long intervalMs = in.readLong();
        long timeoutMs = in.readLong();
        String discoveredAddress = version >= VERSION && in.readBoolean() ? readString(in) : null;
        return new ScrapeTarget(job, url, labels.build(), intervalMs, timeoutMs, discoveredAddress);
    }

    static void writeString(DataOutput out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    static String readString(DataInput in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
