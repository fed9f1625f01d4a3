package dev.kubelogs.job.metrics.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesBatchTest {
    private static SeriesGroup gauge(String name, double value) {
        return new SeriesGroup(
                "job",
                Labels.of("instance", "a:1"),
                MetricType.GAUGE,
                1_000L,
                new String[] {name},
                new double[] {value},
                null);
    }

    private static final List<SeriesGroup> TWO = List.of(gauge("a", 1), gauge("b", 2));

    @Test
    void anUnroutedBatchBelongsToNoSubtask() {
        SeriesBatch b = SeriesBatch.unrouted(TWO);

        assertThat(b.subtask).isEqualTo(SeriesBatch.UNROUTED);
        assertThat(b.parallelism).isZero();
        assertThat(b.groups).isSameAs(TWO);
        assertThat(b.constants).isNull();
    }

    @Test
    void aConstantBlockMayCoverTheFirstGroupsOrAllOfThem() {
        assertThat(new SeriesBatch(1, 4, TWO, ConstantBlock.encode(TWO.subList(0, 1))).constants.groups())
                .isEqualTo(1);
        assertThat(new SeriesBatch(1, 4, TWO, ConstantBlock.encode(TWO)).constants.groups())
                .isEqualTo(2);
    }

    @Test
    void aConstantBlockOfMoreGroupsThanTheBatchHasIsRefused() {
        ConstantBlock three = ConstantBlock.encode(List.of(gauge("a", 1), gauge("b", 2), gauge("c", 3)));

        assertThatThrownBy(() -> new SeriesBatch(0, 2, TWO, three))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a constant block of 3 groups for 2");
        assertThatThrownBy(() -> new SeriesBatch(0, 2, null, ConstantBlock.encode(TWO)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a constant block of 2 groups for 0");
    }

    @Test
    void equalityIsSubtaskParallelismAndGroupsButNotTheConstantBlock() {
        SeriesBatch plain = new SeriesBatch(1, 4, TWO);
        SeriesBatch withBlock = new SeriesBatch(1, 4, List.of(gauge("a", 1), gauge("b", 2)), ConstantBlock.encode(TWO));

        assertThat(withBlock).isEqualTo(plain).hasSameHashCodeAs(plain);
        assertThat(new SeriesBatch(2, 4, TWO)).isNotEqualTo(plain);
        assertThat(new SeriesBatch(1, 8, TWO)).isNotEqualTo(plain);
        assertThat(new SeriesBatch(1, 4, List.of(gauge("a", 1), gauge("b", 3)))).isNotEqualTo(plain);
        assertThat(new SeriesBatch()).isEqualTo(new SeriesBatch(0, 0, null)).isNotEqualTo(plain);
    }

    @Test
    void toStringCountsGroups() {
        assertThat(new SeriesBatch(1, 4, TWO)).hasToString("SeriesBatch[subtask 1 of 4, 2 groups]");
        assertThat(new SeriesBatch()).hasToString("SeriesBatch[subtask 0 of 0, 0 groups]");
    }
}
