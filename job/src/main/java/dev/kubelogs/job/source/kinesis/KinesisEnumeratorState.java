package dev.kubelogs.job.source.kinesis;

import java.util.List;
import java.util.Set;

/**
 * What the enumerator keeps across restarts: the shards it handed out (the readers' state says how far each got),
 * those read to their end, the splits waiting for a reader, and whether the job's first discovery happened (only
 * that one starts at the configured initial position).
 */
public record KinesisEnumeratorState(
        Set<String> assigned, Set<String> finished, List<ShardSplit> unassigned, boolean firstDiscoveryDone) {

    public KinesisEnumeratorState {
        assigned = Set.copyOf(assigned);
        finished = Set.copyOf(finished);
        unassigned = List.copyOf(unassigned);
    }

    static KinesisEnumeratorState empty() {
        return new KinesisEnumeratorState(Set.of(), Set.of(), List.of(), false);
    }
}
