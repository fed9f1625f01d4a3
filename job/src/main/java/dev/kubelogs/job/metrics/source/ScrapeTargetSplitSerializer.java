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

/** Version 1: job name, URL, label count, (name, value)…, interval ms, timeout ms; strings as length + UTF-8. */
public final class ScrapeTargetSplitSerializer implements SimpleVersionedSerializer<ScrapeTargetSplit> {
    public static final ScrapeTargetSplitSerializer INSTANCE = new ScrapeTargetSplitSerializer();
    private static final int VERSION = 1;

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
        if (version != VERSION) {
            throw new IOException("Unknown scrape target split version " + version);
        }
        return new ScrapeTargetSplit(read(new DataInputStream(new ByteArrayInputStream(serialized))));
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
    }

    static ScrapeTarget read(DataInput in) throws IOException {
        String job = readString(in);
        String url = readString(in);
        int count = in.readInt();
        Labels.Builder labels = Labels.builder();
        for (int i = 0; i < count; i++) {
            labels.set(readString(in), readString(in));
        }
        return new ScrapeTarget(job, url, labels.build(), in.readLong(), in.readLong());
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
