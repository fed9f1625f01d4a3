package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EventArenaBuilderTest {
    private static final byte[] PREFIX = {9, 8, 7, 6};
    private static final String KUBERNETES =
            ",\"kubernetes\":{\"pod_name\":\"orders-7d9c6b7f9d-x2m4q\",\"namespace_name\""
                    + ":\"shop\",\"host\":\"ip-192-168-12-34.us-west-2.compute.internal\",\"labels\":\"é😀\"}}";

    private static EventArena built(byte[] prefix, List<SinkEvent> events, ChunkPool pool) {
        EventArenaBuilder b = new EventArenaBuilder(pool);
        for (SinkEvent e : events) {
            b.append(e.timestamp(), e.utf8(), e.sourceId(), e.sourceOffset());
        }
        return b.finish(prefix);
    }

    /** Events with shared ends, new anchors, sources with and without ids, timestamps going back and forth. */
    static List<SinkEvent> mixed(Random random, int n) {
        String[] sources = {null, "node-a:/var/log/pods/a/0.log", "node-a:/var/log/pods/a/1.log", "ü-source"};
        String[] ends = {KUBERNETES, KUBERNETES.replace("shop", "cart"), "", "short"};
        List<SinkEvent> events = new ArrayList<>();
        long ts = 1_760_000_000_000L;
        for (int i = 0; i < n; i++) {
            ts += random.nextInt(2_000) - 200;
            String head = random.nextInt(10) == 0 ? "😀".repeat(random.nextInt(5)) : "line " + i;
            String message = head + ends[random.nextInt(20) == 0 ? random.nextInt(ends.length) : 0];
            if (message.isEmpty()) {
                message = "x";
            }
            events.add(new SinkEvent(
                    ts, message, sources[random.nextInt(sources.length)], random.nextLong() % 1_000_000_000L));
        }
        return events;
    }

    @Test
    void writesTheBytesEventArenaEncodeWritesForTheSameEvents() throws IOException {
        Random random = new Random(16);
        ChunkPool pool = new ChunkPool();
        for (int n : new int[] {1, 2, 3, 50, 1_000, 5_000}) { // the largest about a batch's 1 MB
            List<SinkEvent> events = mixed(random, n);
            EventArena encoded = EventArena.encode(PREFIX, events);
            EventArena built = built(PREFIX, events, pool);
            assertThat(built.bytes()).isEqualTo(encoded.bytes());
            assertThat(built.size()).isEqualTo(n);
            assertThat(built.messageBytes()).isEqualTo(encoded.messageBytes());
            assertThat(built.minTimestamp()).isEqualTo(encoded.minTimestamp());
            assertThat(built.maxTimestamp()).isEqualTo(encoded.maxTimestamp());
            assertThat(built.events()).isEqualTo(events);
            assertThat(EventArena.read(built.bytes(), PREFIX.length).events()).isEqualTo(events);
            assertThat(built.slices().lengths()).isEqualTo(encoded.slices().lengths());
            assertThat(built.slices().tailLengths()).isEqualTo(encoded.slices().tailLengths());
        }
        assertThat(pool.pooledBytes()).isPositive(); // the finished builders gave their chunks back
    }

    @Test
    void aPooledChunkWithOldBytesInItChangesNothing() {
        Random random = new Random(3);
        ChunkPool pool = new ChunkPool();
        built(PREFIX, mixed(random, 5_000), pool); // fills the pool with arrays full of other bytes
        List<SinkEvent> events = mixed(random, 3_000);
        assertThat(built(PREFIX, events, pool).bytes())
                .isEqualTo(EventArena.encode(PREFIX, events).bytes());
    }

    @Test
    void finishingNothingOrTwiceAndAppendingAfterwardsAreRefused() {
        EventArenaBuilder empty = new EventArenaBuilder(new ChunkPool());
        assertThatThrownBy(() -> empty.finish(PREFIX)).isInstanceOf(IllegalArgumentException.class);
        EventArenaBuilder b = new EventArenaBuilder(new ChunkPool());
        b.append(1, new byte[] {'a'}, null, 0);
        b.finish(PREFIX);
        assertThatThrownBy(() -> b.finish(PREFIX)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> b.append(2, new byte[] {'b'}, null, 0)).isInstanceOf(IllegalStateException.class);
    }
}
