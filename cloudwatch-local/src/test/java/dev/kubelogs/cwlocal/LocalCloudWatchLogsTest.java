package dev.kubelogs.cwlocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException;

/** The endpoint's lifecycle and in-process API: start, where it listens, close, the read API, the builder. */
class LocalCloudWatchLogsTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final SettableClock clock = new SettableClock(Instant.parse("2026-03-10T12:00:00Z"));
    private LocalCloudWatchLogs cw;

    @BeforeEach
    void start() {
        cw = LocalCloudWatchLogs.builder().clock(clock).start();
    }

    @AfterEach
    void stop() {
        cw.close();
    }

    private int health() throws Exception {
        HttpRequest r =
                HttpRequest.newBuilder(cw.endpoint().resolve("/_health")).build();
        return HTTP.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void listensOnAnEphemeralLoopbackPortUntilClosedOnce() throws Exception {
        assertThat(cw.port()).isPositive();
        assertThat(cw.endpoint().toString()).isEqualTo("http://127.0.0.1:" + cw.port());
        assertThat(health()).isEqualTo(200);
        assertThat(cw.clock()).isSameAs(clock);
        assertThat(cw.dataDir()).isEmpty();
        cw.close();
        assertThatThrownBy(this::health).isInstanceOf(IOException.class);
        cw.close(); // idempotent
    }

    @Test
    void theReadApiSeesWhatTheStoreHolds() {
        assertThat(cw.logGroups()).isEmpty();
        assertThat(cw.eventCount()).isZero();
        long now = clock.millis();
        try (CloudWatchLogsClient logs = EndpointTestBase.client(cw.endpoint(), c -> {})) {
            for (String group : new String[] {"b", "a"}) {
                logs.createLogGroup(r -> r.logGroupName(group));
                logs.createLogStream(r -> r.logGroupName(group).logStreamName("s"));
            }
            logs.putLogEvents(r -> r.logGroupName("a")
                    .logStreamName("s")
                    .logEvents(EndpointTestBase.ev(now, "x"), EndpointTestBase.ev(now, "y")));
            logs.putLogEvents(r -> r.logGroupName("b").logStreamName("s").logEvents(EndpointTestBase.ev(now, "z")));
        }
        assertThat(cw.logGroups()).extracting(LogGroupInfo::name).containsExactly("a", "b");
        assertThat(cw.logStreams("a")).extracting(LogStreamInfo::name).containsExactly("s");
        assertThat(cw.events("a", "s")).extracting(StoredEvent::message).containsExactly("x", "y");
        assertThat(cw.eventCount()).isEqualTo(3);
        assertThatThrownBy(() -> cw.logStreams("none"))
                .isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("(none)");
        assertThatThrownBy(() -> cw.events("a", "other"))
                .isInstanceOf(NoSuchElementException.class)
                .hasMessageContaining("(a / other)");
    }

    @Test
    void theBuilderRefusesSettingsItCannotUse() {
        LocalCloudWatchLogs.Builder b = LocalCloudWatchLogs.builder();
        assertThatThrownBy(() -> b.port(-1)).hasMessage("port out of range: -1");
        assertThatThrownBy(() -> b.port(65536)).hasMessage("port out of range: 65536");
        assertThatThrownBy(() -> b.threads(0)).hasMessage("threads must be >= 1");
        assertThatThrownBy(() -> b.maxBodyBytes(0)).hasMessage("maxBodyBytes must be >= 1");
        assertThatThrownBy(() -> b.clock(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> b.bindAddress(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> b.eventListener(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> b.keepEventsFor(Duration.ZERO)).hasMessage("keepEventsFor must be positive: PT0S");
        assertThatThrownBy(() -> LocalCloudWatchLogs.builder()
                        .dataDir(java.nio.file.Path.of("unused"))
                        .keepEventsFor(Duration.ofMinutes(1))
                        .start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("in-memory");
    }

    @Test
    void aListenerSeesEveryStoredEventWhileTheEndpointForgetsThemAndSaysSoWhenAskedForThem() {
        List<StoredEvent> heard = new CopyOnWriteArrayList<>();
        long now = clock.millis();
        try (LocalCloudWatchLogs forgetful = LocalCloudWatchLogs.builder()
                        .clock(clock)
                        .eventListener((group, stream, events) -> heard.addAll(events))
                        .keepEventsFor(Duration.ofMinutes(2))
                        .start();
                CloudWatchLogsClient logs = EndpointTestBase.client(forgetful.endpoint(), c -> {})) {
            logs.createLogGroup(r -> r.logGroupName("g"));
            logs.createLogStream(r -> r.logGroupName("g").logStreamName("s"));
            logs.putLogEvents(r -> r.logGroupName("g")
                    .logStreamName("s")
                    .logEvents(EndpointTestBase.ev(now, "x"), EndpointTestBase.ev(now, "y")));
            clock.advance(Duration.ofMinutes(3));
            logs.putLogEvents(r -> r.logGroupName("g").logStreamName("s").logEvents(EndpointTestBase.ev(now + 1, "z")));

            assertThat(heard)
                    .containsExactly(
                            new StoredEvent(now, now, "x"),
                            new StoredEvent(now, now, "y"),
                            new StoredEvent(now + 1, now + 180_000, "z"));
            assertThat(forgetful.eventCount()).isEqualTo(3);
            assertThat(logs.getLogEvents(r -> r.logGroupName("g")
                                    .logStreamName("s")
                                    .startTime(now + 1)
                                    .startFromHead(true))
                            .events())
                    .extracting(e -> e.message())
                    .containsExactly("z");
            assertThatThrownBy(() -> logs.getLogEvents(r -> r.logGroupName("g")
                            .logStreamName("s")
                            .startTime(now)
                            .startFromHead(true)))
                    .isInstanceOf(InvalidParameterException.class)
                    .hasMessageContaining("no longer kept");
            assertThatThrownBy(() -> logs.filterLogEvents(r -> r.logGroupName("g")))
                    .isInstanceOf(InvalidParameterException.class)
                    .hasMessageContaining("no longer kept");
            assertThatThrownBy(() -> forgetful.events("g", "s")).isInstanceOf(IllegalStateException.class);
        }
    }
}
