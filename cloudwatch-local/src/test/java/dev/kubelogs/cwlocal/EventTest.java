package dev.kubelogs.cwlocal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventTest {
    private static final String SHARED =
            ",\"kubernetes\":{\"pod_name\":\"web-1\",\"namespace_name\":\"shop\",\"host\":\"ip-10-0-0-1\"}}";

    @Test
    void aPageCountsTheMessagesUtf8BytesPlus26() {
        Event e = new Event(1L, 2L, 3L, "héllo", null, Utf8Size.length("héllo"));

        assertThat(e.pageBytes()).isEqualTo(6 + 26);
        assertThat(Event.OVERHEAD).isEqualTo(26);
        assertThat(Event.MAX_PAGE_BYTES).isEqualTo(1_048_576);
    }

    @Test
    void aMessageEndingWithTheStreamsSharedTailIsStoredWithoutItAndReadWhole() {
        MessageTails tails = new MessageTails();
        String first = "{\"log\":\"line 1\"" + SHARED;
        String second = "{\"log\":\"line 2\"" + SHARED;

        Event a = Event.of(1L, 1L, 1L, first, Utf8Size.length(first), tails);
        Event b = Event.of(2L, 1L, 2L, second, Utf8Size.length(second), tails);

        assertThat(a.tail()).isNull();
        assertThat(a.message()).isEqualTo(first);
        assertThat(b.tail()).isEqualTo(SHARED);
        assertThat(b.head()).isEqualTo("{\"log\":\"line 2\"");
        assertThat(b.message()).isEqualTo(second);
        assertThat(b.utf8Bytes()).as("the size is the whole message's").isEqualTo(second.length());
        assertThat(b.toStored()).isEqualTo(new StoredEvent(2L, 1L, second));
    }

    @Test
    void keysCompareByTimestampThenSeq() {
        Event e = new Event(100L, 0L, 5L, "m", null, 1);

        assertThat(e.compareKey(100L, 5L)).isZero();
        assertThat(e.compareKey(100L, 6L)).isNegative();
        assertThat(e.compareKey(100L, 4L)).isPositive();
        assertThat(e.compareKey(99L, Long.MAX_VALUE)).isPositive();
        assertThat(e.compareKey(101L, 0L)).isNegative();
    }
}
