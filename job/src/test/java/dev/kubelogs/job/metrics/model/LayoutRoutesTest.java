package dev.kubelogs.job.metrics.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link LayoutRoutes}: the route kept is given for its parallelism and max parallelism only. */
class LayoutRoutesTest {
    private static final ConstantBlock BLOCK = ConstantBlock.encode(List.of());

    @Test
    void aRouteIsForItsParallelismAndMaxParallelism() {
        LayoutRoutes routes = new LayoutRoutes();
        assertThat(routes.get(4, 128)).isNull();
        LayoutRoutes.Route route =
                new LayoutRoutes.Route(4, 128, 3, new int[] {1}, new int[][] {{0, 2}}, new ConstantBlock[] {BLOCK});
        routes.keep(route);
        assertThat(routes.get(4, 128)).isSameAs(route);
        assertThat(routes.get(2, 128)).isNull();
        assertThat(routes.get(4, 256)).isNull();
        assertThat(route.batches()).isEqualTo(1);
        assertThat(route.subtask(0)).isEqualTo(1);
        assertThat(route.indices(0)).containsExactly(0, 2);
        assertThat(route.block(0)).isSameAs(BLOCK);
        assertThat(route.groupCount()).isEqualTo(3);
    }

    @Test
    void aRouteHasASubtaskIndexListAndBlockPerBatch() {
        assertThatThrownBy(() -> new LayoutRoutes.Route(
                        4, 128, 3, new int[] {1, 2}, new int[][] {{0}}, new ConstantBlock[] {BLOCK}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
