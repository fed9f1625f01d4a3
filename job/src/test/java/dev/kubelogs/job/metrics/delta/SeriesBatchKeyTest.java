package dev.kubelogs.job.metrics.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.job.metrics.model.Labels;
import dev.kubelogs.job.metrics.model.MetricType;
import dev.kubelogs.job.metrics.model.SeriesBatch;
import dev.kubelogs.job.metrics.model.SeriesGroup;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link SeriesBatchKey}: the series key of a batch's first group; an empty batch has none. */
class SeriesBatchKeyTest {
    @Test
    void theKeyOfTheFirstGroup() {
        SeriesGroup first = new SeriesGroup(
                "s", Labels.of("a", "1"), MetricType.GAUGE, 1L, new String[] {"g"}, new double[] {1}, null);
        SeriesGroup second = new SeriesGroup(
                "s", Labels.of("a", "2"), MetricType.GAUGE, 1L, new String[] {"g"}, new double[] {1}, null);
        assertThat(new SeriesBatchKey().getKey(new SeriesBatch(0, 1, List.of(first, second))))
                .isEqualTo(SeriesHashes.seriesKey(first));
    }

    @Test
    void anEmptyBatchHasNoKey() {
        assertThatThrownBy(() -> new SeriesBatchKey().getKey(new SeriesBatch(0, 1, List.of())))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
