package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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

    @Test
    void aProcesssThreadsAreGroupedByTheirKernelNamesAndAnEndedThreadsTimeStaysInTheTotal() throws Exception {
        long burn = TimeUnit.MILLISECONDS.toNanos(300);
        CountDownLatch burnt = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // 15 characters and more: the kernel keeps "cpugroups-spin-", digits are folded in what remains
        Thread spinner = new Thread(
                () -> {
                    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
                    long x = 0;
                    while (mx.getCurrentThreadCpuTime() < burn) {
                        x += System.nanoTime() % 7;
                    }
                    burnt.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    if (x == 42) {
                        System.out.println(x);
                    }
                },
                "cpugroups-spin-worker-17");
        spinner.start();
        burnt.await();

        Map<String, Long> alive = CpuGroups.processCpuGroups(Proc.selfPid());
        release.countDown();
        spinner.join();
        // join returns when the thread has ended for Java; the kernel lists its task a moment longer
        Map<String, Long> after = CpuGroups.processCpuGroups(Proc.selfPid());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (after.containsKey("cpugroups-spin-") && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            after = CpuGroups.processCpuGroups(Proc.selfPid());
        }

        assertThat(alive).containsKey("JVM: VM").containsKey(CpuGroups.ENDED);
        assertThat(alive.get("cpugroups-spin-")).isGreaterThanOrEqualTo(burn - TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(after).doesNotContainKey("cpugroups-spin-");
        assertThat(after.get(CpuGroups.ENDED) - alive.get(CpuGroups.ENDED))
                .as("the ended thread's CPU moves to the ended group")
                .isGreaterThanOrEqualTo(alive.get("cpugroups-spin-") - TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(CpuGroups.processCpuGroups(goneProcess())).isEmpty();
    }

    @Test
    void aWindowBillsEachThreadItsGrowthAndTheEndedThreadsOnlyWhatTheyUsedInIt() {
        long s = 1_000_000_000L;
        // a source fetcher that read for 5 s before the window and ends in it, replaced by a new one
        CpuGroups.ProcessThreads start = new CpuGroups.ProcessThreads(
                Map.of(
                        101L, new Proc.ThreadTime("Source Data Fet", 5 * s, 101),
                        102L, new Proc.ThreadTime("Source: spool-s", 10 * s, 102),
                        103L, new Proc.ThreadTime("C2 CompilerThre", 7 * s, 103),
                        104L, new Proc.ThreadTime("flink-pekko.rem", 4 * s, 104)),
                26 * s);
        CpuGroups.ProcessThreads end = new CpuGroups.ProcessThreads(
                Map.of(
                        102L, new Proc.ThreadTime("Source: spool-s", 12 * s, 102),
                        103L, new Proc.ThreadTime("C2 CompilerThre", 7 * s + s / 2, 103),
                        // id 104 given again to a new thread: it counts from 0
                        104L, new Proc.ThreadTime("cwlogs-commit-#", s, 104),
                        105L, new Proc.ThreadTime("Source Data Fet", s, 105)),
                // the old fetcher used 0.25 s more and the old pekko thread 0.5 s before they ended
                26 * s + 2 * s + s / 2 + s + s + s / 4 + s / 2);

        Map<String, Long> window = end.since(start);

        assertThat(window)
                .containsEntry("Source: spool-s", 2 * s)
                .containsEntry("JVM: JIT", s / 2)
                .containsEntry("cwlogs-commit-#", s)
                .containsEntry("Source Data Fet", s)
                .containsEntry(CpuGroups.ENDED, s / 4 + s / 2)
                .doesNotContainKey("flink-pekko.rem");
        assertThat(window.values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(end.totalNanos() - start.totalNanos());
        // the groups since the start: the ended threads are everything the process used beyond its live threads
        assertThat(end.groups()).containsEntry(CpuGroups.ENDED, end.totalNanos() - (12 + 7 + 1 + 1) * s - s / 2);
        assertThat(CpuGroups.ProcessThreads.GONE.since(start)).isEmpty();
    }

    @Test
    void kernelNamesFoldTheirDigits() {
        assertThat(CpuGroups.kernelNameGroup("flink-pekko.act")).isEqualTo("flink-pekko.act");
        assertThat(CpuGroups.kernelNameGroup("pool-12-thread-")).isEqualTo("pool-#-thread-");
        assertThat(CpuGroups.kernelNameGroup("Source: spool-s")).isEqualTo("Source: spool-s");
    }

    private static long goneProcess() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }
}
