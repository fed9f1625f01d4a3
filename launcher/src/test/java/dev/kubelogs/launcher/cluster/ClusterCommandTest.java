package dev.kubelogs.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./pipeline cluster start|status|stop|submit} as a user types them: exit codes and what they print. */
class ClusterCommandTest {
    @TempDir
    Path dir;

    /** What one command printed and its exit code. */
    private record Run(int exit, String out, String err) {}

    private static Run cluster(String... args) {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exit = new CommandLine(new ClusterCommand()).execute(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
            stdout.print(out.toString(StandardCharsets.UTF_8));
            stderr.print(err.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void statusStopAndSubmitWithoutAClusterSayItInOneLineAndExit1() {
        String none = dir.resolve("none").toString();
        for (String command : new String[] {"status", "stop", "submit"}) {
            Run run = cluster(command, "--state-dir", none);

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
        Run started = cluster("start", "--state-dir", state, "--task-managers", "1");
        try {
            assertThat(started.exit()).isZero();
            assertThat(started.out())
                    .containsPattern("zookeeper +pid \\d+ +running")
                    .containsPattern("jobmanager +pid \\d+ +running")
                    .containsPattern("taskmanager-1 +pid \\d+ +running");

            Run status = cluster("status", "--state-dir", state);
            assertThat(status.exit()).isZero();
            assertThat(status.out()).contains("1 TaskManagers, 2/2 slots free, jobs running 0");

            Run again = cluster("start", "--state-dir", state);
            assertThat(again.exit()).isEqualTo(1);
            assertThat(again.err()).contains("a cluster already runs with state directory " + state);
        } finally {
            assertThat(cluster("stop", "--state-dir", state).exit()).isZero();
        }

        Run stopped = cluster("status", "--state-dir", state);
        assertThat(stopped.exit()).as("status of a stopped cluster").isEqualTo(1);
        assertThat(stopped.out())
                .containsPattern("jobmanager +pid \\d+ +NOT RUNNING")
                .contains("the REST API does not answer");
    }
}
