package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the sink bench from rotting: a warm-up and two tiny runs (both topologies) against the endpoint in its own
 * process, verified from its persisted data directory. No assertion on any rate: only that it runs, bills and
 * reports, and that nothing was lost or duplicated.
 */
class SinkBenchTest {

    @Test
    void tinyRunsAgainstTheEndpointProcessLoseNothing(@TempDir Path tmp) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        SinkBench.Spec chained = new SinkBench.Spec(
                3_000,
                0,
                Duration.ofMillis(500),
                "hashmap",
                SinkBench.Topology.CHAINED,
                SinkBench.Shape.CONTAINER_INSIGHTS,
                tmp.resolve("work"));

        String warmUp = SinkBench.warmUp(chained.withEvents(1_000), out);
        SinkBench.Result fast = SinkBench.run(chained, out);
        SinkBench.Result keyed = SinkBench.run(
                new SinkBench.Spec(
                        2_000,
                        2_000,
                        Duration.ofMillis(500),
                        "hashmap",
                        SinkBench.Topology.KEYED,
                        SinkBench.Shape.SYNTHETIC,
                        tmp.resolve("work")),
                out);

        assertThat(warmUp).contains("missing 0, duplicated 0");
        for (SinkBench.Result r : new SinkBench.Result[] {fast, keyed}) {
            assertThat(r.stored).isEqualTo(r.events);
            assertThat(r.missing).isZero();
            assertThat(r.duplicated).isZero();
            assertThat(r.p50)
                    .as("latency from the persisted ingestion time")
                    .isNotNaN()
                    .isNotNegative();
            assertThat(r.jobCpuSeconds).isPositive();
            assertThat(r.endpointCpuSeconds).as("the endpoint's own process").isPositive();
            assertThat(r.jobCpuSecondsByGroup).containsKey("other");
        }
        assertThat(keyed.topology).isEqualTo("keyed");
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("warm-up", "unpaced, chained", "paced at 2,000 events/s, keyed", "CPU by thread group");

        fast.warmUp = warmUp;
        Path results = tmp.resolve("results");
        Files.createDirectories(results);
        Report report = new Report(results, out);
        report.sink(fast, keyed);
        assertThat(Files.readString(results.resolve("report.md")))
                .contains("## Sink alone", "endpoint process", "| other |");
    }
}
