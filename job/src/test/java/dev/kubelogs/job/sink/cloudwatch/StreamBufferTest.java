package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StreamBufferTest {
    private static final String GROUP = "/aws/containerinsights/prod/application";
    private static final String STREAM = "orders-7d9c6b7f9d-x2m4q_shop_orders-0123";
    private static final long EPOCH = 41;
    private static final int SUBTASK = 3;
    private static final long NOW = 1_760_000_123_456L;

    /** What the writer cut before: the events as a list, BatchCutter.cut, a committable per batch. */
    private static List<CloudWatchLogsCommittable> cutAsAList(List<SinkEvent> events, long sequence) {
        List<CloudWatchLogsCommittable> out = new ArrayList<>();
        for (List<SinkEvent> batch : BatchCutter.cut(events)) {
            out.add(new CloudWatchLogsCommittable(GROUP, STREAM, EPOCH, SUBTASK, sequence++, NOW, batch));
        }
        return out;
    }

    private static List<CloudWatchLogsCommittable> cutBuffered(StreamBuffer buffer, List<SinkEvent> events, long seq) {
        long bytes = 0;
        for (SinkEvent e : events) {
            bytes += buffer.add(e.timestamp(), e.utf8(), e.sourceId(), e.sourceOffset());
        }
        assertThat(buffer.events()).isEqualTo(events.size());
        assertThat(buffer.bytes())
                .isEqualTo(bytes)
                .isEqualTo(events.stream().mapToLong(SinkEvent::batchBytes).sum());
        List<CloudWatchLogsCommittable> cut = buffer.cut(EPOCH, SUBTASK, seq, NOW);
        assertThat(buffer.events()).isZero();
        assertThat(buffer.bytes()).isZero();
        return cut;
    }

    private static void cutsAsAList(List<SinkEvent> events) {
        StreamBuffer buffer = new StreamBuffer(GROUP, STREAM, new ChunkPool());
        assertThat(cutBuffered(buffer, events, 7)).isEqualTo(cutAsAList(events, 7));
    }

    private static List<SinkEvent> inOrder(List<SinkEvent> events) {
        List<SinkEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingLong(SinkEvent::timestamp));
        return sorted;
    }

    @Test
    void eventsInOrderBecomeTheSameCommittablesByteForByte() {
        cutsAsAList(inOrder(EventArenaBuilderTest.mixed(new Random(1), 2_500)));
    }

    @Test
    void tenThousandEventsCloseAnArena() {
        List<SinkEvent> events = new ArrayList<>();
        for (int i = 0; i < 2 * BatchCutter.MAX_EVENTS_PER_BATCH + 1; i++) {
            events.add(new SinkEvent(1_000 + i / 100, "line " + i, "f", i));
        }
        StreamBuffer buffer = new StreamBuffer(GROUP, STREAM, new ChunkPool());
        List<CloudWatchLogsCommittable> cut = cutBuffered(buffer, events, 0);
        assertThat(cut).extracting(CloudWatchLogsCommittable::eventCount).containsExactly(10_000, 10_000, 1);
        assertThat(cut).extracting(CloudWatchLogsCommittable::sequence).containsExactly(0L, 1L, 2L);
        assertThat(cut).isEqualTo(cutAsAList(events, 0));
    }

    @Test
    void aBatchStopsAtExactly1048576Bytes() {
        // 4 events of 262,118 bytes + 26 = 1,048,576 exactly; the fifth starts another batch
        String big = "é".repeat(262_118 / 2);
        List<SinkEvent> events = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            events.add(new SinkEvent(5, big, null, i));
        }
        StreamBuffer buffer = new StreamBuffer(GROUP, STREAM, new ChunkPool());
        List<CloudWatchLogsCommittable> cut = cutBuffered(buffer, events, 0);
        assertThat(cut)
                .extracting(CloudWatchLogsCommittable::batchBytes)
                .containsExactly(1_048_576L, 1_048_576L, 262_144L);
        assertThat(cut).isEqualTo(cutAsAList(events, 0));
    }

    @Test
    void aBatchSpansLessThan24Hours() {
        long day = BatchCutter.MAX_SPAN_MILLIS;
        List<SinkEvent> events = List.of(
                new SinkEvent(0, "a", null, 0),
                new SinkEvent(day - 1, "b", null, 1),
                new SinkEvent(day, "c", null, 2),
                new SinkEvent(2 * day - 1, "d", null, 3),
                new SinkEvent(2 * day, "e", null, 4));
        StreamBuffer buffer = new StreamBuffer(GROUP, STREAM, new ChunkPool());
        List<CloudWatchLogsCommittable> cut = cutBuffered(buffer, events, 0);
        assertThat(cut).extracting(CloudWatchLogsCommittable::eventCount).containsExactly(2, 2, 1);
        assertThat(cut).isEqualTo(cutAsAList(events, 0));
    }

    @Test
    void anEventOlderThanTheOneBeforeGetsTheEventsSortedAndCutAsAList() {
        List<SinkEvent> events = EventArenaBuilderTest.mixed(new Random(2), 25_000); // times go back now and then
        List<CloudWatchLogsCommittable> cut = cutBuffered(new StreamBuffer(GROUP, STREAM, new ChunkPool()), events, 0);
        assertThat(cut).isEqualTo(cutAsAList(events, 0));
        List<SinkEvent> all = new ArrayList<>();
        for (CloudWatchLogsCommittable c : cut) {
            all.addAll(c.events());
        }
        assertThat(all).isEqualTo(inOrder(events)); // stable: equal timestamps keep their arrival order
        // one late event among thousands in order
        List<SinkEvent> oneLate = new ArrayList<>(inOrder(EventArenaBuilderTest.mixed(new Random(4), 12_000)));
        oneLate.add(new SinkEvent(oneLate.get(0).timestamp() - 1, "late", "f", 0));
        cutsAsAList(oneLate);
    }

    @Test
    void theBufferIsReusableAfterACutInOrderAgain() {
        StreamBuffer buffer = new StreamBuffer(GROUP, STREAM, new ChunkPool());
        List<SinkEvent> late = List.of(new SinkEvent(5, "b", null, 0), new SinkEvent(4, "a", null, 1));
        assertThat(cutBuffered(buffer, late, 0)).isEqualTo(cutAsAList(late, 0));
        List<SinkEvent> next = inOrder(EventArenaBuilderTest.mixed(new Random(5), 3_000));
        assertThat(cutBuffered(buffer, next, 1)).isEqualTo(cutAsAList(next, 1));
        assertThat(buffer.cut(EPOCH, SUBTASK, 9, NOW)).isEmpty();
    }

    @Test
    void anEventLargerThanABatchIsRefused() {
        StreamBuffer buffer = new StreamBuffer(GROUP, STREAM, new ChunkPool());
        assertThatThrownBy(() -> buffer.add(1, new byte[BatchCutter.MAX_EVENT_BYTES + 1], null, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(buffer.events()).isZero();
    }
}
