package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    @Test
    void theReportHasTheMachineTheTargetsAndEachPartsSectionOnce(@TempDir Path dir) throws Exception {
        Report report = new Report(dir, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        report.machine(Map.of("cpu", "2 cores"), "1.00 1.00 1.00");
        report.collectorFlags(new CollectorProcess.JvmFlags("test", List.of("-Xmx40m")));
        report.state(List.of(new EnumeratorStateBench.Row(10, 1, 10, 900, 400, 1)));
        report.state(List.of(new EnumeratorStateBench.Row(10, 2, 20, 900, 400, 1)));
        report.finish("2.00 1.00 1.00");

        String md = Files.readString(dir.resolve("report.md"));
        assertThat(md)
                .startsWith("# kubelogs benchmark report\n\nStarted ")
                .contains("Load average (1/5/15 min) at start: 1.00 1.00 1.00, at end: 2.00 1.00 1.00.")
                .contains("| cpu | 2 cores |")
                .contains("| collector JVM flags | `-Xmx40m` (test) |")
                .contains("## Targets (issue 7)")
                .contains("| 10 | 2 | 20 |")
                .doesNotContain("| 10 | 1 | 10 |");
        assertThat(md.split("## Source enumerator state size", -1)).hasSize(2);
        assertThat(md.split("Source state independent of the number", -1)).hasSize(2);
        JsonNode json = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
        assertThat(json.path("enumeratorState").get(0).path("segmentsPerNode").asInt())
                .isEqualTo(2);
        assertThat(json.path("collectorJvmFlags").asText()).isEqualTo("-Xmx40m  (test)");
        assertThat(json.path("loadAtEnd").asText()).isEqualTo("2.00 1.00 1.00");
    }

    @Test
    void anEndToEndResultIsWrittenFieldByField(@TempDir Path dir) throws Exception {
        Report report = new Report(dir, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        report.machine(Map.of(), "0");

        report.endToEnd(EndToEndSectionTest.result());

        JsonNode e2e = new ObjectMapper()
                .readTree(dir.resolve("results.json").toFile())
                .path("e2e");
        assertThat(e2e.path("linesWritten").asLong()).isEqualTo(20_000);
        assertThat(e2e.path("spec").path("sizes").asText()).isEqualTo("fixed:100");
        assertThat(e2e.path("spec").path("duration").asText()).isEqualTo("PT20S");
        assertThat(e2e.has("clean")).isFalse();
    }
}
