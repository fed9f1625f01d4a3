package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndToEndSectionTest {

    static EndToEndResult result() {
        EndToEndResult r = new EndToEndResult();
        r.spec = EndToEndTest.spec("rocksdb", null);
        r.linesWritten = 20_000;
        r.recordsExpected = 19_000;
        r.traces = 50;
        r.deliveredLinesPerSec = 1_000;
        r.jobCores = 0.5;
        r.collectorCores = 0.25;
        r.linesPerSecPerCore = 1_000 / 0.75;
        r.p50 = 800;
        r.p99 = 2_500;
        r.jobThreadCores = Map.of("Source: spool|split", 0.2);
        r.loadBefore = "1.00 1.00 1.00";
        r.loadAfter = "2.00 1.50 1.00";
        r.latencyOverTime = List.of(new double[] {0, 700, 900, 1000, 10}, new double[] {1, 800, 950, 1200, 10});
        r.ticks = List.of(
                new EndToEndResult.Tick(1, 1000, 900, 0, 0.4, 0.2, 0.1, 0.1, 900, List.of(60.0), 1.0),
                new EndToEndResult.Tick(2, 2000, 1900, 800, 0.5, 0.3, 0.1, 0.1, 950, List.of(61.0), 1.2));
        return r;
    }

    /** {@link #result()} as a cluster run measures it: its processes apart, start-up, warm-up. */
    static EndToEndResult clusterResult() {
        EndToEndResult r = result();
        r.jobTopology = "cluster";
        r.settingsUsed =
                List.of("checkpoint interval 5s (shipped)", "spool discovery every 1 s (--discovery-interval)");
        r.checkpointIntervalUsed = "5s (shipped)";
        r.taskManagerCores = 0.4;
        r.jobManagerCores = 0.1;
        r.taskManagerPeakRssMb = 700;
        r.startupCpuSeconds = 31.5;
        r.warmupJobCores = 0.9;
        r.warmupCollectorCores = 0.2;
        r.warmupLinesPerCpuSecond = 9_000;
        r.jobThreadCores = Map.of("JVM: JIT", 0.05, "Source: spool-s", 0.1, "flink-scheduler", 0.002);
        return r;
    }

    @Test
    void theTableSaysWhatTheRunMeasuredAndThePlotsAreWritten(@TempDir Path dir) throws Exception {
        ReportSection s = EndToEndSection.render(result(), dir);

        assertThat(s.key()).isEqualTo("e2e");
        assertThat(s.text())
                .startsWith("## End to end\n\n2 node(s) × 500 lines/s for 20 s (first 5 s excluded as warm-up)")
                .contains("| lines written / records (events expected) | 20,000 / 19,000 (50 stack traces) |")
                .contains("| **delivered (sustained)** | **1,000 lines/s, 0.00 MB/s** (raw line bytes) |")
                .contains("0.50 + 0.25 = 0.75 cores")
                .contains("| of the job's CPU: thread(s) Source: spool/split | 0.20 cores |")
                .contains("| **lost / duplicated** (by content) | **0 / 0** |")
                .contains("No completed checkpoint was seen through the REST API.")
                .contains("![latency](e2e-latency-over-time.png)")
                .doesNotContain("| error |", "e2e-checkpoint-duration.png");
        for (String png :
                List.of("e2e-latency-over-time.png", "e2e-throughput-over-time.png", "e2e-cpu-over-time.png")) {
            assertThat(Files.size(dir.resolve(png))).isGreaterThan(1000);
        }
        assertThat(s.targets()).extracting(ReportSection.Target::met).containsExactly(false, true, true);
    }

    @Test
    void lossesAndErrorsShowAndFailTheTarget(@TempDir Path dir) throws Exception {
        EndToEndResult r = result();
        r.lost = 3;
        r.lostBySource = Map.of("app", 3L);
        r.error = "the job did not finish within the drain timeout";

        ReportSection s = EndToEndSection.render(r, dir);

        assertThat(s.text())
                .contains("| **lost / duplicated** (by content) | **3 / 0** |")
                .contains("| lost by source (first tokens) | {app=3} [] |")
                .contains("| error | the job did not finish within the drain timeout |");
        assertThat(s.targets().get(2))
                .isEqualTo(new ReportSection.Target("0 lost, 0 duplicated", "3 lost, 0 duplicated (e2e run)", false));
    }

    @Test
    void checkpointsGetTheirPlots(@TempDir Path dir) throws Exception {
        EndToEndResult r = result();
        r.checkpoints = List.of(
                new CheckpointMonitor.Checkpoint(1, 1_000, 120, 4_000, 4_000, Map.of()),
                new CheckpointMonitor.Checkpoint(2, 3_000, 150, 5_000, 1_000, Map.of()));

        ReportSection s = EndToEndSection.render(r, dir);

        assertThat(s.text()).contains("Checkpoints (Flink REST): 2 completed", "e2e-checkpoint-size.png");
        assertThat(dir.resolve("e2e-checkpoint-duration.png")).exists();
    }

    @Test
    void aClusterRunShowsItsProcessesSettingsStartUpAndWarmUpApart(@TempDir Path dir) throws Exception {
        EndToEndResult r = clusterResult();

        ReportSection s = EndToEndSection.render(r, dir);

        assertThat(s.text())
                .contains("Job: on a Flink cluster of its own processes (ZooKeeper, JobManager, TaskManagers), as "
                        + "production runs it, with checkpoint interval 5s (shipped); spool discovery every 1 s "
                        + "(--discovery-interval)")
                .contains("| CPU used: job (TaskManager and JobManager processes, every thread, JIT and GC included) "
                        + "+ collectors | 0.50 + 0.25 = 0.75 cores |")
                .contains("| of the job's CPU: TaskManagers / JobManager (coordination) | 0.40 / 0.10 cores |")
                .contains("| start-up, not in any window: job processes' CPU from JVM start to the first generated "
                        + "line | 31.5 CPU-s |")
                .contains("| warm-up (first 5 s, reported apart): job + collectors, lines written per CPU-second | "
                        + "0.90 + 0.20 cores, 9,000 |")
                .contains("| of the TaskManagers' CPU: thread(s) JVM: JIT | 0.050 cores |")
                // a cluster's bill is a tenth of a core at 10k lines/s: its small groups are shown to the thousandth
                .contains("| of the TaskManagers' CPU: thread(s) flink-scheduler | 0.002 cores |")
                .contains("| TaskManager peak RSS (VmHWM, the highest) | 700 MB |")
                .contains(CpuGroups.KERNEL_NAMES_NOTE)
                .doesNotContain("MiniCluster");
        assertThat(s.targets().get(1))
                .isEqualTo(new ReportSection.Target(
                        "p99 ≤ 5 s at the run's settings (the shipped ones unless given)",
                        "2,500 ms (checkpoints 5s (shipped))",
                        true));
    }

    @Test
    void aRunOverKinesisShowsTheCollectorsPutsAndTheirPayload(@TempDir Path dir) throws Exception {
        EndToEndResult r = clusterResult();
        r.transport = BenchTransport.KINESIS.option();
        r.recordKinesisPuts(new KinesisPuts(360, 36_000_000, true), 180);

        ReportSection s = EndToEndSection.render(r, dir);

        assertThat(s.text())
                .contains("| Kinesis puts by the collectors (the stream's bill) | 2.00 PutRecord/s (172,800 a day), "
                        + "200,000 bytes/s, 100,000 bytes a record on average |");
    }

    @Test
    void withoutKinesisThereIsNoPutsRow(@TempDir Path dir) throws Exception {
        assertThat(EndToEndSection.render(clusterResult(), dir).text()).doesNotContain("Kinesis puts");
    }

    @Test
    void theMovingAverageSkipsGapsAndStartsShort() {
        assertThat(EndToEndSection.movingAverage(new double[] {2, 4, Double.NaN, 6}, 2))
                .containsExactly(2, 3, 4, 6);
        assertThat(EndToEndSection.movingAverage(new double[] {Double.NaN}, 3)[0])
                .isNaN();
    }
}
