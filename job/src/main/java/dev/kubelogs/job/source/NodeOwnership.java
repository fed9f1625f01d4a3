package dev.kubelogs.job.source;

import java.io.Serializable;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

/**
 * Which reader may read a node's segments. By default only the reader whose subtask index is the one the keyed stage
 * gives the node's key group ({@code cluster/node}, hashed as Flink's keyBy hashes it): reader i then emits only keys
 * that keyed subtask i owns, so the job can chain the keyed stage to the source instead of shuffling every line. With
 * {@link #anyReader()} any reader takes any node's next segment, and the job must shuffle.
 */
public final class NodeOwnership implements Serializable {
    private static final long serialVersionUID = 1L;

    private final boolean anyReader;
    private final int maxParallelism;

    private NodeOwnership(boolean anyReader, int maxParallelism) {
        this.anyReader = anyReader;
        this.maxParallelism = maxParallelism;
    }

    /** Nodes read by the reader of the subtask that owns their key group among {@code maxParallelism} groups. */
    public static NodeOwnership byKeyGroup(int maxParallelism) {
        KeyGroupRangeAssignment.checkParallelismPreconditions(maxParallelism);
        return new NodeOwnership(false, maxParallelism);
    }

    public static NodeOwnership anyReader() {
        return new NodeOwnership(true, 0);
    }

    /** Whether each node is read by one reader only, the one its key group's keyed subtask runs beside. */
    public boolean alignedWithKeyGroups() {
        return !anyReader;
    }

    /** Whether reader {@code subtask} of {@code parallelism} may read {@code nodeKey}'s segments. */
    public boolean mayRead(String nodeKey, int subtask, int parallelism) {
        return anyReader || owner(nodeKey, parallelism) == subtask;
    }

    /** The subtask whose reader reads {@code nodeKey}; meaningless with {@link #anyReader()}. */
    public int owner(String nodeKey, int parallelism) {
        return KeyGroupRangeAssignment.assignKeyToParallelOperator(nodeKey, maxParallelism, parallelism);
    }

    @Override
    public String toString() {
        return anyReader ? "any reader" : "by key group of " + maxParallelism;
    }
}
