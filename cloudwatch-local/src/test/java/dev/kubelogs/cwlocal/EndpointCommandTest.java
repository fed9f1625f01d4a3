package dev.kubelogs.cwlocal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/** The picocli command the launcher registers as {@code ./pipeline endpoint}. */
class EndpointCommandTest {
    @TempDir
    Path dir;

    @Test
    void helpListsTheOptionsAndDefaults() {
        StringWriter out = new StringWriter();
        int code = new CommandLine(new EndpointCommand())
                .setOut(new PrintWriter(out))
                .execute("--help");
        assertThat(code).isZero();
        assertThat(out.toString())
                .contains(
                        "Usage: endpoint",
                        "--port",
                        "4566",
                        "--data=DIR",
                        "./.pipeline/cloudwatch",
                        "--bind",
                        "127.0.0.1");
    }

    @Test
    void aTakenPortIsAnErrorExitNotAStackTrace() {
        try (LocalCloudWatchLogs busy = LocalCloudWatchLogs.start(0, null)) {
            StringWriter err = new StringWriter();
            int code = new CommandLine(new EndpointCommand())
                    .setErr(new PrintWriter(err))
                    .execute("--port", String.valueOf(busy.port()), "--data", dir.toString());
            assertThat(code).isEqualTo(1);
            assertThat(err.toString())
                    .startsWith("endpoint: cannot start the local CloudWatch Logs endpoint")
                    .contains("Address already in use");
        }
    }

    @Test
    void runsUntilInterruptedAndPersistsWhereItSays() throws Exception {
        PipedWriter pipe = new PipedWriter();
        BufferedReader lines = new BufferedReader(new PipedReader(pipe, 1 << 16));
        AtomicInteger exit = new AtomicInteger(-1);
        Path data = dir.resolve("cw");
        Thread runner = new Thread(
                () -> exit.set(new CommandLine(new EndpointCommand())
                        .setOut(new PrintWriter(pipe, true))
                        .execute("--port", "0", "--data", data.toString())),
                "endpoint-command");
        runner.start();

        String listening = lines.readLine();
        Matcher m =
                Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)").matcher(listening);
        assertThat(m.find()).as(listening).isTrue();
        assertThat(lines.readLine())
                .contains("Data stored in " + data.toAbsolutePath().normalize());
        assertThat(lines.readLine()).contains("aws --endpoint-url");
        assertThat(lines.readLine()).contains("Ctrl-C");

        try (CloudWatchLogsClient logs = EndpointTestBase.client(URI.create(m.group(1)), c -> {})) {
            logs.createLogGroup(b -> b.logGroupName("from-the-command"));
        }
        runner.interrupt();
        runner.join(10_000);
        assertThat(runner.isAlive()).isFalse();
        assertThat(exit.get()).isZero();
        assertThat(Files.exists(data.resolve("from-the-command").resolve("group.json")))
                .isTrue();
    }
}
