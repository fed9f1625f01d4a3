package dev.kubelogs.job.metrics.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link LayoutGroups}: an unmodifiable list of a scrape's groups that names its layout's routes. */
class LayoutGroupsTest {
    @Test
    void theGroupsInOrderUnmodifiableWithTheirRoutes() {
        SeriesGroup a = new SeriesGroup(
                "s", Labels.of("a", "1"), MetricType.GAUGE, 1L, new String[] {"x"}, new double[] {1}, null);
        SeriesGroup b = new SeriesGroup(
                "s", Labels.of("a", "2"), MetricType.GAUGE, 1L, new String[] {"x"}, new double[] {2}, null);
        LayoutRoutes routes = new LayoutRoutes();
        LayoutGroups groups = new LayoutGroups(new SeriesGroup[] {a, b}, routes);
        assertThat(groups).containsExactly(a, b).isEqualTo(List.of(a, b));
        assertThat(groups.routes()).isSameAs(routes);
        assertThatThrownBy(() -> groups.add(a)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> groups.set(0, b)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> groups.remove(0)).isInstanceOf(UnsupportedOperationException.class);
    }
}
