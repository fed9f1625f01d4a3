package dev.kubelogs.job.source.kinesis;

/** Where the job's first start reads a shard it finds; shards found later (after a reshard) are read whole. */
public enum InitialPosition {
    /** The oldest record the stream still holds: nothing the collectors put before the job started is skipped. */
    TRIM_HORIZON,
    /** Only what is put after the job found the shard. */
    LATEST
}
