package dev.kubelogs.job.metrics.delta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.LayoutGroups;
import dev.kubelogs.job.metrics.model.LayoutRoutes;
import dev.kubelogs.job.metrics.model.MetricType;
import dev.kubelogs.job.metrics.model.SeriesBatch;
import dev.kubelogs.job.metrics.model.SeriesBatchSerializer;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.operators.StreamFlatMap;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** {@link DeltaRouter}: a scrape's groups go, in order, to the subtask Flink's keyBy would send each to. */
class DeltaRouterTest {
    private static List<SeriesGroup> scrape(int groups) {
        List<SeriesGroup> list = new ArrayList<>();
        for (int i = 0; i < groups; i++) {
            list.add(new SeriesGroup(
                    "node",
                    Labels.of("instance", "10.0.0.1:9100", "cpu", Integer.toString(i)),
                    MetricType.COUNTER,
                    1_000L,
                    new String[] {"cpu_seconds_total"},
                    new double[] {i},
                    null));
        }
        return list;
    }

    private static List<SeriesBatch> route(List<SeriesGroup> groups, int maxParallelism, int parallelism)
            throws Exception {
        try (OneInputStreamOperatorTestHarness<SeriesBatch, SeriesBatch> harness =
                new OneInputStreamOperatorTestHarness<>(
                        new StreamFlatMap<>(new DeltaRouter()), maxParallelism, parallelism, 0)) {
            harness.open();
            harness.processElement(SeriesBatch.unrouted(groups), 1_000L);
            return harness.extractOutputValues();
        }
    }

    @Test
    void eachGroupGoesToTheSubtaskThatOwnsItsKeyGroupInScrapeOrder() throws Exception {
        List<SeriesGroup> groups = scrape(200);
        List<SeriesBatch> batches = route(groups, 128, 4);

        assertThat(batches).hasSize(4);
        assertThat(batches).extracting(b -> b.subtask).containsExactly(0, 1, 2, 3);
        assertThat(batches).allMatch(b -> b.parallelism == 4);
        List<SeriesGroup> all = new ArrayList<>();
        for (SeriesBatch batch : batches) {
            for (SeriesGroup g : batch.groups) {
                assertThat(KeyGroupRangeAssignment.assignKeyToParallelOperator(SeriesHashes.seriesKey(g), 128, 4))
                        .isEqualTo(batch.subtask);
                assertThat(g.seriesKey).as("the key travels with the group").isEqualTo(SeriesHashes.seriesKey(g));
            }
            assertThat(batch.groups).isSubsetOf(groups);
            assertThat(groups).containsSubsequence(batch.groups);
            all.addAll(batch.groups);
        }
        assertThat(all).containsExactlyInAnyOrderElementsOf(groups);
    }

    @Test
    void aSubtaskThatOwnsNoneOfTheScrapesSeriesGetsNoBatch() throws Exception {
        List<SeriesGroup> one = scrape(1);
        List<SeriesBatch> batches = route(one, 128, 8);
        assertThat(batches).hasSize(1);
        assertThat(batches.get(0).groups).containsExactlyElementsOf(one);
    }

    @Test
    void withOneSubtaskTheScrapeIsOneBatch() throws Exception {
        List<SeriesGroup> groups = scrape(10);
        List<SeriesBatch> batches = route(groups, 128, 1);
        assertThat(batches).hasSize(1);
        assertThat(batches.get(0).subtask).isZero();
        assertThat(batches.get(0).groups).containsExactlyElementsOf(groups);
    }

    @Test
    void aScrapeLargerThanABatchGoesOutInBatchesOfAtMostTheLimitInOrder() throws Exception {
        List<SeriesGroup> groups = scrape(2 * DeltaRouter.MAX_GROUPS_PER_BATCH + 1);
        List<SeriesBatch> batches = route(groups, 128, 1);
        assertThat(batches)
                .extracting(b -> b.groups.size())
                .containsExactly(DeltaRouter.MAX_GROUPS_PER_BATCH, DeltaRouter.MAX_GROUPS_PER_BATCH, 1);
        assertThat(batches.stream().flatMap(b -> b.groups.stream())).containsExactlyElementsOf(groups);
    }

    /** A scrape of a layout: the same constant instances every time, as {@code SeriesLayout} makes them. */
    private static LayoutGroups layoutScrape(List<SeriesGroup> templates, LayoutRoutes routes, long timestampMs) {
        SeriesGroup[] groups = new SeriesGroup[templates.size()];
        for (int i = 0; i < groups.length; i++) {
            SeriesGroup t = templates.get(i);
            groups[i] = new SeriesGroup(
                    t.logStream, t.labels, t.type, timestampMs, t.names, new double[] {timestampMs + i}, null);
            Tuple2<Long, Long> key = SeriesGroupKey.of(t);
            groups[i].seriesKey = Tuple2.of(key.f0, key.f1);
        }
        return new LayoutGroups(groups, routes);
    }

    @Test
    void aLayoutsScrapeSplitsAsAnyScrapeAndItsBatchesCarryTheirGroupsConstantBlock() throws Exception {
        List<SeriesGroup> templates = scrape(200);
        LayoutRoutes routes = new LayoutRoutes();
        LayoutGroups first = layoutScrape(templates, routes, 1_000L);
        List<SeriesBatch> batches = route(first, 128, 4);
        assertThat(batches).isEqualTo(route(new ArrayList<>(first), 128, 4));
        DataOutputSerializer out = new DataOutputSerializer(4096);
        for (SeriesBatch batch : batches) {
            assertThat(batch.constants).isNotNull();
            assertThat(batch.constants.groups()).isEqualTo(batch.groups.size());
            out.clear();
            SeriesBatchSerializer.INSTANCE.serialize(batch, out);
            SeriesBatch back =
                    SeriesBatchSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
            assertThat(back).isEqualTo(batch);
            assertThat(back.groups)
                    .extracting(g -> g.seriesKey)
                    .containsExactlyElementsOf(
                            batch.groups.stream().map(g -> g.seriesKey).toList());
        }

        LayoutGroups second = layoutScrape(templates, routes, 3_000L);
        List<SeriesBatch> again = route(second, 128, 4);
        assertThat(again).isEqualTo(route(new ArrayList<>(second), 128, 4));
        for (int b = 0; b < again.size(); b++) {
            assertThat(again.get(b).constants).as("kept with the layout").isSameAs(batches.get(b).constants);
        }
        assertThat(route(second, 128, 2))
                .as("another parallelism splits anew")
                .isEqualTo(route(new ArrayList<>(second), 128, 2))
                .allMatch(b -> b.constants != null && b.constants.groups() == b.groups.size());
    }

    @Test
    void aLayoutsScrapeLargerThanABatchGoesOutInBatchesEachWithItsBlock() throws Exception {
        LayoutGroups groups =
                layoutScrape(scrape(2 * DeltaRouter.MAX_GROUPS_PER_BATCH + 1), new LayoutRoutes(), 1_000L);
        List<SeriesBatch> batches = route(groups, 128, 1);
        assertThat(batches).isEqualTo(route(new ArrayList<>(groups), 128, 1));
        assertThat(batches)
                .extracting(b -> b.constants.groups())
                .containsExactly(DeltaRouter.MAX_GROUPS_PER_BATCH, DeltaRouter.MAX_GROUPS_PER_BATCH, 1);
    }

    @Test
    void anEmptyScrapeIsNoRecord() throws Exception {
        assertThat(route(List.of(), 128, 2)).isEmpty();
    }
}
