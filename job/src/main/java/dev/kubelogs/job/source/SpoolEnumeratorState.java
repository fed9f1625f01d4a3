package dev.kubelogs.job.source;

import java.util.List;
import java.util.Map;
import org.apache.flink.connector.file.src.FileSourceSplit;

/**
 * Checkpointed state of the spool enumerator: per node the lowest segment seq never handed to a
 * reader, plus the few splits a failed reader gave back and nobody has taken again (with their
 * positions). It grows with the number of nodes, never with the number of segments read.
 *
 * @param nextSeqByNode "cluster/node" → next segment seq to assign
 * @param returnedSplits splits given back by failed readers, still to be re-assigned
 */
public record SpoolEnumeratorState(Map<String, Long> nextSeqByNode, List<FileSourceSplit> returnedSplits) {

    public static SpoolEnumeratorState empty() {
        return new SpoolEnumeratorState(Map.of(), List.of());
    }
}
