package dev.kubelogs.job.metrics.delta;

import dev.kubelogs.job.metrics.model.SeriesBatch;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.util.Collector;

/**
 * Splits a scrape's batch into one batch per delta subtask, each holding the groups whose key ({@link SeriesGroupKey})
 * that subtask's key groups own, as Flink's keyBy would send them one by one
 * ({@link KeyGroupRangeAssignment#assignKeyToParallelOperator}); {@link DeltaSubtaskPartitioner} then sends each batch
 * to its subtask. It runs chained to the source, with the delta stage's parallelism and key groups (the job gives both
 * the same ones); {@link DeltaOperator} fails on a group outside its key groups, so a mismatch cannot put a series'
 * state on the wrong subtask unnoticed. Each group keeps its key, so the delta stage does not hash it again.
 *
 * <p>A batch holds at most {@link #MAX_GROUPS_PER_BATCH} groups: a scrape of a very large exporter goes out as several,
 * so no record grows to the size at which Flink's reader spills it to disk (5 MB), and the heap a record needs stays
 * small on both sides.
 */
public final class DeltaRouter extends RichFlatMapFunction<SeriesBatch, SeriesBatch> {
    private static final long serialVersionUID = 1L;
    public static final String UID = "metrics-route";
    /** A few hundred kilobytes of groups at most; the per-record cost is already negligible at this size. */
    static final int MAX_GROUPS_PER_BATCH = 1024;

    private transient int parallelism;
    private transient int maxParallelism;

    @Override
    public void open(OpenContext openContext) {
        TaskInfo task = getRuntimeContext().getTaskInfo();
        parallelism = task.getNumberOfParallelSubtasks();
        maxParallelism = task.getMaxNumberOfParallelSubtasks();
    }

    @Override
    public void flatMap(SeriesBatch scrape, Collector<SeriesBatch> out) {
        if (scrape.groups == null || scrape.groups.isEmpty()) {
            return;
        }
        if (parallelism == 1) {
            emit(0, scrape.groups, out);
            return;
        }
        @SuppressWarnings("unchecked")
        List<SeriesGroup>[] bySubtask = new List[parallelism];
        int expected = scrape.groups.size() / parallelism + 1;
        for (SeriesGroup group : scrape.groups) {
            Tuple2<Long, Long> key = SeriesGroupKey.of(group);
            int subtask = KeyGroupRangeAssignment.assignKeyToParallelOperator(key, maxParallelism, parallelism);
            List<SeriesGroup> list = bySubtask[subtask];
            if (list == null) {
                list = new ArrayList<>(expected);
                bySubtask[subtask] = list;
            }
            list.add(group);
        }
        for (int subtask = 0; subtask < parallelism; subtask++) {
            if (bySubtask[subtask] != null) {
                emit(subtask, bySubtask[subtask], out);
            }
        }
    }

    private void emit(int subtask, List<SeriesGroup> groups, Collector<SeriesBatch> out) {
        int n = groups.size();
        if (n <= MAX_GROUPS_PER_BATCH) {
            out.collect(new SeriesBatch(subtask, parallelism, groups));
            return;
        }
        for (int from = 0; from < n; from += MAX_GROUPS_PER_BATCH) {
            out.collect(new SeriesBatch(
                    subtask, parallelism, groups.subList(from, Math.min(n, from + MAX_GROUPS_PER_BATCH))));
        }
    }
}
