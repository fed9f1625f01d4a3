package dev.kubelogs.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.launcher.ConsoleCapture;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./pipeline cluster start|status|stop|submit} as a user types them: exit codes and what they print. */
class ClusterCommandTest {
    @TempDir
    Path dir;

    private static ConsoleCapture cluster(String... args) {
        return ConsoleCapture.of(() -> new CommandLine(new ClusterCommand()).execute(args));
    }

    @Test
    void statusStopAndSubmitWithoutAClusterSayItInOneLineAndExit1() {
        String none = dir.resolve("none").toString();
        for (String command : new String[] {"status", "stop", "submit"}) {
            ConsoleCapture run = cluster(command, "--state-dir", none);

            assertThat(run.exit()).as(command).isEqualTo(1);
            assertThat(run.err().strip())
                    .as(command)
                    .startsWith("cluster: no cluster was started with state directory " + none)
                    .doesNotContain("\n");
        }
    }

    @Test
    void startStatusASecondStartAndStopOnOneStateDirectory() {
        String state = dir.resolve("cluster").toString();
        ConsoleCapture started = cluster("start", "--state-dir", state, "--task-managers", "1");
        try {
            assertThat(started.exit()).isZero();
            assertThat(started.out())
                    .containsPattern("zookeeper +pid \\d+ +running")
                    .containsPattern("jobmanager +pid \\d+ +running")
                    .containsPattern("taskmanager-1 +pid \\d+ +running");

            ConsoleCapture status = cluster("status", "--state-dir", state);
            assertThat(status.exit()).isZero();
            assertThat(status.out()).contains("1 TaskManagers, 2/2 slots free, jobs running 0");

            ConsoleCapture again = cluster("start", "--state-dir", state);
            assertThat(again.exit()).isEqualTo(1);
            assertThat(again.err()).contains("a cluster already runs with state directory " + state);
        } finally {
            assertThat(cluster("stop", "--state-dir", state).exit()).isZero();
        }

        ConsoleCapture stopped = cluster("status", "--state-dir", state);
        assertThat(stopped.exit()).as("status of a stopped cluster").isEqualTo(1);
        assertThat(stopped.out())
                .containsPattern("jobmanager +pid \\d+ +NOT RUNNING")
                .contains("the REST API does not answer");
    }
}
