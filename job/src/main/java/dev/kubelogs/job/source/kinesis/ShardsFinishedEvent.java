package dev.kubelogs.job.source.kinesis;

import java.util.List;
import org.apache.flink.api.connector.source.SourceEvent;

/** A reader read these shards to their end (a reshard closed them): their children may now be read. */
public record ShardsFinishedEvent(List<String> shardIds) implements SourceEvent {
    private static final long serialVersionUID = 1L;

    public ShardsFinishedEvent {
        shardIds = List.copyOf(shardIds);
    }
}
