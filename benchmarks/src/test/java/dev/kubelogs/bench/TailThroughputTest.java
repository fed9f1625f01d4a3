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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TailThroughputTest {

    @Test
    void theInputIsDockerJsonLinesOfAbout303Bytes(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("0.log");

        TailThroughput.write(file, 2_000);

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2_000);
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            JsonNode n = json.readTree(line);
            assertThat(n.path("stream").asText()).isEqualTo("stdout");
            assertThat(n.path("log").asText())
                    .startsWith("INFO  [http-nio-8080-exec-")
                    .endsWith("\n");
            assertThat(line.length() + 1).isBetween(223, 384);
        }
        assertThat((double) Files.size(file) / lines.size()).isBetween(290.0, 316.0);
    }

    @Test
    void ratesPerCpuSecondWholeAndSteady() {
        TailThroughput.Result r = new TailThroughput.Result();
        r.lines = 1_000;
        r.bytes = 3_000_000;
        r.cpuSeconds = 2;
        r.steadyLines = 800;
        r.steadyBytes = 2_400_000;
        r.steadyCpuSeconds = 0.5;

        assertThat(r.linesPerCpuSecond()).isEqualTo(500);
        assertThat(r.mbPerCpuSecond()).isEqualTo(1.5);
        assertThat(r.steadyLinesPerCpuSecond()).isEqualTo(1_600);
        assertThat(r.steadyMbPerCpuSecond()).isEqualTo(4.8);
    }

    @Test
    void aCollectorProcessReadsTheWholeFile(@TempDir Path tmp) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        TailThroughput.Result r = TailThroughput.run(
                BenchMain.repoRoot(),
                tmp,
                5_000,
                new CollectorProcess.JvmFlags("test", List.of("-Xmx64m")),
                new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(r.lines).isEqualTo(5_000);
        assertThat(r.bytes).isEqualTo(Files.size(tmp.resolve("input-5000/pods/bench_app-0_uid/app/0.log")));
        assertThat(r.cpuSeconds).isPositive();
        // the steady part starts where a reading first saw a fifth read (a small file may be read by then)
        assertThat(r.steadyLines).isBetween(0L, 4_000L);
        assertThat(r.peakRssMb).isPositive();
        assertThat(tmp.resolve("run")).doesNotExist();
        assertThat(printed.toString(StandardCharsets.UTF_8)).startsWith("  5,000 lines, ");
    }
}
