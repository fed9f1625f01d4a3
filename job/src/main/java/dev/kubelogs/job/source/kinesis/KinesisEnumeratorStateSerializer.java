package dev.kubelogs.job.source.kinesis;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Version 1: assigned ids, finished ids (each as count + ids), unassigned splits, first-discovery flag. */
public final class KinesisEnumeratorStateSerializer implements SimpleVersionedSerializer<KinesisEnumeratorState> {
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(KinesisEnumeratorState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        DataOutputStream out = new DataOutputStream(bytes);
        writeIds(out, state.assigned());
        writeIds(out, state.finished());
        out.writeInt(state.unassigned().size());
        for (ShardSplit split : state.unassigned()) {
            ShardSplitSerializer.write(out, split);
        }
        out.writeBoolean(state.firstDiscoveryDone());
        out.flush();
        return bytes.toByteArray();
    }

    @Override
    public KinesisEnumeratorState deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("Unknown Kinesis enumerator state version " + version);
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized));
        Set<String> assigned = readIds(in);
        Set<String> finished = readIds(in);
        int count = in.readInt();
        List<ShardSplit> unassigned = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            unassigned.add(ShardSplitSerializer.read(in));
        }
        return new KinesisEnumeratorState(assigned, finished, unassigned, in.readBoolean());
    }

    private static void writeIds(DataOutputStream out, Set<String> ids) throws IOException {
        out.writeInt(ids.size());
        for (String id : ids) {
            out.writeUTF(id);
        }
    }

    private static Set<String> readIds(DataInputStream in) throws IOException {
        int count = in.readInt();
        Set<String> ids = new HashSet<>(count * 2);
        for (int i = 0; i < count; i++) {
            ids.add(in.readUTF());
        }
        return ids;
    }
}
