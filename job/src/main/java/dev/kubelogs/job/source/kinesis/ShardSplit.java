package dev.kubelogs.job.source.kinesis;

import java.util.List;
import java.util.Objects;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * One shard of the stream, and where its reading starts: after {@code afterSequenceNumber} when a record of it was
 * read (a restored split), else at {@code startTimestampMillis} ({@code AT_TIMESTAMP}: the job's first start at
 * LATEST, fixed when the shard was found so a restore does not skip what came in between), else at the shard's
 * oldest record ({@code TRIM_HORIZON}). A {@code finished} split was read to the shard's end: a reader keeps it in its
 * state until a checkpoint covers the enumerator having heard so (see {@link KinesisSegmentReader}).
 */
public record ShardSplit(
        String shardId,
        List<String> parentShardIds,
        String afterSequenceNumber,
        long startTimestampMillis,
        boolean finished)
        implements SourceSplit {
    /** {@link #startTimestampMillis} of a split that starts at the shard's oldest record. */
    public static final long TRIM_HORIZON = -1L;

    public ShardSplit {
        Objects.requireNonNull(shardId, "shardId");
        parentShardIds = List.copyOf(parentShardIds);
    }

    /** A shard not read yet. */
    public ShardSplit(String shardId, List<String> parentShardIds, long startTimestampMillis) {
        this(shardId, parentShardIds, null, startTimestampMillis, false);
    }

    /** The same shard, to be read after {@code sequenceNumber}. */
    public ShardSplit after(String sequenceNumber) {
        return new ShardSplit(shardId, parentShardIds, sequenceNumber, startTimestampMillis, finished);
    }

    /** The same shard, read to its end. */
    public ShardSplit asFinished() {
        return new ShardSplit(shardId, parentShardIds, afterSequenceNumber, startTimestampMillis, true);
    }

    @Override
    public String splitId() {
        return shardId;
    }
}
