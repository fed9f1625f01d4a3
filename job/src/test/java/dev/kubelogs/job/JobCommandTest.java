package dev.kubelogs.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class JobCommandTest {
    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return new CommandLine(new JobCommand()).setErr(new PrintWriter(err, true)).execute(args);
    }

    @Test
    void aMultilineRulesFileThatIsNotJsonIsAUsageErrorNamingTheFileAndThePosition() throws IOException {
        Path rules = Files.writeString(dir.resolve("rules.json"), "[{\"name\": \"x\",\n  rules: []}]");
        assertThat(run("--spool", dir.toString(), "--multiline-rules", rules.toString())).isEqualTo(2);
        assertThat(err.toString())
                .startsWith("--multiline-rules: " + rules + ": ")
                .contains("(line 2, column 3)")
                .doesNotContain("\tat ");
    }

    @Test
    void aMissingMultilineRulesFileIsAUsageErrorWithoutAStackTrace() {
        Path missing = dir.resolve("missing.json");
        assertThat(run("--spool", dir.toString(), "--multiline-rules", missing.toString())).isEqualTo(2);
        assertThat(err.toString().lines().findFirst()).hasValue("--multiline-rules: " + missing + ": no such file");
        assertThat(err.toString()).doesNotContain("\tat ").doesNotContain("Exception");
    }
}
