package dev.kubelogs.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.CommonTestUtils;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the Kubernetes operator does on an image change with {@code upgradeMode: savepoint}: stop with a
 * savepoint while a stack trace is half merged, pod metadata and sink batches are in state, then start the
 * (new) job from it. Every line lands exactly once and the trace is joined across the upgrade.
 */
class SavepointUpgradeITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    @TempDir
    Path spool;

    @TempDir
    Path savepoints;

    @TempDir
    Path nativeSavepoints;

    @Test
    void stopWithSavepointAndRestoreLosesAndDuplicatesNothing(@InjectMiniCluster MiniCluster miniCluster)
            throws Exception {
        try (LocalCloudWatchLogs endpoint = LocalCloudWatchLogs.start(0, null)) {
            UpgradeScenario.writeSegment0(spool);
            JobClient v1 = environment().executeAsync(graph(endpoint, null, null));
            CommonTestUtils.waitForAllTaskRunning(miniCluster, v1.getJobID(), false);
            // the three lines before the trace are committed once a checkpoint covers them
            CommonTestUtils.waitUntilCondition(
                    () -> endpoint.logGroups().stream().anyMatch(g -> g.eventCount() >= 3));
            String savepoint = v1.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get();
            assertThat(UpgradeScenario.landedLogs(endpoint)).containsExactly("line a", "line b", "line c");

            UpgradeScenario.writeSegment1AndSeal(spool);
            JobClient v2 = environment().executeAsync(graph(endpoint, savepoint, null));
            v2.getJobExecutionResult().get();

            assertThat(UpgradeScenario.landedLogs(endpoint)).containsExactlyElementsOf(UpgradeScenario.EXPECTED_LOGS);
        }
    }

    /**
     * The upgrade that moves the job from RocksDB to the heap backend: a canonical savepoint (the operator's
     * {@code kubernetes.operator.savepoint.format.type}) is backend independent, so the job stopped on RocksDB
     * restores on the heap backend with its merge buffers, offsets, pod metadata and pending commits.
     */
    @Test
    void aCanonicalSavepointTakenOnRocksDbRestoresOnTheHeapBackend(@InjectMiniCluster MiniCluster miniCluster)
            throws Exception {
        try (LocalCloudWatchLogs endpoint = LocalCloudWatchLogs.start(0, null)) {
            UpgradeScenario.writeSegment0(spool);
            JobClient onRocksDb = environment().executeAsync(graph(endpoint, null, "rocksdb"));
            CommonTestUtils.waitForAllTaskRunning(miniCluster, onRocksDb.getJobID(), false);
            CommonTestUtils.waitUntilCondition(
                    () -> endpoint.logGroups().stream().anyMatch(g -> g.eventCount() >= 3));
            String nativeSavepoint = onRocksDb
                    .triggerSavepoint(nativeSavepoints.toUri().toString(), SavepointFormatType.NATIVE)
                    .get();
            assertThat(keyedStateHandleKinds(nativeSavepoint))
                    .as("the first job ran on RocksDB: its native savepoint holds RocksDB's files")
                    .contains("IncrementalRemoteKeyedStateHandle");
            String savepoint = onRocksDb
                    .stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get();
            assertThat(UpgradeScenario.landedLogs(endpoint)).containsExactly("line a", "line b", "line c");

            UpgradeScenario.writeSegment1AndSeal(spool);
            JobClient onHeap = environment().executeAsync(graph(endpoint, savepoint, "hashmap"));
            onHeap.getJobExecutionResult().get();

            assertThat(UpgradeScenario.landedLogs(endpoint)).containsExactlyElementsOf(UpgradeScenario.EXPECTED_LOGS);
        }
    }

    /** The class names of the keyed state handles a savepoint's metadata holds. */
    private static Set<String> keyedStateHandleKinds(String savepointPointer) throws IOException {
        Path metadata = Path.of(URI.create(savepointPointer)).resolve("_metadata");
        try (DataInputStream in = new DataInputStream(Files.newInputStream(metadata))) {
            CheckpointMetadata loaded = Checkpoints.loadCheckpointMetadata(
                    in, SavepointUpgradeITCase.class.getClassLoader(), savepointPointer);
            return loaded.getOperatorStates().stream()
                    .flatMap(o -> o.getStates().stream())
                    .flatMap(s -> s.getManagedKeyedState().stream())
                    .map(h -> h.getClass().getSimpleName())
                    .collect(Collectors.toSet());
        }
    }

    /** The scenario's job graph, on {@code stateBackend} ({@code state.backend.type}; null: the environment's). */
    private StreamGraph graph(LocalCloudWatchLogs endpoint, String restoreFrom, String stateBackend) {
        StreamExecutionEnvironment env = environment();
        if (stateBackend != null) {
            Configuration backend = new Configuration();
            backend.set(StateBackendOptions.STATE_BACKEND, stateBackend);
            env.configure(backend);
        }
        UpgradeScenario.job(spool, endpoint.endpoint().toString()).build(env);
        StreamGraph graph = env.getStreamGraph();
        if (restoreFrom != null) {
            // allowNonRestoredState stays false: a savepoint whose state has no operator to go to is an error
            graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(restoreFrom, false));
        }
        return graph;
    }

    static StreamExecutionEnvironment environment() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.AUTO_GENERATE_UIDS, false);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(200);
        return env;
    }
}
