package dev.kubelogs.job.source.kinesis;

import dev.kubelogs.job.source.SpoolRecord;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import software.amazon.awssdk.services.kinesis.model.Record;

/** Reads its shards on one fetcher thread and emits each record's segment; tells the enumerator of ended shards. */
final class KinesisSegmentReader
        extends SingleThreadMultiplexSourceReaderBase<Record, SpoolRecord, ShardSplit, ShardSplitState> {

    KinesisSegmentReader(KinesisStreamSettings settings, SourceReaderContext context) {
        super(
                () -> new ShardRecordFetcher(settings, settings.client()),
                new SegmentRecordEmitter(settings.stream()),
                new Configuration(),
                context);
    }

    @Override
    public void start() {}

    @Override
    protected void onSplitFinished(Map<String, ShardSplitState> finished) {
        context.sendSourceEventToCoordinator(new ShardsFinishedEvent(List.copyOf(finished.keySet())));
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
