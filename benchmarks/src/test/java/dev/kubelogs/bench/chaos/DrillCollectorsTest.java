package dev.kubelogs.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.bench.BenchMain;
import dev.kubelogs.bench.CollectorFleet;
import dev.kubelogs.bench.CollectorProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real collector processes (of a node without logs) killed, drained and started again as the drill does. */
class DrillCollectorsTest {
    private static final Pattern START = Pattern.compile("starting node collector");

    @TempDir
    Path tmp;

    @Test
    void aKilledOrDrainedCollectorIsStartedAgainWithItsEnvironmentAndLog() throws Exception {
        Path logRoot = Files.createDirectories(tmp.resolve("logs"));
        Path spool = Files.createDirectories(tmp.resolve("spool"));
        Path log = tmp.resolve("collector-1.log");
        DrillCollectors collectors = new DrillCollectors(
                BenchMain.repoRoot(),
                new CollectorProcess.JvmFlags("test", List.of("-Xmx64m")),
                Duration.ofSeconds(60));
        try {
            collectors.start(
                    List.of(CollectorFleet.idleEnv("node-a", logRoot, spool, tmp.resolve("state"))), List.of(log));
            assertThat(collectors.logs()).containsExactly(log);
            assertThat(collectors.alive(0)).isTrue();

            String drained = collectors.restart(new Schedule.Fault(1, FaultKind.COLLECTOR_TERM, 0, Duration.ZERO));
            assertThat(drained)
                    .as("a SIGTERM ends the JVM with 143 after its shutdown hook")
                    .isEmpty();
            assertThat(collectors.alive(0)).isTrue();

            collectors.restart(new Schedule.Fault(2, FaultKind.COLLECTOR_KILL, 0, Duration.ZERO));
            assertThat(collectors.alive(0)).isTrue();
            assertThat(START.matcher(Files.readString(log)).results().count())
                    .as("three processes wrote to the one log")
                    .isEqualTo(3);
        } finally {
            collectors.stopAll();
        }
        assertThat(collectors.alive(0)).isFalse();
    }
}
