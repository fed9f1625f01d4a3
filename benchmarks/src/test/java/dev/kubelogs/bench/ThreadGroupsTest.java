package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.bench.loop.CpuClock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ThreadGroupsTest {
    @Test
    void snapshotsGroupThreadsByNameWithDigitsFoldedAndExportersApart() throws Exception {
        CountDownLatch started = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        Thread scrape = parked("scrape-0-17", started, release);
        Thread exporter = parked("bench-target-3", started, release);
        try {
            started.await();
            Map<String, long[]> groups = ThreadGroups.snapshot(CpuClock.threads());
            assertThat(groups).containsKeys("scrape-#-#", "[exporters] bench-target-#", "main");
            assertThat(groups).doesNotContainKeys("scrape-0-17", "bench-target-#");
        } finally {
            release.countDown();
            scrape.join();
            exporter.join();
        }
    }

    @Test
    void addBillsEachGroupItsGrowthBetweenSnapshotsAndLeavesOutGroupsThatDidNothing() {
        Map<String, long[]> before = new HashMap<>();
        before.put("scrape-#-#", new long[] {1_000, 500});
        before.put("idle", new long[] {40, 8});
        Map<String, long[]> after = new HashMap<>();
        after.put("scrape-#-#", new long[] {3_500, 1_500});
        after.put("idle", new long[] {40, 8});
        after.put("route-#", new long[] {700, 64});
        Map<String, long[]> bill = new HashMap<>();
        bill.put("scrape-#-#", new long[] {100, 10});

        ThreadGroups.add(bill, before, after);

        assertThat(bill).containsOnlyKeys("scrape-#-#", "route-#");
        assertThat(bill.get("scrape-#-#")).containsExactly(2_600, 1_010);
        assertThat(bill.get("route-#")).containsExactly(700, 64);
    }

    private static Thread parked(String name, CountDownLatch started, CountDownLatch release) {
        Thread t = new Thread(
                () -> {
                    started.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                name);
        t.start();
        return t;
    }
}
