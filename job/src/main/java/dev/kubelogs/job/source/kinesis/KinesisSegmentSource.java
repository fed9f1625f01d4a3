package dev.kubelogs.job.source.kinesis;

import dev.kubelogs.job.source.SpoolRecord;
import dev.kubelogs.job.source.SpoolSource;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The collectors' segments from a Kinesis data stream instead of the spool: each record is one whole segment, put
 * with partition key {@code cluster/node}, so a node's segments come from one shard in put order. It emits the same
 * {@link SpoolRecord}s the spool source does, so the keyed stage and the sinks behind it do not know which transport
 * ran. A FLIP-27 source over the AWS SDK's Kinesis client (polling GetRecords), whose checkpointed position is the
 * sequence number of the last record emitted per shard.
 */
public final class KinesisSegmentSource
        implements Source<SpoolRecord, ShardSplit, KinesisEnumeratorState>, ResultTypeQueryable<SpoolRecord> {
    private static final long serialVersionUID = 1L;

    /** The operator's uid: not the spool source's, whose state (per-node segment numbers) means nothing here. */
    public static final String UID = "kinesis-source";

    private final KinesisStreamSettings settings;

    public KinesisSegmentSource(KinesisStreamSettings settings) {
        this.settings = settings;
    }

    public KinesisStreamSettings settings() {
        return settings;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<SpoolRecord, ShardSplit> createReader(SourceReaderContext readerContext) {
        return new KinesisSegmentReader(settings, readerContext);
    }

    @Override
    public SplitEnumerator<ShardSplit, KinesisEnumeratorState> createEnumerator(
            SplitEnumeratorContext<ShardSplit> context) {
        return restoreEnumerator(context, KinesisEnumeratorState.empty());
    }

    @Override
    public SplitEnumerator<ShardSplit, KinesisEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<ShardSplit> context, KinesisEnumeratorState state) {
        return new KinesisShardEnumerator(context, settings, settings.client(), state);
    }

    @Override
    public SimpleVersionedSerializer<ShardSplit> getSplitSerializer() {
        return ShardSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<KinesisEnumeratorState> getEnumeratorCheckpointSerializer() {
        return new KinesisEnumeratorStateSerializer();
    }

    @Override
    public TypeInformation<SpoolRecord> getProducedType() {
        return SpoolSource.recordType();
    }
}
