package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Keeps the harness from rotting: tiny, short runs of the real thing (collector processes, the job on a MiniCluster or
 * on a cluster of its own processes, the local endpoint, verification by content, the report with its plots). No
 * assertion on any timing or rate: only that it runs, reports, and that nothing was lost or duplicated.
 */
class HarnessSmokeTest {

    @Test
    void tinyRunProducesAReportAndLosesNothing(@TempDir Path tmp) throws Exception {
        Path results = tmp.resolve("results");
        int code = new CommandLine(new BenchMain())
                .execute(
                        "--quick",
                        "--job-topology",
                        "minicluster",
                        "--parts",
                        "e2e,collector,tail,state",
                        "--collector-rates",
                        "1000",
                        "--results",
                        results.toString(),
                        "--work-dir",
                        tmp.resolve("work").toString());
        assertThat(code)
                .as("exit code (non-zero when the e2e run lost or duplicated lines)")
                .isZero();
        assertThat(results.resolve("report.md")).exists();
        String report = Files.readString(results.resolve("report.md"));
        assertThat(report)
                .contains(
                        "## End to end",
                        "## Collector alone",
                        "## Collector tail throughput",
                        "## Source enumerator state size");
        for (String png :
                new String[] {"e2e-latency-over-time.png", "e2e-throughput-over-time.png", "collector-rss-over-time.png"
                }) {
            assertThat(results.resolve(png)).exists();
            assertThat(Files.size(results.resolve(png))).isGreaterThan(1000);
        }
        JsonNode json =
                new ObjectMapper().readTree(results.resolve("results.json").toFile());
        JsonNode e2e = json.path("e2e");
        assertThat(e2e.path("linesWritten").asLong()).isPositive();
        assertThat(e2e.path("events").asLong())
                .isEqualTo(e2e.path("recordsExpected").asLong());
        assertThat(e2e.path("lost").asLong()).isZero();
        assertThat(e2e.path("duplicated").asLong()).isZero();
        assertThat(e2e.path("brokenTraces").asLong()).isZero();
        JsonNode state = json.path("enumeratorState");
        assertThat(state.size()).isEqualTo(4);
        // one number per node: the same bytes whatever the number of segments consumed
        assertThat(state.get(0).path("bytesAfterConsuming").asInt())
                .isEqualTo(state.get(1).path("bytesAfterConsuming").asInt());
    }

    @Test
    void tinyRunOnAClusterOfItsOwnProcessesBillsThemAndLosesNothing(@TempDir Path tmp) throws Exception {
        Path results = tmp.resolve("results");
        int code = new CommandLine(new BenchMain())
                .execute(
                        "--quick",
                        "--parts",
                        "e2e",
                        "--parallelism",
                        "2",
                        "--results",
                        results.toString(),
                        "--work-dir",
                        tmp.resolve("work").toString());

        assertThat(code)
                .as("exit code (non-zero when the e2e run lost or duplicated lines)")
                .isZero();
        JsonNode e2e = new ObjectMapper()
                .readTree(results.resolve("results.json").toFile())
                .path("e2e");
        assertThat(e2e.path("jobTopology").asText()).isEqualTo("cluster");
        assertThat(e2e.path("linesWritten").asLong()).isPositive();
        assertThat(e2e.path("events").asLong())
                .isEqualTo(e2e.path("recordsExpected").asLong());
        assertThat(e2e.path("lost").asLong()).isZero();
        assertThat(e2e.path("duplicated").asLong()).isZero();
        assertThat(e2e.path("startupCpuSeconds").asDouble()).isPositive();
        assertThat(e2e.path("taskManagerCores").asDouble()).isPositive();
        assertThat(e2e.path("jobThreadCores").has("JVM: GC")
                        || e2e.path("jobThreadCores").has("JVM: JIT"))
                .as("the TaskManager's own JIT/GC threads are in its breakdown: %s", e2e.path("jobThreadCores"))
                .isTrue();
        assertThat(e2e.path("settingsUsed").toString()).contains("(shipped)", "(--parallelism)");
        assertThat(Files.readString(results.resolve("report.md")))
                .contains("Job: on a Flink cluster of its own processes");
    }
}
