package dev.kubelogs.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterConfigTest {
    private static final Path PRODUCTION = Path.of(System.getProperty("kubelogs.repo.root", ".."), "flink-conf");

    @TempDir
    Path state;

    private Map<String, String> local(Duration checkpointInterval) {
        return ClusterConfig.local(
                PRODUCTION, state, 2181, 8081, new ClusterConfig.Settings(2, "768m", "768m", checkpointInterval));
    }

    @Test
    void keepsWhatWasReviewedForProduction() {
        Map<String, String> conf = local(null);
        assertThat(conf)
                .containsEntry("state.backend.type", "rocksdb")
                .containsEntry("execution.checkpointing.incremental", "true")
                .containsEntry("execution.checkpointing.mode", "EXACTLY_ONCE")
                .containsEntry("restart-strategy.type", "exponential-delay")
                .containsEntry("pipeline.auto-generate-uids", "false")
                .containsEntry("pipeline.max-parallelism", "128")
                .containsEntry("taskmanager.numberOfTaskSlots", "2")
                .containsEntry("execution.checkpointing.interval", "3s")
                .containsEntry("execution.checkpointing.interval-during-backlog", "9s")
                .containsEntry("execution.checkpointing.data-inline-threshold", "1mb");
    }

    @Test
    void replacesS3KubernetesAndFixedPortsWithLocalCounterparts() {
        Map<String, String> conf = local(Duration.ofSeconds(2));
        assertThat(conf.values()).noneMatch(v -> v.contains("s3://") || v.contains("${"));
        assertThat(conf).doesNotContainKeys(ClusterConfig.DROPPED.toArray(String[]::new));
        assertThat(conf)
                .containsEntry(
                        "execution.checkpointing.dir",
                        state.resolve("checkpoints").toUri().toString())
                .containsEntry("high-availability.type", "zookeeper")
                .containsEntry("high-availability.zookeeper.quorum", "127.0.0.1:2181")
                .containsEntry(
                        "job-result-store.storage-path",
                        state.resolve("ha/job-result-store").toUri().toString())
                .containsEntry(
                        "application-result-store.storage-path",
                        state.resolve("ha/application-result-store").toUri().toString())
                .containsEntry("rest.bind-address", "127.0.0.1")
                .containsEntry("rest.port", "8081")
                .containsEntry("execution.checkpointing.interval", "2000ms");
        assertThat(conf.get("env.java.opts.all")).contains("--add-opens=java.base/java.util=ALL-UNNAMED");
    }

    @Test
    void eachProcessStartsWithTheOptionsForAllThenItsRoles() {
        Configuration conf = Configuration.fromMap(Map.of(
                "env.java.opts.all",
                "--add-opens=java.base/java.util=ALL-UNNAMED",
                ClusterConfig.TASK_MANAGER,
                " -XX:+UseSerialGC  -Xss512k",
                ClusterConfig.JOB_MANAGER,
                "-XX:TieredStopAtLevel=1"));
        assertThat(ClusterConfig.javaOptions(conf, ClusterConfig.TASK_MANAGER))
                .containsExactly("--add-opens=java.base/java.util=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xss512k");
        assertThat(ClusterConfig.javaOptions(conf, ClusterConfig.JOB_MANAGER))
                .containsExactly("--add-opens=java.base/java.util=ALL-UNNAMED", "-XX:TieredStopAtLevel=1");
        assertThat(ClusterConfig.javaOptions(new Configuration(), ClusterConfig.JOB_MANAGER))
                .isEmpty();
    }

    @Test
    void theWrittenFileLoadsBackAndItsMemoryFitsTheProcessSizes() throws Exception {
        Map<String, String> conf = local(null);
        ClusterConfig.write(conf, state.resolve("conf"));
        Configuration loaded =
                GlobalConfiguration.loadConfiguration(state.resolve("conf").toString());
        assertThat(loaded.toMap()).isEqualTo(conf);
        // the derivation the distribution's scripts make; it throws when the components exceed the process size
        assertThat(TaskExecutorProcessUtils.processSpecFromConfig(loaded)
                        .getTotalProcessMemorySize()
                        .getMebiBytes())
                .isEqualTo(768);
        assertThat(JobManagerProcessUtils.processSpecFromConfig(loaded)
                        .getTotalProcessMemorySize()
                        .getMebiBytes())
                .isEqualTo(768);
    }

    @Test
    void slotsGivenReplaceTheProductionFilesAndEachSlotGetsItsShareOfManagedMemory() {
        Map<String, String> conf = ClusterConfig.local(
                PRODUCTION, state, 2181, 8081, new ClusterConfig.Settings(1, "5g", "1536m", null, true, 4));
        assertThat(conf).containsEntry(ClusterConfig.SLOTS, "4").containsEntry("taskmanager.memory.process.size", "5g");
        Configuration loaded = Configuration.fromMap(conf);
        assertThat(TaskExecutorProcessUtils.processSpecFromConfig(loaded).getNumSlots())
                .isEqualTo(4);
        assertThat(local(null)).as("no slots given: the production file's").containsEntry(ClusterConfig.SLOTS, "2");
        assertThatThrownBy(() -> new ClusterConfig.Settings(1, "5g", "1536m", null, true, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one slot");
    }

    @Test
    void aStateBackendGivenReplacesTheProductionFilesWithItsMemorySplit() {
        Map<String, String> heap = ClusterConfig.local(
                PRODUCTION,
                state,
                2181,
                8081,
                new ClusterConfig.Settings(2, "3072m", "1536m", null, true, null, ClusterStateBackend.HASHMAP));
        assertThat(heap)
                .containsEntry("state.backend.type", "hashmap")
                .containsEntry("taskmanager.memory.managed.fraction", "0");
        Configuration loadedHeap = Configuration.fromMap(heap);
        assertThat(TaskExecutorProcessUtils.processSpecFromConfig(loadedHeap)
                        .getManagedMemorySize()
                        .getBytes())
                .as("no managed memory: the heap backend has no use for it")
                .isZero();

        Map<String, String> rocks = ClusterConfig.local(
                PRODUCTION,
                state,
                2181,
                8081,
                new ClusterConfig.Settings(2, "3072m", "1536m", null, true, null, ClusterStateBackend.ROCKSDB));
        assertThat(rocks)
                .containsEntry("state.backend.type", "rocksdb")
                .containsEntry("taskmanager.memory.managed.fraction", "0.4");
        long heapTaskHeap = TaskExecutorProcessUtils.processSpecFromConfig(loadedHeap)
                .getTaskHeapSize()
                .getBytes();
        long rocksTaskHeap = TaskExecutorProcessUtils.processSpecFromConfig(Configuration.fromMap(rocks))
                .getTaskHeapSize()
                .getBytes();
        long rocksManaged = TaskExecutorProcessUtils.processSpecFromConfig(Configuration.fromMap(rocks))
                .getManagedMemorySize()
                .getBytes();
        assertThat(heapTaskHeap)
                .as("what RocksDB's managed memory was goes to the task heap")
                .isEqualTo(rocksTaskHeap + rocksManaged);
    }

    @Test
    void asDeployedFlinksOwnMemorySplitAndHeartbeatsStay() {
        Map<String, String> conf = ClusterConfig.local(
                PRODUCTION, state, 2181, 8081, new ClusterConfig.Settings(2, "3072m", "1536m", null, true));
        assertThat(conf)
                .containsEntry("taskmanager.memory.process.size", "3072m")
                .containsEntry("jobmanager.memory.process.size", "1536m")
                .doesNotContainKeys(
                        "taskmanager.memory.jvm-metaspace.size",
                        "taskmanager.memory.managed.fraction",
                        "jobmanager.memory.jvm-metaspace.size",
                        "heartbeat.interval",
                        "heartbeat.timeout");
        assertThat(TaskExecutorProcessUtils.processSpecFromConfig(Configuration.fromMap(conf))
                        .getJvmMetaspaceSize()
                        .getMebiBytes())
                .as("Flink's default metaspace, as in the FlinkDeployment's pods")
                .isEqualTo(256);
        assertThat(local(null))
                .containsEntry("taskmanager.memory.jvm-metaspace.size", "160m")
                .containsEntry("heartbeat.interval", "2s");
    }
}
