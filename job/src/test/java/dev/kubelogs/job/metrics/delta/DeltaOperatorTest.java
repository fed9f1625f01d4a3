package dev.kubelogs.job.metrics.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.MetricType;
import dev.kubelogs.job.metrics.model.SeriesBatch;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * {@link DeltaOperator}: each group of a batch is a delta against its own series' state, stamped with its own time; a
 * group of a key group the subtask does not own fails the task; state taken at one parallelism, routed by
 * {@link DeltaRouter}, gives exact deltas at another.
 */
class DeltaOperatorTest {
    private static final int MAX_PARALLELISM = 128;
    private static final long T0 = 1_700_000_000_000L;

    private static SeriesGroup counter(int series, long ts, double value) {
        return new SeriesGroup(
                "node",
                Labels.of("instance", "10.0.0.1:9100", "cpu", Integer.toString(series)),
                MetricType.COUNTER,
                ts,
                new String[] {"cpu_seconds_total"},
                new double[] {value},
                null);
    }

    private static List<SeriesGroup> scrape(int series, long ts, double value) {
        List<SeriesGroup> groups = new ArrayList<>();
        for (int i = 0; i < series; i++) {
            groups.add(counter(i, ts, value + i));
        }
        return groups;
    }

    private static KeyedOneInputStreamOperatorTestHarness<Tuple2<Long, Long>, SeriesBatch, SeriesGroup> harness(
            int parallelism, int subtask) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new DeltaOperator(new DeltaCalculator(Duration.ofMinutes(5))),
                new SeriesBatchKey(),
                SeriesGroupKey.TYPE,
                MAX_PARALLELISM,
                parallelism,
                subtask);
    }

    private static int owner(SeriesGroup g, int parallelism) {
        return KeyGroupRangeAssignment.assignKeyToParallelOperator(
                SeriesHashes.seriesKey(g), MAX_PARALLELISM, parallelism);
    }

    @Test
    void eachGroupOfABatchIsADeltaOfItsOwnSeriesStampedWithItsTime() throws Exception {
        try (var h = harness(1, 0)) {
            h.open();
            h.processElement(new SeriesBatch(0, 1, scrape(3, T0, 10)), T0);
            assertThat(h.extractOutputValues()).as("the first scrape primes").isEmpty();

            List<SeriesGroup> next = scrape(3, T0 + 1_000, 15);
            next.set(2, counter(2, T0 + 2_000, 20)); // a group with a timestamp of its own
            h.processElement(new SeriesBatch(0, 1, next), T0 + 1_000);

            List<SeriesGroup> out = h.extractOutputValues();
            assertThat(out).extracting(g -> g.labels.get("cpu")).containsExactly("0", "1", "2");
            assertThat(out).extracting(g -> g.values[0]).containsExactly(5.0, 5.0, 8.0);
            assertThat(h.getOutput())
                    .extracting(r -> ((StreamRecord<?>) r).getTimestamp())
                    .containsExactly(T0 + 1_000, T0 + 1_000, T0 + 2_000);
        }
    }

    @Test
    void aGroupOfAKeyGroupTheSubtaskDoesNotOwnFailsTheTask() throws Exception {
        List<SeriesGroup> groups = scrape(50, T0, 1);
        SeriesGroup owned =
                groups.stream().filter(g -> owner(g, 2) == 0).findFirst().orElseThrow();
        SeriesGroup foreign =
                groups.stream().filter(g -> owner(g, 2) == 1).findFirst().orElseThrow();
        try (var h = harness(2, 0)) {
            h.open();
            assertThatThrownBy(() -> h.processElement(new SeriesBatch(0, 2, List.of(owned, foreign)), T0))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("disagree on parallelism");
        }
    }

    /** As after a savepoint and a change of parallelism: the state moves by key group, the router sends alike. */
    @Test
    void stateTakenAtOneSubtaskGivesExactDeltasOnTwoWithRoutedBatches() throws Exception {
        int series = 40;
        OperatorSubtaskState snapshot;
        try (var one = harness(1, 0)) {
            one.open();
            one.processElement(new SeriesBatch(0, 1, scrape(series, T0, 100)), T0);
            snapshot = one.snapshot(1, 1);
        }
        List<SeriesGroup> out = new ArrayList<>();
        List<SeriesGroup> next = scrape(series, T0 + 1_000, 130);
        for (int subtask = 0; subtask < 2; subtask++) {
            try (var h = harness(2, subtask)) {
                h.initializeState(AbstractStreamOperatorTestHarness.repartitionOperatorState(
                        snapshot, MAX_PARALLELISM, 1, 2, subtask));
                h.open();
                int s = subtask;
                h.processElement(
                        new SeriesBatch(
                                s,
                                2,
                                next.stream().filter(g -> owner(g, 2) == s).toList()),
                        T0 + 1_000);
                out.addAll(h.extractOutputValues());
            }
        }
        assertThat(out).hasSize(series);
        assertThat(out).allMatch(g -> g.values[0] == 30.0);
    }
}
