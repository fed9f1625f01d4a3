package dev.kubelogs.job.source.kinesis;

/** A shard being read: the split it started as and the sequence number of the last record emitted from it. */
final class ShardSplitState {
    private final ShardSplit split;
    private String lastEmitted;

    ShardSplitState(ShardSplit split) {
        this.split = split;
        this.lastEmitted = split.afterSequenceNumber();
    }

    String shardId() {
        return split.shardId();
    }

    void emitted(String sequenceNumber) {
        lastEmitted = sequenceNumber;
    }

    /** The split a checkpoint keeps: the same shard, read on after the last record emitted. */
    ShardSplit toSplit() {
        return lastEmitted == null ? split : split.after(lastEmitted);
    }
}
