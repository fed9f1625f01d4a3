package dev.kubelogs.job.source.kinesis;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Version 1: shard id, parent count, parent ids…, has-sequence flag, sequence number, start timestamp, finished. */
public final class ShardSplitSerializer implements SimpleVersionedSerializer<ShardSplit> {
    public static final ShardSplitSerializer INSTANCE = new ShardSplitSerializer();
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(ShardSplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        DataOutputStream out = new DataOutputStream(bytes);
        write(out, split);
        out.flush();
        return bytes.toByteArray();
    }

    @Override
    public ShardSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("Unknown Kinesis shard split version " + version);
        }
        return read(new DataInputStream(new ByteArrayInputStream(serialized)));
    }

    static void write(DataOutput out, ShardSplit split) throws IOException {
        out.writeUTF(split.shardId());
        out.writeInt(split.parentShardIds().size());
        for (String parent : split.parentShardIds()) {
            out.writeUTF(parent);
        }
        out.writeBoolean(split.afterSequenceNumber() != null);
        if (split.afterSequenceNumber() != null) {
            out.writeUTF(split.afterSequenceNumber());
        }
        out.writeLong(split.startTimestampMillis());
        out.writeBoolean(split.finished());
    }

    static ShardSplit read(DataInput in) throws IOException {
        String shardId = in.readUTF();
        int parents = in.readInt();
        List<String> parentIds = new ArrayList<>(parents);
        for (int i = 0; i < parents; i++) {
            parentIds.add(in.readUTF());
        }
        String after = in.readBoolean() ? in.readUTF() : null;
        long start = in.readLong();
        return new ShardSplit(shardId, parentIds, after, start, in.readBoolean());
    }
}
