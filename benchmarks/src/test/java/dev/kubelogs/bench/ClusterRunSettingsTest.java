package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.launcher.cluster.ClusterConfig;
import dev.kubelogs.launcher.cluster.ClusterStateBackend;
import java.time.Duration;
import java.util.List;
import org.apache.flink.util.TimeUtils;
import org.junit.jupiter.api.Test;

class ClusterRunSettingsTest {

    private static ShippedSettings shipped() throws Exception {
        return ShippedSettings.read(BenchMain.repoRoot(), ShippedSettings.BENCH_PLACEHOLDERS);
    }

    @Test
    void withNothingGivenTheRunIsTheDeployments() throws Exception {
        ShippedSettings shipped = shipped();
        ClusterRunSettings s = new ClusterRunSettings(shipped, null, null, null, null, BenchTransport.SPOOL);

        assertThat(s.jobParallelism()).isEqualTo(shipped.parallelism());
        int slots = Integer.parseInt(shipped.flinkConfig().get("taskmanager.numberOfTaskSlots"));
        assertThat(s.taskManagers() * slots).isGreaterThanOrEqualTo(shipped.parallelism());
        assertThat((s.taskManagers() - 1) * slots).isLessThan(shipped.parallelism());
        ClusterConfig.Settings cluster = s.clusterSettings();
        assertThat(cluster.taskManagerMemory()).isEqualTo(shipped.taskManagerMemory());
        assertThat(cluster.jobManagerMemory()).isEqualTo(shipped.jobManagerMemory());
        assertThat(cluster.checkpointInterval())
                .isEqualTo(TimeUtils.parseDuration(shipped.flinkConfig().get("execution.checkpointing.interval")));
        assertThat(cluster.asDeployed()).isTrue();

        List<String> args = s.jobArgs("/spool", "http://127.0.0.1:1", Duration.ofSeconds(10), null);
        assertThat(args)
                .containsSequence("--spool", "/spool")
                .containsSequence("--cloudwatch-endpoint", "http://127.0.0.1:1")
                .containsSequence("--parallelism", Integer.toString(shipped.parallelism()))
                .containsSequence("--discovery-interval", shipped.jobArg("--discovery-interval"))
                .containsSequence("--dead-letter-group", "/aws/containerinsights/bench/kubelogs-dead-letter")
                .contains("--until-sealed")
                .doesNotContain("--prometheus-config", "--checkpoint-interval");
        assertThat(s.collectorEnv(null)).isEqualTo(shipped.collectorEnv());
        assertThat(s.describe())
                .filteredOn(line -> !line.startsWith("local in place of EKS"))
                .allMatch(line -> line.endsWith("(shipped)"));
    }

    @Test
    void whatWasGivenReplacesTheShippedValueAndSaysSo() throws Exception {
        ClusterRunSettings s = new ClusterRunSettings(
                shipped(),
                Duration.ofSeconds(2),
                Duration.ofSeconds(1),
                Duration.ofMillis(500),
                3,
                BenchTransport.SPOOL);

        assertThat(s.taskManagers()).isEqualTo(2);
        assertThat(s.clusterSettings().checkpointInterval()).isEqualTo(Duration.ofSeconds(2));
        List<String> args = s.jobArgs("/spool", "http://127.0.0.1:1", Duration.ZERO, null);
        assertThat(args).containsSequence("--discovery-interval", "1000ms").containsSequence("--parallelism", "3");
        assertThat(args.stream().filter("--discovery-interval"::equals)).hasSize(1);
        assertThat(s.collectorEnv(null)).containsEntry("SEGMENT_MAX_AGE", "500ms");
        assertThat(s.describe())
                .contains(
                        "checkpoint interval 2 s (--checkpoint-interval)",
                        "spool discovery every 1 s (--discovery-interval)",
                        "segment age 500 ms (--segment-age)")
                .anyMatch(line ->
                        line.startsWith("parallelism 3 on 2 TaskManager(s)") && line.endsWith("(--parallelism)"));
        assertThat(s.checkpointIntervalText()).isEqualTo("2 s (--checkpoint-interval)");
    }

    /**
     * The cluster offers the slots the TaskManager count was computed from: a count from the FlinkDeployment (or an
     * option) with the slots of config.yaml would start too few slots, and the job would fail with
     * NoResourceAvailableException.
     */
    @Test
    void theClusterIsGivenTheSlotsItsTaskManagerCountWasComputedFrom() throws Exception {
        ShippedSettings shipped = shipped();
        ClusterConfig.Settings cluster =
                new ClusterRunSettings(shipped, null, null, null, null, BenchTransport.SPOOL).clusterSettings();

        assertThat(cluster.slotsPerTaskManager())
                .isEqualTo(Integer.parseInt(shipped.flinkConfig().get("taskmanager.numberOfTaskSlots")));
        assertThat(cluster.taskManagers() * cluster.slotsPerTaskManager())
                .isGreaterThanOrEqualTo(shipped.parallelism());
    }

    @Test
    void aStateBackendGivenGoesToTheClusterWithItsMemorySplitAndTheSettingsLinesSaySo() throws Exception {
        ShippedSettings shipped = shipped();
        ClusterRunSettings heap = new ClusterRunSettings(
                shipped, null, null, null, null, BenchTransport.SPOOL, null, null, ClusterStateBackend.HASHMAP);

        assertThat(heap.clusterSettings().stateBackend()).isEqualTo(ClusterStateBackend.HASHMAP);
        assertThat(heap.describe()).contains("state backend hashmap, managed memory fraction 0 (--state-backend)");
        ClusterRunSettings deployed = new ClusterRunSettings(shipped, null, null, null, null, BenchTransport.SPOOL);
        assertThat(deployed.clusterSettings().stateBackend()).isNull();
        assertThat(deployed.describe())
                .anyMatch(line ->
                        line.startsWith("state backend " + shipped.flinkConfig().get("state.backend.type")));
    }

    @Test
    void oneTaskManagerWithFourSlotsWhenAskedForAndTheSettingsLinesSaySo() throws Exception {
        ShippedSettings shipped = shipped();
        ClusterRunSettings s =
                new ClusterRunSettings(shipped, null, null, null, null, BenchTransport.SPOOL, 4, "5g", null);

        assertThat(s.jobParallelism()).isEqualTo(4);
        assertThat(s.taskManagers()).isEqualTo(1);
        ClusterConfig.Settings cluster = s.clusterSettings();
        assertThat(cluster.taskManagers()).isEqualTo(1);
        assertThat(cluster.slotsPerTaskManager()).isEqualTo(4);
        assertThat(cluster.taskManagerMemory()).isEqualTo("5g");
        assertThat(cluster.jobManagerMemory()).isEqualTo(shipped.jobManagerMemory());
        assertThat(s.describe())
                .contains("parallelism 4 on 1 TaskManager(s) × 4 slots (--slots-per-taskmanager)")
                .anyMatch(line -> line.startsWith("TaskManager 5g (--taskmanager-memory), JobManager "
                        + shipped.jobManagerMemory() + " process memory"));

        ClusterRunSettings sixOnFourSlots =
                new ClusterRunSettings(shipped, null, null, null, 6, BenchTransport.SPOOL, 4, null, null);
        assertThat(sixOnFourSlots.taskManagers()).as("ceil(6 / 4)").isEqualTo(2);
        assertThat(sixOnFourSlots.clusterSettings().taskManagerMemory()).isEqualTo(shipped.taskManagerMemory());
        assertThat(sixOnFourSlots.describe())
                .contains("parallelism 6 on 2 TaskManager(s) × 4 slots (--parallelism, --slots-per-taskmanager)");
    }

    /** Over Kinesis the run is the Kinesis variant's (k8s/kinesis), read from its files like the base's. */
    @Test
    void overKinesisTheRunIsTheKinesisVariantsAndTheJobReadsTheBenchsStream() throws Exception {
        ShippedSettings shipped = ShippedSettings.read(
                BenchMain.repoRoot(), ShippedSettings.BENCH_PLACEHOLDERS, BenchTransport.KINESIS.overlay());
        ClusterRunSettings s = new ClusterRunSettings(shipped, null, null, null, null, BenchTransport.KINESIS);
        KinesisStream stream = new KinesisStream("http://127.0.0.1:4567", "bench-stream", 2);

        List<String> args = s.jobArgs("/spool", "http://127.0.0.1:1", Duration.ZERO, stream);
        assertThat(args)
                .containsSequence("--transport", "KINESIS")
                .containsSequence("--kinesis-stream", "bench-stream")
                .containsSequence("--kinesis-endpoint", "http://127.0.0.1:4567")
                .containsSequence("--kinesis-region", KinesisStream.REGION)
                .containsSequence("--cloudwatch-endpoint", "http://127.0.0.1:1")
                .containsSequence("--multiline-flush-timeout", shipped.jobArg("--multiline-flush-timeout"))
                .doesNotContain("--spool", "/spool", "--until-sealed", "--discovery-interval");
        assertThat(args.stream().filter("--transport"::equals)).hasSize(1);
        assertThat(args.stream().filter("--kinesis-stream"::equals)).hasSize(1);
        assertThat(s.clusterSettings().checkpointInterval())
                .isEqualTo(TimeUtils.parseDuration(shipped.flinkConfig().get("execution.checkpointing.interval")));
        assertThat(s.collectorEnv(stream))
                .containsEntry("SPOOL_KINESIS_STREAM", "bench-stream")
                .containsEntry("SPOOL_KINESIS_ENDPOINT", "http://127.0.0.1:4567")
                .containsEntry("AWS_REGION", KinesisStream.REGION)
                .containsAllEntriesOf(shipped.collectorEnv())
                .doesNotContainKey("SPOOL_S3_URI");
        assertThat(s.describe())
                .contains(
                        "segment age " + shipped.collectorEnv().get("SEGMENT_MAX_AGE") + " (shipped: k8s/kinesis)",
                        "checkpoint interval " + shipped.flinkConfig().get("execution.checkpointing.interval")
                                + " (shipped: k8s/kinesis)")
                .anyMatch(line -> line.startsWith("transport kinesis: each segment one record"))
                .noneMatch(line -> line.startsWith("spool discovery"));
    }

    @Test
    void overKinesisAGivenSegmentAgeWins() throws Exception {
        ClusterRunSettings s =
                new ClusterRunSettings(shipped(), null, null, Duration.ofMillis(300), null, BenchTransport.KINESIS);
        KinesisStream stream = new KinesisStream("http://127.0.0.1:4567", "bench-stream", 1);

        assertThat(s.collectorEnv(stream)).containsEntry("SEGMENT_MAX_AGE", "300ms");
        assertThat(s.describe()).contains("segment age 300 ms (--segment-age)");
    }
}
