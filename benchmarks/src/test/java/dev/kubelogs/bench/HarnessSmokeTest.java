package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubelogs.collector.local.LocalKinesisProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        JsonNode json = quickRun(
                tmp,
                "--job-topology",
                "minicluster",
                "--parts",
                "e2e,collector,tail,state",
                "--collector-rates",
                "1000");
        Path results = tmp.resolve("results");
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
        assertDeliveredExactlyOnce(json.path("e2e"));
        JsonNode state = json.path("enumeratorState");
        assertThat(state.size()).isEqualTo(4);
        // one number per node: the same bytes whatever the number of segments consumed
        assertThat(state.get(0).path("bytesAfterConsuming").asInt())
                .isEqualTo(state.get(1).path("bytesAfterConsuming").asInt());
    }

    @Test
    void tinyRunOnAClusterOfItsOwnProcessesBillsThemAndLosesNothing(@TempDir Path tmp) throws Exception {
        JsonNode e2e = quickRun(tmp, "--parts", "e2e", "--parallelism", "2").path("e2e");

        assertDeliveredExactlyOnce(e2e);
        assertThat(e2e.path("jobTopology").asText()).isEqualTo("cluster");
        assertThat(e2e.path("startupCpuSeconds").asDouble()).isPositive();
        assertThat(e2e.path("taskManagerCores").asDouble()).isPositive();
        assertThat(e2e.path("jobThreadCores").has("JVM: GC")
                        || e2e.path("jobThreadCores").has("JVM: JIT"))
                .as("the TaskManager's own JIT/GC threads are in its breakdown: %s", e2e.path("jobThreadCores"))
                .isTrue();
        assertThat(e2e.path("settingsUsed").toString()).contains("(shipped)", "(--parallelism)");
        assertThat(Files.readString(tmp.resolve("results/report.md")))
                .contains("Job: on a Flink cluster of its own processes");
    }

    @Test
    void tinyRunOverKinesisLosesNothingAndReportsTheServerApart(@TempDir Path tmp) throws Exception {
        String missing = LocalKinesisProcess.missing();
        if (!"1".equals(System.getenv("KUBELOGS_REQUIRE_KINESIS"))) {
            assumeTrue(missing == null, missing + " is not installed (.ci/run installs it)");
        }
        JsonNode e2e = quickRun(tmp, "--parts", "e2e", "--transport", "kinesis", "--parallelism", "2")
                .path("e2e");

        assertDeliveredExactlyOnce(e2e);
        assertThat(e2e.path("transport").asText()).isEqualTo("kinesis");
        assertThat(e2e.path("kinesisServerCores").asDouble()).isPositive();
        // the collectors' puts, which the stream's bill counts, and their payload
        assertThat(e2e.path("kinesisPutsPerSecond").asDouble()).isPositive();
        assertThat(e2e.path("kinesisPutBytesPerSecond").asDouble())
                .isGreaterThan(e2e.path("kinesisPutsPerSecond").asDouble());
        assertThat(e2e.path("kinesisPutsComplete").asBoolean()).isTrue();
        assertThat(e2e.path("settingsUsed").toString())
                .contains(
                        "segment age 1s (shipped: k8s/kinesis)", "stream kubelogs-bench of 1 shard(s) (one per node)");
        assertThat(Files.readString(tmp.resolve("results/report.md")))
                .contains("transport kinesis", "the local Kinesis server");
    }

    /** A {@code --quick} run with {@code args} into {@code tmp}; its results.json, once it exited with 0. */
    private static JsonNode quickRun(Path tmp, String... args) throws Exception {
        Path results = tmp.resolve("results");
        List<String> all = new ArrayList<>(List.of(
                "--quick",
                "--results",
                results.toString(),
                "--work-dir",
                tmp.resolve("work").toString()));
        all.addAll(List.of(args));
        int code = new CommandLine(new BenchMain()).execute(all.toArray(String[]::new));
        assertThat(code)
                .as("exit code (non-zero when the e2e run lost or duplicated lines)")
                .isZero();
        assertThat(results.resolve("report.md")).exists();
        return new ObjectMapper().readTree(results.resolve("results.json").toFile());
    }

    private static void assertDeliveredExactlyOnce(JsonNode e2e) {
        assertThat(e2e.path("linesWritten").asLong()).isPositive();
        assertThat(e2e.path("events").asLong())
                .isEqualTo(e2e.path("recordsExpected").asLong());
        assertThat(e2e.path("lost").asLong()).isZero();
        assertThat(e2e.path("duplicated").asLong()).isZero();
        assertThat(e2e.path("brokenTraces").asLong()).isZero();
    }
}
