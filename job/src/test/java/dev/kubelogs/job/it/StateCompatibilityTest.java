package dev.kubelogs.job.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.CommonTestUtils;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Savepoints of earlier releases must keep restoring. {@code src/test/resources/savepoints/<release>/} holds a
 * savepoint taken by that release in the middle of {@link UpgradeScenario} (pod metadata, offsets and half a
 * stack trace in keyed state, the source's per-node position); the current code restores it and finishes
 * the scenario. A release that changes state adds its own savepoint here and keeps the old ones passing.
 *
 * <p>Write a new fixture with {@code mvn -pl job test -Dtest=StateCompatibilityTest -Dkubelogs.writeSavepoint=<release>}.
 */
class StateCompatibilityTest {
    static final List<String> RELEASES = List.of("0.1.0");

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    @TempDir
    Path spool;

    @Test
    void savepointsOfEarlierReleasesRestore() throws Exception {
        for (String release : RELEASES) {
            Path savepoint = savepointOf(release);
            Path releaseSpool = Files.createDirectories(spool.resolve(release));
            try (LocalCloudWatchLogs endpoint = LocalCloudWatchLogs.start(0, null)) {
                UpgradeScenario.writeSegment1AndSeal(releaseSpool);
                StreamExecutionEnvironment env = SavepointUpgradeITCase.environment();
                UpgradeScenario.job(releaseSpool, endpoint.endpoint().toString())
                        .build(env);
                StreamGraph graph = env.getStreamGraph();
                graph.setSavepointRestoreSettings(
                        SavepointRestoreSettings.forPath(savepoint.toUri().toString(), false));
                env.executeAsync(graph).getJobExecutionResult().get();

                // lines a, b, c were committed before that savepoint was taken; the rest comes from restored state
                assertThat(UpgradeScenario.landedLogs(endpoint))
                        .as("release %s", release)
                        .containsExactlyElementsOf(
                                UpgradeScenario.EXPECTED_LOGS.subList(3, UpgradeScenario.EXPECTED_LOGS.size()));
            }
        }
    }

    /** Takes the fixture savepoint with the current code (run once per release that changes state). */
    @Test
    @EnabledIfSystemProperty(named = "kubelogs.writeSavepoint", matches = ".+")
    void writeSavepointFixture(@InjectMiniCluster MiniCluster miniCluster) throws Exception {
        String release = System.getProperty("kubelogs.writeSavepoint");
        Path target =
                Paths.get("src/test/resources/savepoints").resolve(release).toAbsolutePath();
        Files.createDirectories(target);
        try (LocalCloudWatchLogs endpoint = LocalCloudWatchLogs.start(0, null)) {
            UpgradeScenario.writeSegment0(spool);
            StreamExecutionEnvironment env = SavepointUpgradeITCase.environment();
            UpgradeScenario.job(spool, endpoint.endpoint().toString()).build(env);
            JobClient job = env.executeAsync("savepoint-fixture");
            CommonTestUtils.waitForAllTaskRunning(miniCluster, job.getJobID(), false);
            CommonTestUtils.waitUntilCondition(
                    () -> endpoint.logGroups().stream().anyMatch(g -> g.eventCount() >= 3));
            String written = job.stopWithSavepoint(false, target.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get();
            System.out.println("Savepoint fixture written to " + written);
        }
    }

    private Path savepointOf(String release) throws IOException, URISyntaxException {
        Path dir = Paths.get(getClass().getResource("/savepoints/" + release).toURI());
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(p -> p.getFileName().toString().startsWith("savepoint-"))
                    .findFirst()
                    .orElseThrow(() -> new IOException("no savepoint in " + dir));
        }
    }
}
