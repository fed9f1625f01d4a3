package dev.kubelogs.launcher.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Processes started through {@code setsid}, as the local cluster starts them. */
class JvmProcessTest {
    private static final List<String> SMALL_JVM = List.of("-Xmx32m", "-XX:TieredStopAtLevel=1", "-Xshare:auto");

    @TempDir
    Path dir;

    /** A JVM that sleeps until it is stopped, or exits with the code given. */
    public static final class Child {
        public static void main(String[] args) throws InterruptedException {
            if (args.length > 0) {
                // not at once: a process that exits before start sees it run is start's error, not this one's
                Thread.sleep(1000);
                System.out.println("exiting with " + args[0]);
                System.exit(Integer.parseInt(args[0]));
            }
            Thread.sleep(Duration.ofMinutes(10).toMillis());
        }
    }

    /**
     * Once start returns the pid is the JVM's for good: before, start returned as soon as setsid's command line showed
     * the main class, and while setsid then exec'ed java the pid's command line was empty or partial for a moment, so
     * that the process passed for exited (the local cluster's "zookeeper exited before it listened ... it printed no
     * exception", 0.04 s after its start, with ZooKeeper running).
     */
    @Test
    void aStartedProcessIsAliveWithoutAGapWhileItsExecChainEnds() throws Exception {
        for (int i = 0; i < 40; i++) {
            JvmProcess p = start("child-" + i);
            try {
                long end = System.nanoTime() + Duration.ofMillis(150).toNanos();
                while (System.nanoTime() < end) {
                    if (!p.alive()) {
                        fail("start " + i + ": the process passed for exited 0 to 150 ms after its start ("
                                + p.exitStatus() + ")");
                    }
                }
            } finally {
                p.kill(Duration.ofSeconds(30));
            }
            assertThat(p.alive()).isFalse();
            assertThat(p.exitStatus()).isEqualTo("exit code 137");
        }
    }

    @Test
    void anExitedProcessTellsItsExitCode() throws Exception {
        JvmProcess p = start("child", "3");
        ProcessHandle.of(p.pid()).orElseThrow().onExit().get(1, TimeUnit.MINUTES);
        assertThat(p.alive()).isFalse();
        assertThat(p.exitStatus()).isEqualTo("exit code 3");
        assertThat(dir.resolve("child.out")).content().isEqualTo("exiting with 3\n");
    }

    @Test
    void aProcessThisJvmDidNotStartHasNoKnownExitCode() {
        JvmProcess other = new JvmProcess("other", ProcessHandle.current().pid(), "whatever");
        assertThat(other.exitStatus()).isEqualTo("exit code unknown: not started by this launcher");
    }

    private JvmProcess start(String name, String... args) throws Exception {
        return JvmProcess.start(
                name,
                SMALL_JVM,
                System.getProperty("java.class.path"),
                Child.class.getName(),
                List.of(args),
                dir.resolve(name + ".out"));
    }
}
