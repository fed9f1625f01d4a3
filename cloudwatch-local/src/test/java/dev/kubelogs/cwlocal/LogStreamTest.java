package dev.kubelogs.cwlocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A stream's events in the service's order (timestamp, then ingestion), its summary, and forgetting old events. */
class LogStreamTest {
    private final LogStream stream = new LogStream(new LogGroup("g", 1L, "STANDARD", null, null), "s", 2L, null);
    private long seq;

    private Event event(long timestamp, long ingestionTime, String message) {
        return Event.of(timestamp, ingestionTime, ++seq, message, message.length(), stream.tails);
    }

    private List<String> messages() {
        List<String> out = new ArrayList<>();
        for (StoredEvent e : stream.storedEvents()) {
            out.add(e.message());
        }
        return out;
    }

    private int readable(EventPosition after) {
        return stream.read(after, List::size);
    }

    private List<String> readableMessages(EventPosition after) {
        return stream.read(after, events -> events.stream().map(Event::message).toList());
    }

    @Test
    void aNewStreamIsEmpty() {
        LogStreamInfo info = stream.info();
        assertThat(info).isEqualTo(new LogStreamInfo("g", "s", 2L, 0, 0, null, null, null));
        assertThat(stream.storedEvents()).isEmpty();
    }

    @Test
    void aLaterBatchIsAppended() {
        stream.insert(List.of(event(10, 100, "a"), event(20, 100, "b")));
        stream.insert(List.of(event(20, 101, "c"), event(30, 101, "d")));

        assertThat(messages()).containsExactly("a", "b", "c", "d");
    }

    @Test
    void anEarlierBatchIsMergedByTimestampThenIngestion() {
        stream.insert(List.of(event(10, 100, "a10"), event(30, 100, "a30"), event(50, 100, "a50")));
        stream.insert(
                List.of(event(5, 101, "b5"), event(30, 101, "b30"), event(40, 101, "b40"), event(60, 101, "b60")));

        // equal timestamps: the event stored first stays first
        assertThat(messages()).containsExactly("b5", "a10", "a30", "b30", "b40", "a50", "b60");
    }

    @Test
    void theSummaryCountsEveryEventAndItsTimestampRange() {
        stream.insert(List.of(event(10, 100, "abc"), event(30, 100, "de")));
        stream.insert(List.of(event(5, 120, "f")));
        stream.insert(List.of());

        assertThat(stream.info()).isEqualTo(new LogStreamInfo("g", "s", 2L, 3, 6, 5L, 30L, 120L));
    }

    @Test
    void eventsIngestedBeforeTheCutoffAreForgottenButStayCounted() {
        stream.insert(List.of(event(10, 100, "old1"), event(20, 100, "old2")));
        stream.insert(List.of(event(30, 200, "new")));

        stream.forgetIngestedBefore(150);

        assertThat(readable(EventPosition.before(25L))).isEqualTo(1);
        assertThat(stream.info().eventCount()).isEqualTo(3);
        assertThat(stream.info().firstEventTimestamp()).isEqualTo(10L);
    }

    @Test
    void aReadThatMayReachAForgottenEventFails() {
        stream.insert(List.of(event(10, 100, "old"), event(30, 200, "new")));
        stream.forgetIngestedBefore(150);

        assertThatThrownBy(() -> stream.read(EventPosition.HEAD, List::size))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.type()).isEqualTo("InvalidParameterException"))
                .hasMessageContaining("no longer kept")
                .hasMessageContaining("10/1");
        assertThatThrownBy(stream::storedEvents).isInstanceOf(IllegalStateException.class);
        assertThat(readable(EventPosition.before(11L))).isEqualTo(1);
    }

    @Test
    void anOldEventBehindANewerOneStaysUntilThatOneIsForgotten() {
        stream.insert(List.of(event(10, 100, "a"), event(20, 300, "b"), event(30, 100, "c")));

        stream.forgetIngestedBefore(200);

        // only "a" goes: "c" sorts after "b", which was ingested later
        assertThat(readableMessages(EventPosition.before(11L))).containsExactly("b", "c");
    }

    @Test
    void countAtOrBeforeFindsThePositionOfAKey() {
        stream.insert(List.of(event(10, 1, "a"), event(10, 1, "b"), event(20, 1, "c")));

        stream.read(EventPosition.HEAD, events -> {
            assertThat(LogStream.countAtOrBefore(events, 9, Long.MAX_VALUE)).isZero();
            assertThat(LogStream.countAtOrBefore(events, 10, 1)).isEqualTo(1);
            assertThat(LogStream.countAtOrBefore(events, 10, Long.MAX_VALUE)).isEqualTo(2);
            assertThat(LogStream.countBefore(events, 20)).isEqualTo(2);
            assertThat(LogStream.countBefore(events, Long.MIN_VALUE)).isZero();
            assertThat(LogStream.countBefore(events, 21)).isEqualTo(3);
            return null;
        });
    }
}
