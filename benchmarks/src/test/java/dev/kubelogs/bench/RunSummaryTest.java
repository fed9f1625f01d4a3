package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunSummaryTest {

    private static String print(EndToEndResult r) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RunSummary.print(r, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void throughputCoresThreadsLatencyAndCheckpoints() {
        EndToEndResult r = EndToEndSectionTest.result();
        r.jobThreadCores = Map.of("JVM: GC", 0.12);

        assertThat(print(r))
                .contains("  delivered 1,000 lines/s (0.00 MB/s) with 0.75 cores (job 0.50, of which GC 0.00, "
                        + "+ collectors 0.25) = 1,333 lines/s per core")
                .contains("  the job's CPU by thread:" + System.lineSeparator() + "    0.12 JVM: GC")
                .contains("  latency p50 800 ms, p95 NaN ms, p99 2500 ms")
                .contains("  checkpoints 0 completed, 0 failed; load 1.00 1.00 1.00 → 2.00 1.50 1.00")
                .doesNotContain("lost by source", "never read everything");
    }

    @Test
    void lossesAndCollectorsThatFellBehindAreSaid() {
        EndToEndResult r = EndToEndSectionTest.result();
        r.lost = 2;
        r.lostBySource = Map.of("app", 2L);
        r.collectorsCaughtUp = false;

        assertThat(print(r))
                .contains("  lost by source: {app=2}, e.g. []")
                .contains("  the collectors never read everything that was written (timed out waiting)");
    }

    @Test
    void aClusterRunSaysItsProcessesStartUpAndWarmUp() {
        EndToEndResult r = EndToEndSectionTest.clusterResult();

        assertThat(print(r))
                .contains("  job on its own processes: TaskManagers 0.40 + JobManager 0.10 cores; start-up 31.5 CPU-s "
                        + "before generation; warm-up 0.90 + 0.20 cores, 9,000 lines written per CPU-second")
                .contains("  the TaskManagers' CPU by thread:")
                .contains("    0.05 JVM: JIT");
    }

    @Test
    void aClusterRunBreaksTheJobManagerDownByThread() {
        EndToEndResult r = EndToEndSectionTest.clusterResult();
        r.jobManagerThreadCores = new java.util.LinkedHashMap<>(Map.of("flink-pekko.rem", 0.004));

        assertThat(print(r))
                .contains("  the JobManager's CPU by thread:" + System.lineSeparator() + "    0.004 flink-pekko.rem");
    }
}
