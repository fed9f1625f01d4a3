package dev.kubelogs.cwlocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.RejectedLogEventsInfo;

/** PutLogEvents: every request check and the rejectedLogEventsInfo index semantics, as the SDK sees them. */
class PutLogEventsTest extends EndpointTestBase {
    static final int LIMIT = 1_048_576;

    @BeforeEach
    void target() {
        createGroupAndStream("g", "s");
    }

    @Test
    void storesEventsAndAnswersWithASequenceToken() {
        PutLogEventsResponse r =
                put("g", "s", ev(NOW_MS - 2, "one"), ev(NOW_MS - 1, "two ünïcødé ✓"), ev(NOW_MS, "three"));
        assertThat(r.nextSequenceToken()).matches("\\d{56}");
        assertThat(r.rejectedLogEventsInfo()).isNull();
        assertThat(cw.events("g", "s"))
                .containsExactly(
                        new StoredEvent(NOW_MS - 2, NOW_MS, "one"),
                        new StoredEvent(NOW_MS - 1, NOW_MS, "two ünïcødé ✓"),
                        new StoredEvent(NOW_MS, NOW_MS, "three"));
        assertThat(cw.logStreams("g").get(0).storedBytes())
                .isEqualTo(3 + "two ünïcødé ✓".getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 5);
        // a (now ignored) sequence token is accepted whatever its value
        logs.putLogEvents(b ->
                b.logGroupName("g").logStreamName("s").sequenceToken("bogus").logEvents(ev(NOW_MS, "4")));
        assertThat(cw.events("g", "s")).hasSize(4);
    }

    @Test
    void eventCountMustBeOneToTenThousand() {
        assertThatThrownBy(() -> put("g", "s", List.of()))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("'logEvents'")
                .hasMessageContaining("greater than or equal to 1");
        assertThat(put("g", "s", events(10_000, NOW_MS - 20_000, "e")).rejectedLogEventsInfo())
                .isNull();
        assertThatThrownBy(() -> put("g", "s", events(10_001, NOW_MS - 20_000, "f")))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("less than or equal to 10000");
        assertThat(cw.events("g", "s")).hasSize(10_000);
    }

    @Test
    void batchSizeCountsUtf8BytesPlus26PerEvent() {
        // two events totalling exactly 1,048,576 bytes are accepted ...
        int first = 500_000;
        int second = LIMIT - 2 * 26 - first;
        put("g", "s", ev(NOW_MS, "a".repeat(first)), ev(NOW_MS, "b".repeat(second)));
        // ... one byte more is not, and nothing of it is stored
        assertThatThrownBy(() -> put("g", "s", ev(NOW_MS, "a".repeat(first)), ev(NOW_MS, "b".repeat(second + 1))))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("Upload too large: 1048577 bytes exceeds limit of 1048576");
        // multi-byte characters count as their UTF-8 bytes: 'é' is 2 bytes
        int pairs = (LIMIT - 2 * 26 - first) / 2;
        assertThatThrownBy(() -> put("g", "s", ev(NOW_MS, "a".repeat(first)), ev(NOW_MS, "é".repeat(pairs + 1))))
                .isInstanceOf(InvalidParameterException.class);
        put("g", "s", ev(NOW_MS, "a".repeat(first)), ev(NOW_MS, "é".repeat(pairs)));
        // many small events: 10,000 x (78 + 26) = 1,040,000 fits
        put("g", "s", events(10_000, NOW_MS - 10_000, "x".repeat(73) + "-"));
        assertThat(cw.events("g", "s")).hasSize(4 + 10_000);
    }

    @Test
    void aSingleEventMustFitInOneMegabyte() {
        String max = "m".repeat(LIMIT - 26);
        put("g", "s", ev(NOW_MS, max));
        assertThat(cw.events("g", "s").get(0).message()).hasSize(LIMIT - 26);
        assertThatThrownBy(() -> put("g", "s", ev(NOW_MS, max + "m")))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("Log event too large: 1048577 bytes exceeds limit of 1048576");
        assertThatThrownBy(() -> put("g", "s", ev(NOW_MS, "€".repeat((LIMIT - 26) / 3 + 1))))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("Log event too large");
        assertThat(cw.events("g", "s")).hasSize(1);
    }

    @Test
    void emptyMessagesAndMissingTimestampsAreInvalid() {
        assertThatThrownBy(() -> put("g", "s", ev(NOW_MS, "ok"), ev(NOW_MS, "")))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("'logEvents.2.member.message'")
                .hasMessageContaining("length greater than or equal to 1");
        assertThatThrownBy(() -> put(
                        "g",
                        "s",
                        InputLogEvent.builder().message("no timestamp").build()))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("'logEvents.1.member.timestamp'");
        assertThatThrownBy(() -> put("g", "s", ev(-1, "negative"))).isInstanceOf(InvalidParameterException.class);
        assertThat(cw.events("g", "s")).isEmpty();
    }

    @Test
    void eventsMustBeInChronologicalOrder() {
        assertThatThrownBy(() -> put("g", "s", ev(NOW_MS, "b"), ev(NOW_MS - 1, "a")))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageStartingWith("Log events in a single PutLogEvents request must be in chronological order.");
        put("g", "s", ev(NOW_MS, "same"), ev(NOW_MS, "time"));
        assertThat(storedMessages("g", "s")).containsExactly("same", "time");
    }

    @Test
    void tooOldAndTooNewEventsAreRejectedByIndexAndTheRestStored() {
        PutLogEventsResponse r = put(
                "g",
                "s",
                ev(NOW_MS - 20 * DAY, "old0"),
                ev(NOW_MS - 15 * DAY, "old1"),
                ev(NOW_MS - HOUR, "ok2"),
                ev(NOW_MS, "ok3"),
                ev(NOW_MS + HOUR, "ok4"),
                ev(NOW_MS + 3 * HOUR, "new5"),
                ev(NOW_MS + 5 * HOUR, "new6"));
        RejectedLogEventsInfo rej = r.rejectedLogEventsInfo();
        assertThat(rej.tooOldLogEventEndIndex()).isEqualTo(2); // exclusive end: events [0, 2) too old
        assertThat(rej.tooNewLogEventStartIndex()).isEqualTo(5); // inclusive start: events [5, 7) too new
        assertThat(rej.expiredLogEventEndIndex()).isNull();
        assertThat(storedMessages("g", "s")).containsExactly("ok2", "ok3", "ok4");
    }

    @Test
    void boundariesOfTheTimeRules() {
        PutLogEventsResponse old =
                put("g", "s", ev(NOW_MS - 14 * DAY - 1, "too old"), ev(NOW_MS - 14 * DAY, "oldest ok"));
        assertThat(old.rejectedLogEventsInfo().tooOldLogEventEndIndex()).isEqualTo(1);
        assertThat(old.rejectedLogEventsInfo().tooNewLogEventStartIndex()).isNull();
        PutLogEventsResponse fresh =
                put("g", "s", ev(NOW_MS + 2 * HOUR, "newest ok"), ev(NOW_MS + 2 * HOUR + 1, "too new"));
        assertThat(fresh.rejectedLogEventsInfo().tooNewLogEventStartIndex()).isEqualTo(1);
        assertThat(fresh.rejectedLogEventsInfo().tooOldLogEventEndIndex()).isNull();
        assertThat(storedMessages("g", "s")).containsExactly("oldest ok", "newest ok");

        // all rejected: a 200 with the indexes, nothing stored
        PutLogEventsResponse allNew = put("g", "s", ev(NOW_MS + 3 * HOUR, "a"), ev(NOW_MS + 4 * HOUR, "b"));
        assertThat(allNew.rejectedLogEventsInfo().tooNewLogEventStartIndex()).isZero();
        PutLogEventsResponse allOld = put("g", "s", ev(NOW_MS - 30 * DAY, "a"), ev(NOW_MS - 29 * DAY, "b"));
        assertThat(allOld.rejectedLogEventsInfo().tooOldLogEventEndIndex()).isEqualTo(2);
        assertThat(cw.events("g", "s")).hasSize(2);
    }

    @Test
    void theClockDecidesWhatIsTooOld() {
        put("g", "s", ev(NOW_MS - DAY, "yesterday"));
        clock.advance(Duration.ofDays(14));
        PutLogEventsResponse r = put("g", "s", ev(NOW_MS - DAY, "yesterday again"), ev(NOW_MS + 14 * DAY, "now"));
        assertThat(r.rejectedLogEventsInfo().tooOldLogEventEndIndex()).isEqualTo(1);
        assertThat(cw.events("g", "s"))
                .extracting(StoredEvent::ingestionTime)
                .containsExactly(NOW_MS, NOW_MS + 14 * DAY);
    }

    @Test
    void eventsOlderThanTheRetentionAreExpired() {
        logs.putRetentionPolicy(b -> b.logGroupName("g").retentionInDays(1));
        PutLogEventsResponse r = put(
                "g",
                "s",
                ev(NOW_MS - 20 * DAY, "too old"),
                ev(NOW_MS - 3 * DAY, "expired"),
                ev(NOW_MS - DAY - 1, "expired too"),
                ev(NOW_MS - DAY, "kept"),
                ev(NOW_MS, "kept too"));
        assertThat(r.rejectedLogEventsInfo().tooOldLogEventEndIndex()).isEqualTo(1);
        assertThat(r.rejectedLogEventsInfo().expiredLogEventEndIndex()).isEqualTo(3); // exclusive end
        assertThat(r.rejectedLogEventsInfo().tooNewLogEventStartIndex()).isNull();
        assertThat(storedMessages("g", "s")).containsExactly("kept", "kept too");

        PutLogEventsResponse onlyExpired = put("g", "s", ev(NOW_MS - 2 * DAY, "x"), ev(NOW_MS, "y"));
        assertThat(onlyExpired.rejectedLogEventsInfo().expiredLogEventEndIndex())
                .isEqualTo(1);
        assertThat(onlyExpired.rejectedLogEventsInfo().tooOldLogEventEndIndex()).isNull();

        // a retention longer than 14 days never expires what the 14-day rule accepts
        logs.putRetentionPolicy(b -> b.logGroupName("g").retentionInDays(30));
        PutLogEventsResponse longRetention = put("g", "s", ev(NOW_MS - 20 * DAY, "old"), ev(NOW_MS - 13 * DAY, "ok"));
        assertThat(longRetention.rejectedLogEventsInfo().tooOldLogEventEndIndex())
                .isEqualTo(1);
        assertThat(longRetention.rejectedLogEventsInfo().expiredLogEventEndIndex())
                .isNull();
    }

    @Test
    void acceptedEventsMustSpanAtMostTwentyFourHours() {
        assertThatThrownBy(() -> put("g", "s", ev(NOW_MS - DAY - 1, "a"), ev(NOW_MS, "b")))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("cannot span more than 24 hours");
        assertThat(cw.events("g", "s")).isEmpty();
        put("g", "s", ev(NOW_MS - DAY, "exactly"), ev(NOW_MS, "24 h"));
        // the span is measured over the events that are not rejected
        PutLogEventsResponse r = put(
                "g",
                "s",
                ev(NOW_MS - 20 * DAY, "too old"),
                ev(NOW_MS - HOUR, "a"),
                ev(NOW_MS + HOUR, "b"),
                ev(NOW_MS + 30 * HOUR, "too new"));
        assertThat(r.rejectedLogEventsInfo().tooOldLogEventEndIndex()).isEqualTo(1);
        assertThat(r.rejectedLogEventsInfo().tooNewLogEventStartIndex()).isEqualTo(3);
        assertThat(storedMessages("g", "s")).containsExactly("exactly", "a", "24 h", "b");
    }

    @Test
    void batchesArriveInAnyOrderAcrossCalls() {
        put("g", "s", ev(NOW_MS, "c"), ev(NOW_MS + 10, "e"));
        put("g", "s", ev(NOW_MS - 10, "a"), ev(NOW_MS, "d"), ev(NOW_MS + 20, "f"));
        put("g", "s", ev(NOW_MS - 5, "b"));
        List<String> expected = new ArrayList<>(List.of("a", "b", "c", "d", "e", "f"));
        assertThat(storedMessages("g", "s")).isEqualTo(expected);
    }
}
