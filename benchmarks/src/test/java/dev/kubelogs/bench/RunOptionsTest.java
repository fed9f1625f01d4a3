package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.launcher.cluster.ClusterStateBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RunOptionsTest {
    private static final CollectorProcess.JvmFlags FLAGS = new CollectorProcess.JvmFlags("test", List.of("-Xmx40m"));

    private static RunOptions parse(String... args) {
        BenchMain main = new BenchMain();
        new CommandLine(main).parseArgs(args);
        return main.run;
    }

    @Test
    void theSpecIsTheOptionsWithTheJob() {
        EndToEnd.Spec s = parse(
                        "--nodes=3",
                        "--rate=800",
                        "--duration=30s",
                        "--trace-frames=30-8",
                        "--host-logs=journald",
                        "--state-backend=hashmap",
                        "--checkpoint-interval=500ms")
                .spec(FLAGS, Path.of("/w/e2e"), 9);

        assertThat(s.label()).isEqualTo("e2e");
        assertThat(s.nodes()).isEqualTo(3);
        assertThat(s.ratePerNode()).isEqualTo(800);
        assertThat(s.duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.minFrames()).isEqualTo(8);
        assertThat(s.maxFrames()).isEqualTo(30);
        assertThat(s.hostMode()).isEqualTo(LoadGenerator.HostMode.JOURNALD);
        assertThat(s.stateBackend()).isEqualTo("hashmap");
        assertThat(s.checkpointInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.collectorFlags()).isSameAs(FLAGS);
        assertThat(s.withJob()).isTrue();
        assertThat(s.workDir()).isEqualTo(Path.of("/w/e2e"));
        assertThat(s.seed()).isEqualTo(9);
        assertThat(s.s3()).isNull();
    }

    @Test
    void theMetadataWaitIsTenSecondsWithTheKubeletZeroWithoutAndAsGivenWhenGiven() {
        assertThat(parse().spec(FLAGS, Path.of("/w"), 7).metadataWait()).isEqualTo(Duration.ofSeconds(10));
        assertThat(parse("--no-kubelet").spec(FLAGS, Path.of("/w"), 7).metadataWait())
                .isEqualTo(Duration.ZERO);
        assertThat(parse("--no-kubelet", "--metadata-wait=3s")
                        .spec(FLAGS, Path.of("/w"), 7)
                        .metadataWait())
                .isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aFrameRangeIsOrderedAndOneNumberIsBothEnds() {
        assertThat(RunOptions.parseRange("8-30")).containsExactly(8, 30);
        assertThat(RunOptions.parseRange("30 - 8")).containsExactly(8, 30);
        assertThat(RunOptions.parseRange("12")).containsExactly(12, 12);
    }

    @Test
    void theFirstLineNamesTheRun() {
        assertThat(parse("--nodes=1", "--rate=2500").describe())
                .isEqualTo("== e2e: 1 node(s) × 2,500 lines/s for PT1M (warm-up PT15S), lognormal:220,0.5 lines, 5% "
                        + "stack-trace lines, files host logs, job on a cluster, transport spool");
    }

    @Test
    void theJobRunsOnAClusterUnlessAMiniClusterIsAskedFor() {
        assertThat(parse().jobTopology).isEqualTo(JobTopology.CLUSTER);
        assertThat(parse("--job-topology=minicluster").jobTopology).isEqualTo(JobTopology.MINICLUSTER);
        assertThat(parse("--job-topology", "Cluster").jobTopology).isEqualTo(JobTopology.CLUSTER);
        assertThatThrownBy(() -> parse("--job-topology=kubernetes"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--job-topology must be cluster or minicluster, not 'kubernetes'");
    }

    @Test
    void onAClusterOnlyTheSettingsGivenReplaceTheShippedOnes() throws Exception {
        ShippedSettings shipped = ShippedSettings.read(BenchMain.repoRoot(), ShippedSettings.BENCH_PLACEHOLDERS);

        ClusterRunSettings defaults = parse().clusterSettings(shipped);
        assertThat(defaults.checkpointInterval()).isNull();
        assertThat(defaults.discoveryInterval()).isNull();
        assertThat(defaults.segmentAge()).isNull();
        assertThat(defaults.parallelism()).isNull();

        ClusterRunSettings given = parse(
                        "--checkpoint-interval=2s",
                        "--discovery-interval",
                        "1s",
                        "--segment-age=500ms",
                        "--parallelism=3",
                        "--nodes=4")
                .clusterSettings(shipped);
        assertThat(given.checkpointInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(given.discoveryInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(given.segmentAge()).isEqualTo(Duration.ofMillis(500));
        assertThat(given.parallelism()).isEqualTo(3);

        assertThat(defaults.stateBackend()).as("not given: the deployment's").isNull();
        assertThat(parse("--state-backend=hashmap").clusterSettings(shipped).stateBackend())
                .isEqualTo(ClusterStateBackend.HASHMAP);
        assertThat(parse("--state-backend=rocksdb").clusterSettings(shipped).stateBackend())
                .isEqualTo(ClusterStateBackend.ROCKSDB);
        assertThatThrownBy(() -> parse("--state-backend=forst").clusterSettings(shipped))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--state-backend")
                .hasMessageContaining("'forst'")
                .hasMessageContaining("rocksdb or hashmap");
    }

    @Test
    void theTaskManagerLayoutIsTheDeploymentsUnlessSlotsOrMemoryAreGiven() throws Exception {
        ShippedSettings shipped = ShippedSettings.read(BenchMain.repoRoot(), ShippedSettings.BENCH_PLACEHOLDERS);

        ClusterRunSettings defaults = parse().clusterSettings(shipped);
        assertThat(defaults.slotsPerTaskManager()).isNull();
        assertThat(defaults.taskManagerMemory()).isNull();

        ClusterRunSettings given =
                parse("--slots-per-taskmanager", "4", "--taskmanager-memory=5g").clusterSettings(shipped);
        assertThat(given.slotsPerTaskManager()).isEqualTo(4);
        assertThat(given.taskManagerMemory()).isEqualTo("5g");
        assertThat(given.clusterSettings().taskManagers()).isEqualTo(1);

        assertThatThrownBy(() -> parse("--slots-per-taskmanager=0").clusterSettings(shipped))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--slots-per-taskmanager must be at least 1, not 0");
        assertThatThrownBy(() -> parse("--taskmanager-memory=lots").clusterSettings(shipped))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--taskmanager-memory must be a Flink memory size")
                .hasMessageContaining("'lots'");
        parse("--slots-per-taskmanager=4").checkTaskManagerLayout();
        assertThatThrownBy(() -> parse("--taskmanager-memory=5g", "--job-topology=minicluster")
                        .checkTaskManagerLayout())
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--job-topology cluster only");
    }

    @Test
    void theTransportIsTheSpoolUnlessKinesisIsAskedForOnACluster() throws Exception {
        assertThat(parse().transport).isEqualTo(BenchTransport.SPOOL);
        RunOptions kinesis = parse("--transport", "Kinesis");
        assertThat(kinesis.transport).isEqualTo(BenchTransport.KINESIS);
        kinesis.checkTransport();
        assertThat(kinesis.clusterSettings(
                                ShippedSettings.read(BenchMain.repoRoot(), ShippedSettings.BENCH_PLACEHOLDERS))
                        .transport())
                .isEqualTo(BenchTransport.KINESIS);
        assertThatThrownBy(() -> parse("--transport=kafka"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--transport must be spool or kinesis, not 'kafka'");
        assertThatThrownBy(() -> parse("--transport=kinesis", "--job-topology=minicluster")
                        .checkTransport())
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--job-topology cluster only");
    }

    @Test
    void aWarmUpAsLongAsTheRunIsAnError() throws Exception {
        parse("--duration", "600s", "--warmup", "300s").checkWindow();
        assertThatThrownBy(() -> parse("--duration", "300s", "--warmup", "300s").checkWindow())
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--warmup (300 s) must be shorter than --duration (300 s)");
    }

    @Test
    void aRunTheInProcessEndpointAndLedgerCannotHoldIsAnError() throws Exception {
        long twelveGiB = 12L << 30;
        // 60 minutes at 50,000 lines/s: two minutes of events kept, a byte per line, a little per second
        parse("--nodes", "4", "--rate", "12500", "--duration", "3600s").checkEndpointHeap(twelveGiB);
        assertThatThrownBy(() -> parse("--nodes", "4", "--rate", "12500", "--duration", "3600s")
                        .checkEndpointHeap(3L << 30))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("4 node(s) × 12,500 lines/s × 3600 s needs ~3,009 MiB")
                .hasMessageContaining("keeps 120 s of stored events (~400 bytes each, 2,288 MiB at this rate)")
                .hasMessageContaining("holds 842 s at this rate");
        assertThatThrownBy(() -> parse("--nodes", "4", "--rate", "100000", "--duration", "60s")
                        .checkEndpointHeap(twelveGiB))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("holds 0 s at this rate");
    }
}
