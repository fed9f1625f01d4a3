package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.bench.DiscoveryMemoryBench.Case;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiscoveryMemoryBenchTest {

    @Test
    void namespacesGrowWithTheFewestKeptThenKeptGrowsInTheMostNamespaces() {
        assertThat(DiscoveryMemoryBench.defaultCases(List.of(10, 100, 1000), 5, List.of(10, 100, 1000)))
                .containsExactly(
                        new Case(10, 5, 10),
                        new Case(100, 5, 10),
                        new Case(1000, 5, 10),
                        new Case(1000, 5, 100),
                        new Case(1000, 5, 1000));
    }

    @Test
    void noCaseKeepsMorePodsThanItHas() {
        assertThat(DiscoveryMemoryBench.defaultCases(List.of(1, 2), 3, List.of(5, 100)))
                .containsExactly(new Case(1, 3, 3), new Case(2, 3, 5));
    }
}
