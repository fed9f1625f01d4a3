package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.job.sink.cloudwatch.wire.MessageSlices;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventArenaTest {
    private static final byte[] PREFIX = {7, 7, 7};

    private static List<SinkEvent> events() {
        return List.of(
                new SinkEvent(Long.MAX_VALUE, "a", "f1", 100),
                new SinkEvent(0, "b€", "f2", Long.MIN_VALUE),
                new SinkEvent(7, "", "f1", 50),
                new SinkEvent(7, "c\"\n", null, -1),
                new SinkEvent(-3, "😀".repeat(100), "f2", Long.MAX_VALUE));
    }

    @Test
    void holdsTheEventsAfterThePrefixAndDecodesThem() throws IOException {
        EventArena arena = EventArena.encode(PREFIX, events());
        assertThat(Arrays.copyOf(arena.bytes(), 3)).isEqualTo(PREFIX);
        assertThat(arena.size()).isEqualTo(5);
        assertThat(arena.events()).isEqualTo(events());
        assertThat(arena.messageBytes()).isEqualTo(1 + 4 + 0 + 3 + 400);
        assertThat(arena.minTimestamp()).isEqualTo(Long.MAX_VALUE);
        assertThat(arena.maxTimestamp()).isEqualTo(-3);
        EventArena read = EventArena.read(arena.bytes(), PREFIX.length);
        assertThat(read.bytes()).isSameAs(arena.bytes());
        assertThat(read.events()).isEqualTo(events());
        assertThat(read.messageBytes()).isEqualTo(arena.messageBytes());
        assertThat(read.minTimestamp()).isEqualTo(Long.MAX_VALUE);
        assertThat(read.maxTimestamp()).isEqualTo(-3);
    }

    @Test
    void theMessagesLieWholeInTheArrayAndTheSlicesNameThem() {
        EventArena arena = EventArena.encode(PREFIX, events());
        MessageSlices slices = arena.slices();
        assertThat(slices.bytes()).isSameAs(arena.bytes());
        for (int i = 0; i < events().size(); i++) {
            SinkEvent e = events().get(i);
            assertThat(slices.timestamps()[i]).isEqualTo(e.timestamp());
            assertThat(new String(slices.bytes(), slices.starts()[i], slices.lengths()[i], StandardCharsets.UTF_8))
                    .isEqualTo(e.message());
        }
        // one after the other, the last one ending the array
        assertThat(slices.starts()[4] + slices.lengths()[4]).isEqualTo(arena.bytes().length);
    }

    @Test
    void noEventsIsRefused() {
        assertThatThrownBy(() -> EventArena.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void truncatedLongerOrCorruptBytesAreRefused() {
        byte[] ok = EventArena.encode(PREFIX, events()).bytes();
        for (int cut = 1; cut < ok.length - PREFIX.length; cut++) {
            byte[] shorter = Arrays.copyOf(ok, ok.length - cut);
            assertThatThrownBy(() -> EventArena.read(shorter, PREFIX.length)).isInstanceOf(IOException.class);
        }
        byte[] longer = Arrays.copyOf(ok, ok.length + 1);
        assertThatThrownBy(() -> EventArena.read(longer, PREFIX.length)).isInstanceOf(IOException.class);
        byte[] notUtf8 = ok.clone();
        notUtf8[notUtf8.length - 1] = (byte) 0xFF; // inside the last emoji
        assertThatThrownBy(() -> EventArena.read(notUtf8, PREFIX.length))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("UTF-8");
    }

    @Test
    void aCharacterSplitBetweenTwoMessagesIsRefused() {
        // "é" is two bytes; moved one byte into the previous message both halves are ill-formed
        byte[] ok = EventArena.of(List.of(new SinkEvent(1, "a", null, 0), new SinkEvent(2, "é", null, 0)))
                .bytes();
        // layout: count, sources, (ts, own length, tail length, source, offset) x 2, "a", "é"
        byte[] split = ok.clone();
        split[3] = 2; // the first message's length
        split[8] = 1; // the second's
        assertThat(split.length).isEqualTo(12 + 3);
        assertThatThrownBy(() -> EventArena.read(split, 0))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("UTF-8");
    }

    @Test
    void aBatchOfTenThousandEventsRoundTrips() throws IOException {
        List<SinkEvent> events = new ArrayList<>();
        for (int i = 0; i < BatchCutter.MAX_EVENTS_PER_BATCH; i++) {
            events.add(new SinkEvent(1_760_000_000_000L + i / 7, "line " + i, "src-" + (i % 3), i * 80L));
        }
        EventArena arena = EventArena.of(events);
        assertThat(EventArena.read(arena.bytes(), 0).events()).isEqualTo(events);
    }

    private static final String KUBERNETES =
            ",\"kubernetes\":{\"pod_name\":\"orders-7d9c6b7f9d-x2m4q\",\"namespace_name\""
                    + ":\"shop\",\"host\":\"ip-192-168-12-34.us-west-2.compute.internal\",\"labels\":\"a\\\"b\"}}";

    @Test
    void eventsSharingTheirEndStoreItOnceAndTheSlicesNameItAsTheirTail() throws IOException {
        List<SinkEvent> events = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            events.add(new SinkEvent(i, "{\"log\":\"line " + i + "\"" + KUBERNETES, "f", i));
        }
        events.add(new SinkEvent(100, "short and different", "f", 100)); // a new anchor
        events.add(new SinkEvent(101, "😀" + KUBERNETES, "f", 101)); // shares too little with the anchor before
        events.add(new SinkEvent(102, "ä😀" + KUBERNETES, "f", 102)); // its tail starts at the emoji, not inside it
        EventArena arena = EventArena.of(events);
        long messageBytes = events.stream().mapToLong(SinkEvent::utf8Length).sum();
        assertThat(arena.bytes().length).isLessThan((int) messageBytes / 3);
        assertThat(arena.messageBytes()).isEqualTo(messageBytes);
        assertThat(arena.events()).isEqualTo(events);
        assertThat(EventArena.read(arena.bytes(), 0).events()).isEqualTo(events);
        MessageSlices slices = arena.slices();
        assertThat(slices.tailLengths()[0]).isZero();
        assertThat(slices.tailLengths()[1]).isGreaterThanOrEqualTo(KUBERNETES.length());
        assertThat(slices.tailStarts()[99]).isEqualTo(slices.tailStarts()[1]);
        assertThat(slices.tailLengths()[100]).isZero();
        assertThat(slices.tailLengths()[101]).isZero();
        assertThat(slices.tailLengths()[102]).isEqualTo(KUBERNETES.length() + 4);
        for (int i = 0; i < events.size(); i++) {
            String message = new String(slices.bytes(), slices.starts()[i], slices.lengths()[i], StandardCharsets.UTF_8)
                    + new String(
                            slices.bytes(), slices.tailStarts()[i], slices.tailLengths()[i], StandardCharsets.UTF_8);
            assertThat(message).isEqualTo(events.get(i).message());
            assertThat(slices.messageLength(i)).isEqualTo(events.get(i).utf8Length());
        }
    }

    @Test
    void aTailLongerThanItsAnchorOrWithoutOneIsRefused() {
        String tail = "x".repeat(100);
        byte[] ok = EventArena.of(List.of(new SinkEvent(1, "a" + tail, null, 0), new SinkEvent(2, "b" + tail, null, 0)))
                .bytes();
        // layout: count, sources, (ts, own length, tail length, source, offset) x 2 (one byte each here), messages
        int tailAt = 9; // the second event's tail length
        assertThat(ok[tailAt] & 0xFF).isEqualTo(100);
        byte[] longer = ok.clone();
        longer[tailAt] = (byte) 102;
        assertThatThrownBy(() -> EventArena.read(longer, 0))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("anchor");
        byte[] firstWithTail = ok.clone();
        firstWithTail[4] = 1; // the first event's tail length
        assertThatThrownBy(() -> EventArena.read(firstWithTail, 0)).isInstanceOf(IOException.class);
    }
}
