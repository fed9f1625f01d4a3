package dev.kubelogs.job.source.kinesis;

import dev.kubelogs.job.source.SegmentBulkFormat;
import dev.kubelogs.job.source.SpoolRecord;
import dev.kubelogs.spool.CorruptSegmentException;
import dev.kubelogs.spool.SegmentReader;
import java.util.List;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * Turns one Kinesis record, which carries one whole spool segment, into the records the spool source emits for that
 * segment (the same {@link SegmentBulkFormat#toRecords} split into line batches), then moves the shard's position past
 * it. A checkpoint falls between two Kinesis records, never inside one, so a segment is emitted whole or not at all.
 *
 * <p>The segment's header names its cluster, node and seq, so the bytes need nothing beside them. The partition key
 * ({@code cluster/node}, which keeps a node's segments in one shard and in put order) is read only when the bytes are
 * not a segment: the dead letter then still goes to the node that put it.
 */
final class SegmentRecordEmitter implements RecordEmitter<Record, SpoolRecord, ShardSplitState> {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentRecordEmitter.class);

    /**
     * {@link SpoolRecord#previousSeq} of every record from a shard: one shard delivers a node's segments in the order
     * they were put, so when a later segment comes, no earlier one is still on its way (the stream's retention took
     * it, or the job started at LATEST) and the keyed stage need not wait for it.
     */
    static final long NOTHING_EARLIER_PENDING = -1L;

    private final String stream;

    SegmentRecordEmitter(String stream) {
        this.stream = stream;
    }

    @Override
    public void emitRecord(Record record, SourceOutput<SpoolRecord> output, ShardSplitState shard) {
        for (SpoolRecord r : toSpoolRecords(record, stream, shard.shardId())) {
            output.collect(r);
        }
        shard.emitted(record.sequenceNumber());
    }

    static List<SpoolRecord> toSpoolRecords(Record record, String stream, String shardId) {
        byte[] bytes = record.data().asByteArrayUnsafe();
        List<SpoolRecord> records;
        try {
            records = SegmentBulkFormat.toRecords(SegmentReader.parse(bytes), 0).records();
        } catch (CorruptSegmentException e) {
            String where = "kinesis:" + stream + "/" + shardId + "/" + record.sequenceNumber();
            LOG.error("Skipping a Kinesis record that is not a readable segment ({}): {}", where, e.getMessage());
            String key = record.partitionKey();
            int slash = key.indexOf('/');
            String cluster = slash < 0 ? "" : key.substring(0, slash);
            String node = slash < 0 ? key : key.substring(slash + 1);
            records = List.of(SpoolRecord.corrupt(cluster, node, -1L, where, e.getMessage()));
        }
        for (SpoolRecord r : records) {
            r.previousSeq = NOTHING_EARLIER_PENDING;
        }
        return records;
    }
}
