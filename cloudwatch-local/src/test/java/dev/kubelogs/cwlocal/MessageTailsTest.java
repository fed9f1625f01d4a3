package dev.kubelogs.cwlocal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessageTailsTest {
    private static final String KUBERNETES =
            ",\"kubernetes\":{\"pod_name\":\"web-7d9f\",\"namespace_name\":\"default\",\"container_name\":\"web\"}}";

    private static String event(String log, String time) {
        return "{\"log\":\"" + log + "\",\"stream\":\"stdout\",\"time\":\"" + time + "\"" + KUBERNETES;
    }

    @Test
    void consecutiveEventsShareTheEndFromAJsonKeyOn() {
        MessageTails tails = new MessageTails();
        assertThat(tails.tailOf(event("one", "2026-12-04T13:00:00.123456789Z"))).isNull();
        String tail = tails.tailOf(event("two", "2026-12-04T13:00:00.123456799Z"));
        assertThat(tail).isEqualTo(KUBERNETES);
        // the same object, so the events' tails are one string
        assertThat(tails.tailOf(event("three", "2026-12-04T13:00:01.5Z"))).isSameAs(tail);
    }

    @Test
    void anEventOfAnotherShapeHasNoTailAndAStableOneIsFoundAgain() {
        MessageTails tails = new MessageTails();
        tails.tailOf(event("one", "t1"));
        String first = tails.tailOf(event("two", "t2"));
        assertThat(tails.tailOf("plain text, not JSON at all")).isNull();
        String other = KUBERNETES.replace("web", "api");
        assertThat(tails.tailOf("{\"log\":\"a\"" + other)).isNull();
        assertThat(tails.tailOf("{\"log\":\"b\"" + other)).isEqualTo(other).isNotSameAs(first);
    }

    @Test
    void shortCommonEndsAreNotShared() {
        MessageTails tails = new MessageTails();
        tails.tailOf("{\"a\":1,\"b\":\"x\"}");
        assertThat(tails.tailOf("{\"a\":2,\"b\":\"x\"}")).isNull();
    }

    @Test
    void anEventStoredWithATailReadsBackWhole() {
        MessageTails tails = new MessageTails();
        String a = event("one", "t1");
        String b = event("two", "t2");
        Event ea = Event.of(1, 1, 1, a, a.length(), tails);
        Event eb = Event.of(2, 2, 2, b, b.length(), tails);
        assertThat(ea.message()).isEqualTo(a);
        assertThat(eb.message()).isEqualTo(b);
        assertThat(eb.tail()).isEqualTo(KUBERNETES);
        assertThat(eb.head()).isEqualTo(b.substring(0, b.length() - KUBERNETES.length()));
    }
}
