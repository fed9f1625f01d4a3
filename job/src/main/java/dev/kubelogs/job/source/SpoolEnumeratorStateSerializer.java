package dev.kubelogs.job.source;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.FileSourceSplitSerializer;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/** Version 1: node count, (node, next seq)…, returned split count, (split serializer version, bytes)…. */
public final class SpoolEnumeratorStateSerializer implements SimpleVersionedSerializer<SpoolEnumeratorState> {
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(SpoolEnumeratorState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(state.nextSeqByNode().size());
        for (Map.Entry<String, Long> e : state.nextSeqByNode().entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong(e.getValue());
        }
        FileSourceSplitSerializer splits = FileSourceSplitSerializer.INSTANCE;
        out.writeInt(state.returnedSplits().size());
        for (FileSourceSplit split : state.returnedSplits()) {
            byte[] b = splits.serialize(split);
            out.writeInt(splits.getVersion());
            out.writeInt(b.length);
            out.write(b);
        }
        out.flush();
        return bytes.toByteArray();
    }

    @Override
    public SpoolEnumeratorState deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("Unknown spool enumerator state version " + version);
        }
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(serialized));
        try {
            int nodes = count(in, "node");
            Map<String, Long> next = new LinkedHashMap<>();
            for (int i = 0; i < nodes; i++) {
                next.put(in.readUTF(), in.readLong());
            }
            int count = count(in, "split");
            List<FileSourceSplit> returned = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int splitVersion = in.readInt();
                byte[] b = new byte[count(in, "split byte")];
                in.readFully(b);
                returned.add(FileSourceSplitSerializer.INSTANCE.deserialize(splitVersion, b));
            }
            if (in.available() > 0) {
                throw corrupt(in.available() + " bytes after its end");
            }
            return new SpoolEnumeratorState(next, returned);
        } catch (EOFException e) {
            throw (IOException)
                    corrupt("it ends early (" + serialized.length + " bytes)").initCause(e);
        }
    }

    /** A count or length: never negative nor more than the bytes left, so a corrupt one allocates nothing. */
    private static int count(DataInputStream in, String what) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw corrupt(n + " " + what + "s with " + in.available() + " bytes left");
        }
        return n;
    }

    private static IOException corrupt(String why) {
        return new IOException("corrupt spool enumerator state: " + why);
    }
}
