package dev.kubelogs.job.metrics.delta;

import dev.kubelogs.job.metrics.model.ConstantBlock;
import dev.kubelogs.job.metrics.model.LayoutGroups;
import dev.kubelogs.job.metrics.model.LayoutRoutes;
import dev.kubelogs.job.metrics.model.SeriesBatch;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import java.util.ArrayList;
import java.util.Arrays;
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
 *
 * <p>A scrape made from a layout ({@link LayoutGroups}) splits the same way every time, as its groups' keys are the
 * layout's: the split and each batch's {@link ConstantBlock} (the groups' constant part, encoded once) are kept with
 * the layout ({@link LayoutRoutes}), and each scrape's batches take their groups by index and carry the block, which
 * the serializer writes as it is.
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
        if (scrape.groups instanceof LayoutGroups layoutGroups) {
            emitByRoute(layoutGroups, out);
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
            int subtask = subtaskOf(group);
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

    private int subtaskOf(SeriesGroup group) {
        Tuple2<Long, Long> key = SeriesGroupKey.of(group);
        return KeyGroupRangeAssignment.assignKeyToParallelOperator(key, maxParallelism, parallelism);
    }

    private void emitByRoute(LayoutGroups groups, Collector<SeriesBatch> out) {
        LayoutRoutes.Route route = groups.routes().get(parallelism, maxParallelism);
        if (route == null || route.groupCount() != groups.size()) {
            route = route(groups);
            groups.routes().keep(route);
        }
        for (int b = 0; b < route.batches(); b++) {
            int[] indices = route.indices(b);
            SeriesGroup[] picked = new SeriesGroup[indices.length];
            for (int i = 0; i < indices.length; i++) {
                picked[i] = groups.get(indices[i]);
            }
            out.collect(new SeriesBatch(route.subtask(b), parallelism, Arrays.asList(picked), route.block(b)));
        }
    }

    /** The batches {@link #flatMap} makes of a scrape of these groups' layout, with their constant blocks. */
    private LayoutRoutes.Route route(List<SeriesGroup> groups) {
        int n = groups.size();
        int[] subtaskOfGroup = new int[n];
        int[] perSubtask = new int[parallelism];
        for (int i = 0; i < n; i++) {
            subtaskOfGroup[i] = parallelism == 1 ? 0 : subtaskOf(groups.get(i));
            perSubtask[subtaskOfGroup[i]]++;
        }
        List<Integer> subtasks = new ArrayList<>();
        List<int[]> indices = new ArrayList<>();
        List<ConstantBlock> blocks = new ArrayList<>();
        for (int subtask = 0; subtask < parallelism; subtask++) {
            if (perSubtask[subtask] == 0) {
                continue;
            }
            int[] all = new int[perSubtask[subtask]];
            int k = 0;
            for (int i = 0; i < n; i++) {
                if (subtaskOfGroup[i] == subtask) {
                    all[k++] = i;
                }
            }
            for (int from = 0; from < all.length; from += MAX_GROUPS_PER_BATCH) {
                int[] batch = Arrays.copyOfRange(all, from, Math.min(all.length, from + MAX_GROUPS_PER_BATCH));
                List<SeriesGroup> batchGroups = new ArrayList<>(batch.length);
                for (int i : batch) {
                    batchGroups.add(groups.get(i));
                }
                subtasks.add(subtask);
                indices.add(batch);
                blocks.add(ConstantBlock.encode(batchGroups));
            }
        }
        return new LayoutRoutes.Route(
                parallelism,
                maxParallelism,
                n,
                subtasks.stream().mapToInt(Integer::intValue).toArray(),
                indices.toArray(new int[0][]),
                blocks.toArray(new ConstantBlock[0]));
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
