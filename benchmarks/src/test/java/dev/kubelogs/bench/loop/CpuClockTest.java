package dev.kubelogs.bench.loop;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CpuClockTest {
    /** Spins until this thread has used {@code nanos} of CPU; returns a figure that depends on the work. */
    private static long spin(long nanos) {
        long until = CpuClock.threadNanos() + nanos;
        long x = 1;
        while (CpuClock.threadNanos() < until) {
            for (int i = 0; i < 10_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
        }
        return x;
    }

    @Test
    void threadCpuRisesWithWorkAndNeverFalls() {
        long last = CpuClock.threadNanos();
        for (int i = 0; i < 5; i++) {
            spin(2_000_000);
            long now = CpuClock.threadNanos();
            assertThat(now).isGreaterThanOrEqualTo(last + 2_000_000);
            last = now;
        }
    }

    @Test
    void theProcessBillsAtLeastTheThreadsWork() {
        long process = CpuClock.processNanos();
        long thread = CpuClock.threadNanos();
        spin(50_000_000);
        long threadSpent = CpuClock.threadNanos() - thread;
        long processSpent = CpuClock.processNanos() - process;
        // the process's clock may tick coarser than the thread's: a few ms of slack
        assertThat(processSpent).isGreaterThanOrEqualTo(threadSpent - 5_000_000);
    }

    @Test
    void allocatedBytesCountAnArrayTheThreadMade() {
        long before = CpuClock.threadAllocatedBytes();
        byte[] array = new byte[4 << 20];
        long after = CpuClock.threadAllocatedBytes();
        assertThat(array).hasSize(4 << 20);
        assertThat(after - before).isGreaterThanOrEqualTo(4 << 20);
    }

    @Test
    void theThreadBeanCountsCpuAndAllocation() {
        assertThat(CpuClock.threads().isThreadCpuTimeEnabled()).isTrue();
        assertThat(CpuClock.threads().isThreadAllocatedMemoryEnabled()).isTrue();
    }
}
