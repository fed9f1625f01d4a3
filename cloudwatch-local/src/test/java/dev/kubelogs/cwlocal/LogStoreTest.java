package dev.kubelogs.cwlocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store alone: CloudWatch's time rules on a put, groups and streams, and what a data directory keeps. */
class LogStoreTest {
    static final long NOW = Instant.parse("2026-03-10T12:00:00Z").toEpochMilli();
    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;

    final SettableClock clock = new SettableClock(Instant.ofEpochMilli(NOW));

    @TempDir
    Path dir;

    private LogStore store(Path dataDir) throws Exception {
        LogStore s = new LogStore(clock, dataDir, new ObjectMapper());
        if (s.groupInfos().isEmpty()) {
            s.createLogGroup("g", null);
            s.createLogStream("g", "s");
        }
        return s;
    }

    private static LogStore.PutResult put(LogStore s, long... timestamps) {
        String[] messages = new String[timestamps.length];
        int[] bytes = new int[timestamps.length];
        for (int i = 0; i < timestamps.length; i++) {
            messages[i] = "m" + i;
            bytes[i] = messages[i].length();
        }
        return s.put("g", "s", timestamps, messages, bytes);
    }

    @Test
    void tooOldExpiredAndTooNewEventsAreLeftOutAndReported() throws Exception {
        try (LogStore s = store(null)) {
            s.retention("g", 7);
            LogStore.PutResult r = put(s, NOW - 15 * DAY, NOW - 8 * DAY, NOW - HOUR, NOW, NOW + 3 * HOUR);
            assertThat(r).isEqualTo(new LogStore.PutResult(4, 1, 2, 2));
            assertThat(s.events("g", "s"))
                    .containsExactly(new StoredEvent(NOW - HOUR, NOW, "m2"), new StoredEvent(NOW, NOW, "m3"));
            // nothing rejected: no indexes
            assertThat(put(s, NOW)).isEqualTo(new LogStore.PutResult(null, null, null, 1));
        }
    }

    @Test
    void anAcceptedBatchSpanningMoreThanADayIsRefusedWhole() throws Exception {
        try (LogStore s = store(null)) {
            assertThatThrownBy(() -> put(s, NOW - 25 * HOUR, NOW))
                    .isInstanceOf(ApiException.class)
                    .hasMessageContaining("cannot span more than 24 hours");
            assertThat(s.events("g", "s")).isEmpty();
            // the span counts accepted events only: a too-old first one does not count
            assertThat(put(s, NOW - 15 * DAY, NOW - 23 * HOUR, NOW).stored()).isEqualTo(2);
        }
    }

    @Test
    void groupsAndStreamsExistOnceAndAreFoundOrNot() throws Exception {
        try (LogStore s = store(null)) {
            assertThatThrownBy(() -> s.createLogGroup("g", null))
                    .isInstanceOf(ApiException.class)
                    .satisfies(e -> assertThat(((ApiException) e).type()).isEqualTo("ResourceAlreadyExistsException"));
            assertThatThrownBy(() -> s.createLogStream("g", "s"))
                    .isInstanceOf(ApiException.class)
                    .satisfies(e -> assertThat(((ApiException) e).type()).isEqualTo("ResourceAlreadyExistsException"));
            assertThatThrownBy(() -> s.events("nope", "s")).hasMessageContaining("log group does not exist");
            assertThatThrownBy(() -> s.events("g", "nope")).hasMessageContaining("log stream does not exist");
            s.createLogStream("g", "t");
            assertThat(s.streamInfos("g")).hasSize(2);
            s.deleteLogStream("g", "t");
            assertThat(s.streamInfos("g")).hasSize(1);
            s.deleteLogGroup("g");
            assertThat(s.groupInfos()).isEmpty();
            assertThatThrownBy(() -> s.deleteLogGroup("g")).hasMessageContaining("log group does not exist");
        }
    }

    @Test
    void aDataDirectoryKeepsEventsAndTheSequenceAcrossARestart() throws Exception {
        try (LogStore s = store(dir)) {
            put(s, NOW - 2, NOW - 1);
        }
        try (LogStore s = store(dir)) {
            assertThat(s.events("g", "s")).extracting(StoredEvent::message).containsExactly("m0", "m1");
            put(s, NOW);
            assertThat(s.events("g", "s")).extracting(StoredEvent::message).containsExactly("m0", "m1", "m0");
        }
    }

    @Test
    void theListenerGetsTheEventsAPutStoredAndNotTheRejectedOnes() throws Exception {
        List<String> calls = new ArrayList<>();
        try (LogStore s = new LogStore(
                clock, null, new ObjectMapper(), (g, st, events) -> calls.add(g + "/" + st + " " + events), 0)) {
            s.createLogGroup("g", null);
            s.createLogStream("g", "s");
            put(s, NOW - 15 * DAY, NOW - HOUR, NOW, NOW + 3 * HOUR);
            put(s, NOW + 3 * HOUR);

            assertThat(calls)
                    .containsExactly(
                            "g/s " + List.of(new StoredEvent(NOW - HOUR, NOW, "m1"), new StoredEvent(NOW, NOW, "m2")));
        }
    }

    @Test
    void forgottenEventsStayCountedAndAReadThatMayReachThemFails() throws Exception {
        long keep = Duration.ofMinutes(2).toMillis();
        try (LogStore s = new LogStore(clock, null, new ObjectMapper(), null, keep)) {
            s.createLogGroup("g", null);
            s.createLogStream("g", "s");
            put(s, NOW - 10, NOW - 5);
            clock.advance(Duration.ofMinutes(1));
            put(s, NOW + 1_000);
            clock.advance(Duration.ofMinutes(1).plusMillis(1));
            // the first put was ingested 2 min + 1 ms ago: forgotten at this put
            put(s, NOW + 2_000);

            LogStreamInfo info = s.streamInfos("g").get(0);
            assertThat(info.eventCount()).isEqualTo(4);
            assertThat(info.storedBytes()).isEqualTo(8);
            assertThat(info.firstEventTimestamp()).isEqualTo(NOW - 10);
            assertThat(info.lastEventTimestamp()).isEqualTo(NOW + 2_000);
            LogStream stream = LogStore.stream(s.group("g"), "s");
            assertThat(stream.<Integer>read(EventPosition.before(NOW), List::size))
                    .isEqualTo(2);
            assertThat(stream.<Integer>read(EventPosition.before(NOW - 4), List::size))
                    .isEqualTo(2);
            assertThatThrownBy(() -> stream.read(EventPosition.before(NOW - 5), List::size))
                    .isInstanceOf(ApiException.class)
                    .hasMessageContaining("up to " + (NOW - 5) + "/")
                    .hasMessageContaining("keepEventsFor");
            assertThatThrownBy(() -> stream.read(EventPosition.HEAD, List::size))
                    .isInstanceOf(ApiException.class);
            assertThatThrownBy(() -> s.events("g", "s"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no longer kept");
        }
    }

    @Test
    void eventsAreForgottenOnlyInMemory() {
        assertThatThrownBy(() -> new LogStore(clock, dir, new ObjectMapper(), null, 1_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("in-memory");
    }
}
