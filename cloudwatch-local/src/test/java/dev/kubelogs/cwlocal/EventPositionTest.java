package dev.kubelogs.cwlocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Positions between a stream's events, as page tokens carry them. */
class EventPositionTest {
    private static final MessageTails NO_TAILS = new MessageTails();

    private static Event event(long timestamp, long seq) {
        return new Event(timestamp, 0, seq, "m", null, 1);
    }

    private static final List<Event> EVENTS =
            List.of(event(100, 1), event(100, 2), event(200, 3), event(300, 4), event(300, 7));

    @Test
    void positionsOrderByTimestampThenSeq() {
        assertThat(new EventPosition(100, 2)).isLessThan(new EventPosition(100, 3));
        assertThat(new EventPosition(100, Long.MAX_VALUE)).isLessThan(new EventPosition(101, 0));
        assertThat(EventPosition.HEAD).isLessThan(new EventPosition(0, 0));
        assertThat(EventPosition.TAIL).isGreaterThan(new EventPosition(Long.MAX_VALUE, Long.MAX_VALUE - 1));
        assertThat(EventPosition.max(new EventPosition(5, 1), new EventPosition(4, 9)))
                .isEqualTo(new EventPosition(5, 1));
        assertThat(EventPosition.max(new EventPosition(4, 9), new EventPosition(5, 1)))
                .isEqualTo(new EventPosition(5, 1));
    }

    @Test
    void theIndexCountsTheEventsBeforeAPosition() {
        assertThat(EventPosition.HEAD.index(EVENTS)).isZero();
        assertThat(EventPosition.after(EVENTS.get(0)).index(EVENTS)).isEqualTo(1);
        assertThat(EventPosition.after(EVENTS.get(1)).index(EVENTS)).isEqualTo(2);
        assertThat(new EventPosition(300, 5).index(EVENTS))
                .as("between two events of one timestamp")
                .isEqualTo(4);
        assertThat(EventPosition.TAIL.index(EVENTS)).isEqualTo(5);
        assertThat(EventPosition.HEAD.index(List.of())).isZero();
    }

    @Test
    void beforeATimestampLiesBeforeAllItsEventsAndAfterEarlierOnes() {
        assertThat(EventPosition.before(null)).isEqualTo(EventPosition.HEAD);
        assertThat(EventPosition.before(200L).index(EVENTS)).isEqualTo(2);
        assertThat(EventPosition.before(100L).index(EVENTS)).isZero();
        assertThat(EventPosition.before(301L).index(EVENTS)).isEqualTo(5);
        assertThat(EventPosition.before(0L).index(EVENTS)).isZero();
    }

    @Test
    void theCursorParsesBackToThePosition() {
        EventPosition p = EventPosition.after(Event.of(1_700_000_000_000L, 1L, 42L, "m", 1, NO_TAILS));

        assertThat(p.cursor()).isEqualTo("1700000000000/42");
        assertThat(EventPosition.parse(p.cursor())).isEqualTo(p);
        assertThat(EventPosition.parse(EventPosition.HEAD.cursor())).isEqualTo(EventPosition.HEAD);
        assertThat(EventPosition.parse(EventPosition.TAIL.cursor())).isEqualTo(EventPosition.TAIL);
    }

    @Test
    void anythingElseIsAnInvalidToken() {
        for (String bad : List.of("", "123", "/", "12/", "/3", "a/1", "1/b", "1/2/3", "1.5/2")) {
            assertThatThrownBy(() -> EventPosition.parse(bad))
                    .as("'%s'", bad)
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.type()).isEqualTo("InvalidParameterException");
                        assertThat(e.status()).isEqualTo(400);
                    })
                    .hasMessage("The specified nextToken is invalid.");
        }
    }
}
