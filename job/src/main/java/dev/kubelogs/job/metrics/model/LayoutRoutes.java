package dev.kubelogs.job.metrics.model;

/**
 * Where the router keeps how a scrape layout's groups ({@link LayoutGroups}) split into batches for the delta
 * subtasks: one instance per layout, dropped with it, so the memory is that of the layout's groups' constant parts
 * once more. A layout's scrapes may be routed by any thread: the route is immutable and published whole.
 */
public final class LayoutRoutes {
    private volatile Route route;

    /** The route kept for this parallelism and max parallelism, or null. */
    public Route get(int parallelism, int maxParallelism) {
        Route r = route;
        return r != null && r.parallelism == parallelism && r.maxParallelism == maxParallelism ? r : null;
    }

    public void keep(Route r) {
        route = r;
    }

    /**
     * The batches of a layout's {@code groupCount} groups: batch {@code b} goes to {@code subtasks[b]} with the groups
     * at {@code indices[b]} (in the layout's order), whose constant part is {@code blocks[b]}. Not written after it
     * was made.
     */
    public static final class Route {
        private final int parallelism;
        private final int maxParallelism;
        private final int groupCount;
        private final int[] subtasks;
        private final int[][] indices;
        private final ConstantBlock[] blocks;

        public Route(
                int parallelism,
                int maxParallelism,
                int groupCount,
                int[] subtasks,
                int[][] indices,
                ConstantBlock[] blocks) {
            if (subtasks.length != indices.length || indices.length != blocks.length) {
                throw new IllegalArgumentException("one subtask, index list and block per batch");
            }
            this.parallelism = parallelism;
            this.maxParallelism = maxParallelism;
            this.groupCount = groupCount;
            this.subtasks = subtasks;
            this.indices = indices;
            this.blocks = blocks;
        }

        public int groupCount() {
            return groupCount;
        }

        public int batches() {
            return subtasks.length;
        }

        public int subtask(int batch) {
            return subtasks[batch];
        }

        /** The indices of batch {@code batch}'s groups among the layout's; not to be written. */
        public int[] indices(int batch) {
            return indices[batch];
        }

        public ConstantBlock block(int batch) {
            return blocks[batch];
        }
    }
}
