package dev.kubelogs.job.sink.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubelogs.job.sink.cloudwatch.wire.MessageSlices;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The builder is the one writer of {@link EventArena}'s layout, so its oracles are independent of it: the committed
 * version-4 golden file, bytes written out by hand from the layout, and the checking reader ({@link EventArena#read}).
 */
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
    void writesTheCommittedVersion4GoldenFileForItsFixture() throws IOException {
        CloudWatchLogsCommittable fixture = CloudWatchLogsCommittableSerializerTest.fixtureV1();
        byte[] header = CloudWatchLogsCommittableSerializer.header(
                fixture.logGroup(),
                fixture.logStream(),
                fixture.writerEpoch(),
                fixture.subtaskIndex(),
                fixture.sequence(),
                fixture.createdAtMillis());
        byte[] golden;
        try (InputStream in = getClass().getResourceAsStream("/sink/committable-v4.bin")) {
            assertThat(in).as("golden file").isNotNull();
            golden = in.readAllBytes();
        }
        assertThat(built(header, fixture.events(), new ChunkPool()).bytes()).isEqualTo(golden);
    }

    @Test
    void writesTailsSourcesAndDeltasAsTheLayoutSays() {
        String x100 = "x".repeat(100);
        String t63 = "t".repeat(63);
        List<SinkEvent> events = List.of(
                new SinkEvent(10, "é" + x100, "f", 5), // the first: an anchor
                new SinkEvent(9, "b" + x100, null, -1), // takes the 100 x from it
                new SinkEvent(12, "©" + x100, "f", 300), // shares é's last byte too, but a tail starts at a character
                new SinkEvent(12, "s" + t63, "g", 0), // shares nothing: a new anchor
                new SinkEvent(13, "t" + t63, "g", 1), // shares 63 bytes, fewer than MIN_TAIL: a new anchor
                new SinkEvent(13, "w" + "t" + t63, "g", 2)); // shares 64: a tail
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(PREFIX);
        expected.writeBytes(new byte[] {6, 2, 1, 'f', 1, 'g'}); // 6 events, 2 sources
        // per event: zigzag timestamp delta, own length, tail length, source, zigzag offset delta within the source
        expected.writeBytes(new byte[] {20, 102, 0, 1, 10});
        expected.writeBytes(new byte[] {1, 1, 100, 0, 1});
        expected.writeBytes(new byte[] {6, 2, 100, 1, (byte) 0xCE, 0x04}); // 300 - 5 = 295, zigzag 590
        expected.writeBytes(new byte[] {0, 64, 0, 2, 0});
        expected.writeBytes(new byte[] {2, 64, 0, 2, 2});
        expected.writeBytes(new byte[] {0, 1, 64, 2, 2});
        for (String own : new String[] {"é" + x100, "b", "©", "s" + t63, "t" + t63, "w"}) {
            expected.writeBytes(own.getBytes(StandardCharsets.UTF_8));
        }
        EventArena arena = built(PREFIX, events, new ChunkPool());
        assertThat(arena.bytes()).isEqualTo(expected.toByteArray());
        assertThat(arena.size()).isEqualTo(6);
        assertThat(arena.messageBytes())
                .isEqualTo(events.stream().mapToLong(SinkEvent::utf8Length).sum());
        assertThat(arena.minTimestamp()).isEqualTo(10);
        assertThat(arena.maxTimestamp()).isEqualTo(13);
    }

    @Test
    void whatItWritesTheReaderAcceptsAndDecodesToTheSameEvents() throws IOException {
        Random random = new Random(16);
        ChunkPool pool = new ChunkPool();
        for (int n : new int[] {1, 2, 3, 50, 1_000, 5_000}) { // the largest about a batch's 1 MB
            List<SinkEvent> events = mixed(random, n);
            EventArena built = built(PREFIX, events, pool);
            assertThat(Arrays.copyOf(built.bytes(), PREFIX.length)).isEqualTo(PREFIX);
            EventArena read = EventArena.read(built.bytes(), PREFIX.length);
            for (EventArena arena : List.of(built, read)) {
                List<SinkEvent> decoded = arena.events();
                assertThat(decoded).hasSize(n);
                for (int i = 0; i < n; i++) {
                    SinkEvent e = events.get(i);
                    SinkEvent d = decoded.get(i);
                    assertThat(d.timestamp()).as("timestamp %d", i).isEqualTo(e.timestamp());
                    assertThat(d.utf8()).as("message %d", i).isEqualTo(e.utf8());
                    assertThat(d.sourceId()).as("source %d", i).isEqualTo(e.sourceId());
                    assertThat(d.sourceOffset()).as("offset %d", i).isEqualTo(e.sourceOffset());
                }
                assertThat(arena.size()).isEqualTo(n);
                assertThat(arena.messageBytes())
                        .isEqualTo(
                                events.stream().mapToLong(SinkEvent::utf8Length).sum());
                assertThat(arena.minTimestamp()).isEqualTo(events.get(0).timestamp());
                assertThat(arena.maxTimestamp()).isEqualTo(events.get(n - 1).timestamp());
            }
            MessageSlices slices = built.slices();
            for (int i = 0; i < n; i++) {
                int tail = slices.tailLengths()[i];
                assertThat(tail)
                        .as("tail %d", i)
                        .satisfiesAnyOf(
                                t -> assertThat(t).isZero(),
                                t -> assertThat(t).isGreaterThanOrEqualTo(EventArena.MIN_TAIL));
                assertThat(tail == 0 || (slices.bytes()[slices.tailStarts()[i]] & 0xC0) != 0x80)
                        .as("tail %d starts at a character", i)
                        .isTrue();
            }
            if (n >= 1_000) { // most events end with the kubernetes block after one that does: stored once a run
                long messageBytes = built.messageBytes();
                assertThat(built.bytes().length)
                        .as("of %d message bytes", messageBytes)
                        .isLessThan((int) (messageBytes / 3));
            }
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
                .isEqualTo(built(PREFIX, events, new ChunkPool()).bytes());
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
