package dev.kubelogs.job.source.kinesis;

import dev.kubelogs.job.source.SpoolRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * Reads its shards on one fetcher thread and emits each record's segment, and tells the enumerator of each shard it
 * read to its end. The enumerator takes its checkpoint before the readers take theirs, so a notice may come too late
 * for the enumerator's part of a checkpoint; the reader keeps the ended shard in its own part until a checkpoint taken
 * after the notice completes, and a reader restored with one sends the notice again. Otherwise a restore could leave
 * the shard's children waiting for ever for a parent no reader has.
 */
final class KinesisSegmentReader
        extends SingleThreadMultiplexSourceReaderBase<Record, SpoolRecord, ShardSplit, ShardSplitState> {
    private final List<ShardSplit> finishedSinceSnapshot = new ArrayList<>();
    /** Ended shards by the checkpoint whose reader state first held them. */
    private final NavigableMap<Long, List<ShardSplit>> finishedByCheckpoint = new TreeMap<>();

    KinesisSegmentReader(KinesisStreamSettings settings, SourceReaderContext context) {
        super(
                () -> new ShardRecordFetcher(settings, settings.client()),
                new SegmentRecordEmitter(settings.stream()),
                new Configuration(),
                context);
    }

    @Override
    public void addSplits(List<ShardSplit> splits) {
        List<ShardSplit> toRead = new ArrayList<>();
        List<ShardSplit> ended = new ArrayList<>();
        for (ShardSplit split : splits) {
            (split.finished() ? ended : toRead).add(split);
        }
        if (!ended.isEmpty()) {
            finished(ended);
        }
        if (!toRead.isEmpty()) {
            super.addSplits(toRead);
        }
    }

    @Override
    protected void onSplitFinished(Map<String, ShardSplitState> finished) {
        List<ShardSplit> ended = new ArrayList<>();
        for (ShardSplitState state : finished.values()) {
            ended.add(state.toSplit().asFinished());
        }
        finished(ended);
    }

    private void finished(List<ShardSplit> ended) {
        finishedSinceSnapshot.addAll(ended);
        List<String> ids = new ArrayList<>();
        for (ShardSplit split : ended) {
            ids.add(split.shardId());
        }
        context.sendSourceEventToCoordinator(new ShardsFinishedEvent(ids));
    }

    @Override
    public List<ShardSplit> snapshotState(long checkpointId) {
        List<ShardSplit> splits = new ArrayList<>(super.snapshotState(checkpointId));
        if (!finishedSinceSnapshot.isEmpty()) {
            finishedByCheckpoint.put(checkpointId, List.copyOf(finishedSinceSnapshot));
            finishedSinceSnapshot.clear();
        }
        finishedByCheckpoint.values().forEach(splits::addAll);
        return splits;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        // the notices those shards' checkpoint followed reached the enumerator before any later checkpoint began
        finishedByCheckpoint.headMap(checkpointId, true).clear();
        super.notifyCheckpointComplete(checkpointId);
    }

    @Override
    protected ShardSplitState initializedState(ShardSplit split) {
        return new ShardSplitState(split);
    }

    @Override
    protected ShardSplit toSplitType(String splitId, ShardSplitState state) {
        return state.toSplit();
    }
}
