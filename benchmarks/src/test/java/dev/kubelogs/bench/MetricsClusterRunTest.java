package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kubelogs.spool.SpoolPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsClusterRunTest {
    private static final long S = 1_000_000_000L;

    private static MetricsClusterRun.Bill bill(long seconds, long tm, long jm, long served, Map<String, Long> groups) {
        return bill(seconds, tm, jm, served, groups, Map.of());
    }

    private static MetricsClusterRun.Bill bill(
            long seconds, long tm, long jm, long served, Map<String, Long> groups, Map<String, Long> jmGroups) {
        return new MetricsClusterRun.Bill(
                seconds * S, seconds * 1000, new ClusterCpu.Reading(tm * S, jm * S, groups, jmGroups), served);
    }

    @Test
    void startupWarmupAndSteadyWindowsAreBilledApart() {
        MetricsClusterRun.Bill first = bill(10, 30, 10, 1, Map.of("JVM: JIT", 5 * S, "scrape-#", 1 * S));
        MetricsClusterRun.Bill steady =
                bill(20, 50, 12, 200, Map.of("JVM: JIT", 9 * S, "scrape-#", 3 * S), Map.of("flink-pekko.rem", 4 * S));
        Map<String, Long> whileRunning = Map.of("JVM: JIT", 11 * S, "JVM: GC", 2 * S, "scrape-#", 20 * S);
        // the task threads ended: only the total still counts them
        MetricsClusterRun.Bill end = bill(
                60,
                90,
                15,
                1_000,
                Map.of("JVM: JIT", 12 * S, "JVM: GC", 2 * S),
                Map.of("flink-pekko.rem", 6 * S, "jobmanager-io-t", 1 * S));
        MetricsBench.Result r = new MetricsBench.Result();
        MetricsClusterRun.Windows w = new MetricsClusterRun.Windows();

        MetricsClusterRun.record(first, steady, whileRunning, end, r, w);

        assertThat(w.startupCpuSeconds).isEqualTo(40.0);
        assertThat(w.warmupSamples).isEqualTo(199L * ExporterText.SERIES);
        assertThat(w.warmupCpuSeconds).isEqualTo(22.0);
        assertThat(r.samples).isEqualTo(800L * ExporterText.SERIES);
        assertThat(r.seconds).isEqualTo(40.0);
        assertThat(r.jobCpuSeconds).isEqualTo(43.0);
        assertThat(w.taskManagerCpuSeconds).isEqualTo(40.0);
        assertThat(w.jobManagerCpuSeconds).isEqualTo(3.0);
        assertThat(r.samplesPerCpuSecond).isCloseTo(800.0 * ExporterText.SERIES / 43, within(1e-6));
        assertThat(r.jitCpuSeconds).isEqualTo(3.0);
        assertThat(r.gcCpuSeconds).isEqualTo(2.0);
        assertThat(r.jobCpuSecondsByGroup).containsEntry("scrape-#", 17.0).containsEntry("JVM: JIT", 3.0);
        assertThat(r.steadyWindowStartMillis).isEqualTo(20_000);
        // the JobManager's window by thread: remoting 2 CPU-s, io 1, and what no group holds of its 3
        assertThat(r.jobManagerCpuSecondsByGroup)
                .containsEntry("flink-pekko.rem", 2.0)
                .containsEntry("jobmanager-io-t", 1.0)
                .containsEntry("other", 0.0);

        // 750 scrapes left their events in the window, 180 before it (of 1,000 served)
        r.processGaugeEvents = 930;
        r.processGaugeEventsInWindow = 750;
        MetricsClusterRun.countOkScrapes(r, w);

        assertThat(r.samples).isEqualTo(750L * ExporterText.SERIES);
        assertThat(r.samplesPerCpuSecond).isCloseTo(750.0 * ExporterText.SERIES / 43, within(1e-6));
        assertThat(w.warmupSamples).isEqualTo(180L * ExporterText.SERIES);
    }

    @Test
    void aJobThatEndedBeforeTheSteadyWindowOpenedHasAnEmptyWarmup() {
        MetricsClusterRun.Bill first = bill(10, 30, 10, 1, Map.of());
        MetricsClusterRun.Bill end = bill(20, 40, 11, 100, Map.of());
        MetricsBench.Result r = new MetricsBench.Result();
        MetricsClusterRun.Windows w = new MetricsClusterRun.Windows();

        MetricsClusterRun.record(first, null, Map.of(), end, r, w);

        assertThat(w.warmupSamples).isZero();
        assertThat(r.samples).isEqualTo(99L * ExporterText.SERIES);
        assertThat(r.jobCpuSeconds).isEqualTo(11.0);
    }

    @Test
    void theSpoolHoldsOneSealedNodeWithoutSegments(@TempDir Path work) throws Exception {
        Path spool = MetricsClusterRun.emptySealedSpool(work);

        Path node = spool.resolve("bench").resolve("metrics-bench");
        try (var files = Files.list(node)) {
            assertThat(files).containsExactly(node.resolve(SpoolPaths.SEALED));
        }
        assertThat(Files.readString(node.resolve(SpoolPaths.SEALED))).isEmpty();
    }
}
