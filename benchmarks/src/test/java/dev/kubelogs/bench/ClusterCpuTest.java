package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ClusterCpuTest {

    @Test
    void aReadingOfLiveProcessesHasTheirCpuByThreadGroupAndAGoneProcessReadsAsNothing() throws Exception {
        long self = Proc.selfPid();
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        long gone = p.pid();

        ClusterCpu.Reading r = new ClusterCpu(List.of(self, gone), self).read();

        assertThat(r.taskManagerNanos()).isPositive();
        assertThat(r.jobManagerNanos()).isPositive();
        assertThat(r.totalNanos()).isEqualTo(r.taskManagerNanos() + r.jobManagerNanos());
        assertThat(r.taskManagerGroups()).containsKeys("JVM: VM", CpuGroups.ENDED);
        assertThat(r.taskManagerGroups().values().stream()
                        .mapToLong(Long::longValue)
                        .sum())
                .isEqualTo(r.taskManagerNanos());
        assertThat(r.jobManagerGroups()).containsKeys("JVM: VM", CpuGroups.ENDED);
        assertThat(r.jobManagerGroups().values().stream()
                        .mapToLong(Long::longValue)
                        .sum())
                .isEqualTo(r.jobManagerNanos());
        ClusterCpu.Reading later = new ClusterCpu(List.of(self, gone), self).read();
        // a process's total is read just after its threads, so a window's groups may add up to a few ticks more than
        // the totals' difference (what the threads used between the two reads of the first reading), never less
        long slack = TimeUnit.MILLISECONDS.toNanos(100);
        long tmGrowth = later.taskManagerNanos() - r.taskManagerNanos();
        assertThat(later.taskManagerGroupsSince(r).values().stream()
                        .mapToLong(Long::longValue)
                        .sum())
                .isBetween(tmGrowth, tmGrowth + slack);
        assertThat(later.taskManagerGroupsSince(r).values()).allMatch(v -> v >= 0);
        long jmGrowth = later.jobManagerNanos() - r.jobManagerNanos();
        assertThat(later.jobManagerGroupsSince(r).values().stream()
                        .mapToLong(Long::longValue)
                        .sum())
                .isBetween(jmGrowth, jmGrowth + slack);
        assertThat(new ClusterCpu(List.of(gone), gone).read().totalNanos()).isZero();
        assertThat(new ClusterCpu(List.of(self), self).taskManagerPeakRssMb()).isPositive();
        assertThat(new ClusterCpu(List.of(self), gone).allPids()).containsExactly(self, gone);
    }
}
