package dev.kubelogs.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.launcher.DemoCommand;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The local cluster for real: ZooKeeper, a JobManager and a TaskManager as processes, the demo's job uploaded and run
 * over REST (--flink-rest), every generated line delivered once, and nothing left running after stop.
 */
class LocalFlinkClusterTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void theDemoRunsOnTheClusterAndStopLeavesNoProcess() throws Exception {
        LocalFlinkCluster cluster = LocalFlinkCluster.start(
                REPO,
                dir.resolve("cluster"),
                new ClusterConfig.Settings(1, "768m", "768m", Duration.ofSeconds(1)),
                Duration.ofMinutes(3));
        try {
            assertThat(cluster.processes())
                    .extracting(JvmProcess::name)
                    .containsExactly("zookeeper", "jobmanager", "taskmanager-1");
            assertThat(cluster.processes()).allMatch(JvmProcess::alive);
            LocalFlinkCluster attached = LocalFlinkCluster.attach(dir.resolve("cluster"));
            assertThat(attached.state()).isEqualTo(cluster.state());

            int code = new CommandLine(new DemoCommand())
                    .execute(
                            "--nodes",
                            "1",
                            "--rate",
                            "200",
                            "--duration",
                            "3s",
                            "--work-dir",
                            dir.resolve("demo").toString(),
                            "--flink-rest",
                            "127.0.0.1:" + cluster.state().restPort());
            assertThat(code)
                    .as("the demo's exit code: 0 when every line landed once")
                    .isZero();
            assertThat(cluster.state().jobManager().alive())
                    .as("the JobManager survived running the jar")
                    .isTrue();
        } finally {
            cluster.stop(Duration.ofSeconds(30));
        }
        assertThat(cluster.processes()).noneMatch(JvmProcess::alive);
    }
}
