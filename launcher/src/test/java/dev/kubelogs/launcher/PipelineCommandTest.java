package dev.kubelogs.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.OneLineParameterErrors;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** Out-of-range options end in one line naming the option and exit code 2, before anything starts. */
class PipelineCommandTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "demo --nodes 0                                  | --nodes must be at least 1",
                "demo --nodes -1                                 | --nodes must be at least 1",
                "demo --rate -5                                  | --rate must be at least 1",
                "demo --rate 0                                   | --rate must be at least 1",
                "demo --parallelism 0                            | --parallelism must be at least 1",
                "demo --duration 0s                              | --duration must be longer than 0",
                "demo --logs ${tmp}/missing                      | --logs",
                "job --spool ${tmp} --parallelism 0              | --parallelism must be at least 1",
                "job --spool ${tmp} --checkpoint-interval 0s     | --checkpoint-interval must be at least 10 ms",
                "job --spool ${tmp} --retention-days -3          | --retention-days must be one of",
                "job --spool ${tmp} --retention-days 2           | --retention-days must be one of",
                "job --spool ${tmp} --delivery-guarantee NONE    | --delivery-guarantee must be EXACTLY_ONCE or AT_LEAST_ONCE",
                "job --spool ${tmp} --max-record-bytes -1        | --max-record-bytes must be at least 1",
                "job --spool ${tmp} --max-record-bytes 0         | --max-record-bytes must be at least 1",
                "job --spool ${tmp} --discovery-interval 0s      | --discovery-interval must be longer than 0",
                "job --spool ${tmp} --multiline-flush-timeout 0s | --multiline-flush-timeout must be longer than 0",
                "job --spool ${tmp} --metadata-wait PT-1S        | --metadata-wait must not be negative",
                "job --spool ${tmp} --metadata-wait -1s          | Invalid value for option '--metadata-wait'",
            })
    void anOptionOutOfRangeIsOneLineNamingItAndExitCode2(String args, String expected) throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        StringWriter err = new StringWriter();
        CommandLine cmd = OneLineParameterErrors.install(new CommandLine(new PipelineCommand()));
        cmd.setErr(new PrintWriter(err));
        String[] argv = (args.replace("${tmp}", tmp.toString()) + " --work-dir " + work).split("\\s+");
        if (argv[0].equals("job")) {
            argv = args.replace("${tmp}", tmp.toString()).split("\\s+");
        }

        int exit = cmd.execute(argv);

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString().strip())
                .doesNotContain("\n")
                .contains(expected)
                .contains("(see --help)");
        assertThat(work).isEmptyDirectory(); // refused before the work dir was touched
    }
}
