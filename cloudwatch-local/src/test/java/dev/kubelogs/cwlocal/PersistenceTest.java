package dev.kubelogs.cwlocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;

/** A data directory keeps groups, retention, streams and events across restarts, append-only. */
class PersistenceTest {
    static final long NOW_MS = EndpointTestBase.NOW_MS;
    static final String LONG_STREAM = "s/".repeat(200) + "ünï";

    @TempDir
    Path dir;

    final SettableClock clock = new SettableClock(EndpointTestBase.NOW);
    LocalCloudWatchLogs cw;
    CloudWatchLogsClient logs;

    private void start() {
        cw = LocalCloudWatchLogs.builder().dataDir(dir).clock(clock).start();
        logs = EndpointTestBase.client(cw.endpoint(), c -> {});
    }

    private void stop() {
        logs.close();
        cw.close();
        logs = null;
        cw = null;
    }

    @AfterEach
    void cleanup() {
        if (cw != null) {
            stop();
        }
    }

    private List<String> read(String group, String stream) {
        List<String> out = new ArrayList<>();
        logs.getLogEventsPaginator(
                        b -> b.logGroupName(group).logStreamName(stream).startFromHead(true))
                .events()
                .forEach(e -> out.add(e.message()));
        return out;
    }

    @Test
    void everythingSurvivesARestart() {
        start();
        logs.createLogGroup(b -> b.logGroupName("/aws/containerinsights/demo/application"));
        logs.createLogGroup(b -> b.logGroupName("."));
        logs.createLogGroup(b -> b.logGroupName("doomed"));
        logs.putRetentionPolicy(b -> b.logGroupName(".").retentionInDays(7));
        logs.createLogStream(
                b -> b.logGroupName("/aws/containerinsights/demo/application").logStreamName("pod/ns/c-1"));
        logs.createLogStream(
                b -> b.logGroupName("/aws/containerinsights/demo/application").logStreamName(LONG_STREAM));
        logs.createLogStream(b -> b.logGroupName(".").logStreamName(".."));
        logs.createLogStream(b -> b.logGroupName(".").logStreamName("gone"));
        String app = "/aws/containerinsights/demo/application";
        logs.putLogEvents(b -> b.logGroupName(app)
                .logStreamName("pod/ns/c-1")
                .logEvents(
                        EndpointTestBase.ev(NOW_MS + 10, "b"),
                        EndpointTestBase.ev(NOW_MS + 20, "line\nwith \"quotes\" ✓")));
        logs.putLogEvents(b -> b.logGroupName(app)
                .logStreamName("pod/ns/c-1")
                .logEvents(EndpointTestBase.ev(NOW_MS, "a"), EndpointTestBase.ev(NOW_MS + 10, "b2")));
        logs.putLogEvents(
                b -> b.logGroupName(app).logStreamName(LONG_STREAM).logEvents(EndpointTestBase.ev(NOW_MS, "long")));
        logs.putLogEvents(b -> b.logGroupName(".").logStreamName("..").logEvents(EndpointTestBase.ev(NOW_MS, "dots")));
        logs.deleteLogStream(b -> b.logGroupName(".").logStreamName("gone"));
        logs.deleteLogGroup(b -> b.logGroupName("doomed"));
        List<String> before = read(app, "pod/ns/c-1");
        assertThat(before).containsExactly("a", "b", "b2", "line\nwith \"quotes\" ✓");
        stop();

        clock.advance(java.time.Duration.ofMinutes(1));
        start();
        assertThat(logs.describeLogGroups().logGroups())
                .extracting(LogGroup::logGroupName)
                .containsExactly(".", app);
        assertThat(logs.describeLogGroups().logGroups().get(0).retentionInDays())
                .isEqualTo(7);
        assertThat(logs.describeLogStreams(b -> b.logGroupName(app)).logStreams())
                .extracting(LogStream::logStreamName)
                .containsExactly("pod/ns/c-1", LONG_STREAM);
        LogStream s =
                logs.describeLogStreams(b -> b.logGroupName(app)).logStreams().get(0);
        assertThat(s.creationTime()).isEqualTo(NOW_MS);
        assertThat(s.firstEventTimestamp()).isEqualTo(NOW_MS);
        assertThat(s.lastEventTimestamp()).isEqualTo(NOW_MS + 20);
        assertThat(s.lastIngestionTime()).isEqualTo(NOW_MS);
        assertThat(read(app, "pod/ns/c-1")).isEqualTo(before);
        assertThat(read(app, LONG_STREAM)).containsExactly("long");
        assertThat(read(".", "..")).containsExactly("dots");
        assertThat(cw.logStreams(".")).extracting(LogStreamInfo::name).containsExactly("..");

        // appends after a restart keep ingestion order for equal timestamps
        logs.putLogEvents(
                b -> b.logGroupName(app).logStreamName("pod/ns/c-1").logEvents(EndpointTestBase.ev(NOW_MS + 10, "b3")));
        assertThat(read(app, "pod/ns/c-1")).containsExactly("a", "b", "b2", "b3", "line\nwith \"quotes\" ✓");
        stop();
        start();
        assertThat(read(app, "pod/ns/c-1")).containsExactly("a", "b", "b2", "b3", "line\nwith \"quotes\" ✓");
        assertThat(cw.events(app, "pod/ns/c-1").get(3)).isEqualTo(new StoredEvent(NOW_MS + 10, NOW_MS + 60_000, "b3"));
        // recreating a deleted group starts it empty
        logs.createLogGroup(b -> b.logGroupName("doomed"));
        assertThat(cw.logStreams("doomed")).isEmpty();
    }

    @Test
    void eventsAreJsonLinesAppendedOnePerEvent() throws IOException {
        start();
        logs.createLogGroup(b -> b.logGroupName("g"));
        logs.createLogStream(b -> b.logGroupName("g").logStreamName("s"));
        logs.putLogEvents(b -> b.logGroupName("g")
                .logStreamName("s")
                .logEvents(EndpointTestBase.ev(NOW_MS + 5, "second"), EndpointTestBase.ev(NOW_MS + 6, "third")));
        logs.putLogEvents(b -> b.logGroupName("g").logStreamName("s").logEvents(EndpointTestBase.ev(NOW_MS, "first")));
        Path file = dir.resolve("g").resolve("s.jsonl");
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3); // in ingestion order, not re-sorted on disk
        ObjectMapper m = new ObjectMapper();
        JsonNode first = m.readTree(lines.get(0));
        assertThat(first.get("timestamp").asLong()).isEqualTo(NOW_MS + 5);
        assertThat(first.get("ingestionTime").asLong()).isEqualTo(NOW_MS);
        assertThat(first.get("message").asText()).isEqualTo("second");
        assertThat(m.readTree(Files.readString(dir.resolve("g").resolve("group.json")))
                        .get("logGroupName")
                        .asText())
                .isEqualTo("g");
        assertThat(m.readTree(Files.readString(dir.resolve("g").resolve("s.stream.json")))
                        .get("logStreamName")
                        .asText())
                .isEqualTo("s");
    }

    @Test
    void aTornLastLineIsCutOffAtLoad() throws IOException {
        start();
        logs.createLogGroup(b -> b.logGroupName("g"));
        logs.createLogStream(b -> b.logGroupName("g").logStreamName("s"));
        logs.putLogEvents(b -> b.logGroupName("g")
                .logStreamName("s")
                .logEvents(EndpointTestBase.ev(NOW_MS, "kept1"), EndpointTestBase.ev(NOW_MS + 1, "kept2")));
        stop();
        Path file = dir.resolve("g").resolve("s.jsonl");
        long goodSize = Files.size(file);
        Files.writeString(file, "{\"timestamp\":1,\"ingestionTi", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        start();
        assertThat(read("g", "s")).containsExactly("kept1", "kept2");
        assertThat(Files.size(file)).isEqualTo(goodSize);
        logs.putLogEvents(
                b -> b.logGroupName("g").logStreamName("s").logEvents(EndpointTestBase.ev(NOW_MS + 2, "after")));
        stop();
        start();
        assertThat(read("g", "s")).containsExactly("kept1", "kept2", "after");
    }

    @Test
    void corruptionInTheMiddleRefusesToStart() throws IOException {
        start();
        logs.createLogGroup(b -> b.logGroupName("g"));
        logs.createLogStream(b -> b.logGroupName("g").logStreamName("s"));
        logs.putLogEvents(b -> b.logGroupName("g").logStreamName("s").logEvents(EndpointTestBase.ev(NOW_MS, "x")));
        stop();
        Path file = dir.resolve("g").resolve("s.jsonl");
        String good = Files.readString(file);
        Files.writeString(file, "garbage\n" + good);
        assertThatThrownBy(this::start)
                .hasMessageContaining("cannot start")
                .hasRootCauseMessage(
                        file + ":2: events follow an unreadable line; refusing to guess (fix or remove the file)");
    }

    @Test
    void oneDataDirectoryServesOneEndpointAtATime() {
        start();
        assertThatThrownBy(() -> LocalCloudWatchLogs.start(0, dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("in use");
        stop();
        start(); // released on close
        assertThat(cw.dataDir()).hasValue(dir.toAbsolutePath().normalize());
    }

    @Test
    void inMemoryEndpointsWriteNothing() throws IOException {
        try (LocalCloudWatchLogs mem = LocalCloudWatchLogs.start(0, null)) {
            assertThat(mem.dataDir()).isEmpty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }
}
