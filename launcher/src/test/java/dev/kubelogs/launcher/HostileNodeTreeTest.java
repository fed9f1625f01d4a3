package dev.kubelogs.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubelogs.cwlocal.LocalCloudWatchLogs;
import dev.kubelogs.job.OneLineParameterErrors;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;

/**
 * {@code ./pipeline demo --logs} over a hostile node tree (issue 17's cases): lines too old and too new for
 * CloudWatch, a 3 MB CRI line without a newline, a Docker line with invalid UTF-8 and a NUL, a torn line inside a
 * stack trace, a user rule that backtracks forever, links to {@code /etc/passwd} and out of the tree. Every byte
 * written ends up delivered or in the dead letter with its reason, the summary counts the reasons, and nothing
 * outside the tree is shipped.
 */
class HostileNodeTreeTest {
    private static final String CLUSTER = "hostile";
    private static final DateTimeFormatter DOCKER_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void everyByteIsDeliveredOrDeadLetteredWithItsReason() throws Exception {
        Path logs = Files.createDirectories(tmp.resolve("node/log"));
        Path containers = Files.createDirectories(logs.resolve("containers"));
        Instant now = Instant.now();
        List<String> current = new ArrayList<>();
        StringBuilder app = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            app.append(docker(
                    "old " + i + "\n", Instant.parse("2020-01-01T00:00:00Z").plusSeconds(i)));
            app.append(docker("future " + i + "\n", now.plusSeconds(5 * 3600 + i)));
            current.add("now " + i + "\n");
            app.append(docker("now " + i + "\n", now.minusSeconds(60)));
        }
        app.append(docker("java.lang.IllegalStateException: boom\n", now.minusSeconds(50)));
        app.append("{\"log\":\"torn\n");
        app.append(docker("\tat com.example.A.b(A.java:1)\n", now.minusSeconds(50)));
        Files.write(
                containers.resolve(name("app", "default", "app", 'a')),
                app.toString().getBytes(StandardCharsets.UTF_8));

        // invalid UTF-8 (0xFF) and a raw NUL inside the log value of a Docker line
        byte[] broken = ("{\"log\":\"bad \u0000 byte ").getBytes(StandardCharsets.UTF_8);
        byte[] rest = ("\\n\",\"stream\":\"stdout\",\"time\":\"" + DOCKER_TIME.format(now.minusSeconds(40)) + "\"}\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] utf8Line = new byte[broken.length + 1 + rest.length];
        System.arraycopy(broken, 0, utf8Line, 0, broken.length);
        utf8Line[broken.length] = (byte) 0xFF;
        System.arraycopy(rest, 0, utf8Line, broken.length + 1, rest.length);
        Files.write(containers.resolve(name("bytes", "default", "bytes", 'b')), utf8Line);

        // a 3 MB CRI line without a newline
        StringBuilder big = new StringBuilder(3_000_000);
        for (int i = 0; big.length() < 3_000_000; i++) {
            big.append("chunk-").append(i).append(' ');
        }
        String criTime = DOCKER_TIME.format(now.minusSeconds(30));
        Files.writeString(containers.resolve(name("big", "default", "big", 'c')), criTime + " stdout F " + big);

        // a rule that backtracks for minutes on one line
        Files.writeString(
                containers.resolve(name("slow-0", "default", "slow", 'd')),
                docker("java.lang.IllegalStateException: slow\n", now.minusSeconds(20))
                        + docker("a".repeat(60) + "!\n", now.minusSeconds(20))
                        + docker("\tat a.B.c(B.java:1)\n", now.minusSeconds(20)));
        Path rules = Files.writeString(
                tmp.resolve("rules.json"),
                "[{\"name\": \"slow\", \"namespace\": \"default\", \"pod\": \"slow-*\","
                        + " \"rules\": [{\"from\": \"start_state\", \"regex\": \"(.*a){12}$\", \"to\": \"cont\"},"
                        + " {\"from\": \"cont\", \"regex\": \"^\\\\s\", \"to\": \"cont\"}]}]");

        // links out of the tree
        Files.createSymbolicLink(containers.resolve(name("passwd", "default", "passwd", 'e')), Path.of("/etc/passwd"));
        Files.createSymbolicLink(
                containers.resolve(name("climb", "default", "climb", 'f')),
                Path.of("../../../../../../../../etc/hostname"));
        Path secret = Files.writeString(tmp.resolve("token"), "secret-token-that-must-not-leave\n");
        Files.createSymbolicLink(containers.resolve(name("token", "default", "token", '0')), secret);

        String summary;
        try (LocalCloudWatchLogs cw = LocalCloudWatchLogs.start(0, null)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrintStream stdout = System.out;
            int exit;
            try {
                System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
                exit = OneLineParameterErrors.install(new CommandLine(new DemoCommand()))
                        .execute(
                                "--logs",
                                logs.toString(),
                                "--work-dir",
                                tmp.resolve("work").toString(),
                                "--cluster",
                                CLUSTER,
                                "--cloudwatch-endpoint",
                                cw.endpoint().toString(),
                                "--region",
                                "us-west-2",
                                "--multiline-rules",
                                rules.toString(),
                                "--parallelism",
                                "1");
            } finally {
                System.setOut(stdout);
            }
            summary = out.toString(StandardCharsets.UTF_8);
            assertThat(exit).as(summary).isZero();

            Map<String, List<JsonNode>> groups = readAll(cw);
            List<JsonNode> application = groups.get("/aws/containerinsights/" + CLUSTER + "/application");
            List<JsonNode> deadLetters = groups.get("/aws/containerinsights/" + CLUSTER + "/kubelogs-dead-letter");

            // too old and too new: dead-lettered with their reason, every line once
            Map<String, List<String>> byReason = deadLetters.stream()
                    .collect(Collectors.groupingBy(
                            d -> d.path("reason").asText(),
                            TreeMap::new,
                            Collectors.mapping(
                                    d -> parse(d.path("message").asText())
                                            .path("log")
                                            .asText(),
                                    Collectors.toList())));
            assertThat(byReason.get("TOO_OLD")).containsExactlyInAnyOrderElementsOf(lines("old "));
            assertThat(byReason.get("TOO_NEW")).containsExactlyInAnyOrderElementsOf(lines("future "));
            assertThat(summary)
                    .contains("DEAD LETTERS")
                    .containsPattern("10\\s+TOO_NEW")
                    .containsPattern("10\\s+TOO_OLD");

            List<String> logsDelivered =
                    application.stream().map(e -> e.path("log").asText()).collect(Collectors.toList());
            assertThat(logsDelivered).containsAll(current);
            // the torn line breaks the trace: it is shipped raw between the two halves, nothing joined across it
            assertThat(logsDelivered)
                    .contains(
                            "java.lang.IllegalStateException: boom\n",
                            "{\"log\":\"torn",
                            "\tat com.example.A.b(A.java:1)\n");
            // invalid UTF-8 and a NUL: parsed, the line's own time kept; 0xFF announces a 6-byte sequence that would
            // run past the end of the log, so Fluent Bit skips it (flb_utils_write_str_escaped)
            JsonNode bytes = application.stream()
                    .filter(e -> e.path("log").asText().startsWith("bad "))
                    .findFirst()
                    .orElseThrow();
            assertThat(bytes.path("log").asText()).isEqualTo("bad \u0000 byte \n");
            assertThat(bytes.path("time").asText()).isEqualTo(DOCKER_TIME.format(now.minusSeconds(40)));
            // the slow rule gave up on its line: the lines arrive unjoined, none lost
            assertThat(logsDelivered)
                    .contains(
                            "java.lang.IllegalStateException: slow\n",
                            "a".repeat(60) + "!\n",
                            "\tat a.B.c(B.java:1)\n");
            // the 3 MB line: valid events, each within CloudWatch's limit, whose parts join back to every byte
            String joined = application.stream()
                    .filter(e -> e.path("kubernetes").path("pod_name").asText().equals("big"))
                    .map(e -> e.path("log").asText())
                    .collect(Collectors.joining());
            // compared by size and content without printing megabytes on a failure
            assertThat(joined.length())
                    .as("characters of the 3 MB line delivered")
                    .isEqualTo(big.length());
            assertThat(joined.equals(big.toString()))
                    .as("the parts join back to the line")
                    .isTrue();
            // nothing from outside the tree
            for (List<JsonNode> events : groups.values()) {
                assertThat(events.toString())
                        .doesNotContain("root:x:0:0")
                        .doesNotContain("secret-token-that-must-not-leave");
            }
        }
    }

    private static List<String> lines(String prefix) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            l.add(prefix + i + "\n");
        }
        return l;
    }

    private static String docker(String log, Instant time) throws Exception {
        return JSON.writeValueAsString(Map.of("log", log, "stream", "stdout", "time", DOCKER_TIME.format(time))) + "\n";
    }

    private static String name(String pod, String namespace, String container, char id) {
        return pod + "_" + namespace + "_" + container + "-"
                + String.valueOf(id).repeat(64) + ".log";
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    /** Every event of every group, as JSON, in stream order. */
    private static Map<String, List<JsonNode>> readAll(LocalCloudWatchLogs cw) {
        Map<String, List<JsonNode>> groups = new TreeMap<>();
        try (CloudWatchLogsClient client = CloudWatchLogsClient.builder()
                .endpointOverride(cw.endpoint())
                .region(Region.US_WEST_2)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build()) {
            for (LogGroup g : client.describeLogGroupsPaginator(r -> r.logGroupNamePrefix("/aws/containerinsights/"))
                    .logGroups()) {
                List<JsonNode> events = new ArrayList<>();
                for (LogStream s : client.describeLogStreamsPaginator(r -> r.logGroupName(g.logGroupName()))
                        .logStreams()) {
                    for (String m : PipelineIntegrationTest.readAll(client, g.logGroupName(), s.logStreamName())) {
                        events.add(parse(m));
                    }
                }
                groups.put(g.logGroupName(), events);
            }
        }
        return groups;
    }
}
