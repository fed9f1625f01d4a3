package dev.kubelogs.job.metrics.source;

import dev.kubelogs.job.metrics.model.ScrapeTarget;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Version 2: source count, (job, source key, target count, target…)…, owner count, (target id, subtask)…; targets
 * as in {@link ScrapeTargetSplitSerializer} version 2. Version 1 has its targets as in that serializer's version 1.
 */
public final class ScrapeEnumeratorStateSerializer implements SimpleVersionedSerializer<ScrapeEnumeratorState> {
    private static final int VERSION = ScrapeTargetSplitSerializer.VERSION;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(ScrapeEnumeratorState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(state.sources().size());
        for (ScrapeEnumeratorState.SourceTargets source : state.sources()) {
            ScrapeTargetSplitSerializer.writeString(out, source.jobName());
            ScrapeTargetSplitSerializer.writeString(out, source.sourceKey());
            out.writeInt(source.targets().size());
            for (ScrapeTarget target : source.targets()) {
                ScrapeTargetSplitSerializer.write(out, target);
            }
        }
        out.writeInt(state.ownerByTargetId().size());
        for (Map.Entry<String, Integer> e : state.ownerByTargetId().entrySet()) {
            ScrapeTargetSplitSerializer.writeString(out, e.getKey());
            out.writeInt(e.getValue());
        }
        out.flush();
        return bytes.toByteArray();
    }

    @Override
    public ScrapeEnumeratorState deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION && version != ScrapeTargetSplitSerializer.VERSION_WITHOUT_DISCOVERED_ADDRESS) {
            throw new IOException("Unknown scrape enumerator state version " + version);
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized));
        int sourceCount = in.readInt();
        List<ScrapeEnumeratorState.SourceTargets> sources = new ArrayList<>(sourceCount);
        for (int i = 0; i < sourceCount; i++) {
            String job = ScrapeTargetSplitSerializer.readString(in);
            String key = ScrapeTargetSplitSerializer.readString(in);
            int targetCount = in.readInt();
            List<ScrapeTarget> targets = new ArrayList<>(targetCount);
            for (int t = 0; t < targetCount; t++) {
                targets.add(ScrapeTargetSplitSerializer.read(in, version));
            }
            sources.add(new ScrapeEnumeratorState.SourceTargets(job, key, targets));
        }
        int ownerCount = in.readInt();
        Map<String, Integer> owners = new LinkedHashMap<>();
        for (int i = 0; i < ownerCount; i++) {
            owners.put(ScrapeTargetSplitSerializer.readString(in), in.readInt());
        }
        return new ScrapeEnumeratorState(sources, owners);
    }
}
