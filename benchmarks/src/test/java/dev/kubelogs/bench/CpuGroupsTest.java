package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuGroupsTest {

    @Test
    void coresAreTheGrowthPerSecondLargestFirstWithoutTheTinyOnes() {
        Map<String, Long> start = Map.of("Source: spool", 1_000_000_000L, "Sink", 0L, "idle", 5_000_000_000L);
        Map<String, Long> end = Map.of(
                "Source: spool", 3_000_000_000L, // 2 CPU-s in 4 s
                "Sink", 4_000_000_000L, // 4 CPU-s
                "idle", 5_010_000_000L, // 0.01 CPU-s: under 1 % of a core
                "started later", 200_000_000L); // no start reading: counts from 0

        Map<String, Double> cores = CpuGroups.coresByGroup(start, end, 4.0);

        assertThat(cores.keySet()).containsExactly("Sink", "Source: spool", "started later");
        assertThat(cores.get("Sink")).isCloseTo(1.0, within(1e-9));
        assertThat(cores.get("Source: spool")).isCloseTo(0.5, within(1e-9));
        assertThat(cores.get("started later")).isCloseTo(0.05, within(1e-9));
    }

    @Test
    void theJobsGroupsIncludeThisJvmsNativeThreads() {
        Map<String, Long> groups = CpuGroups.jobCpuGroups(new ThreadCpu());

        assertThat(groups.keySet()).anyMatch(k -> k.startsWith("JVM: "));
        assertThat(groups.values()).allMatch(v -> v >= 0);
    }
}
