package dev.kubelogs.job.sink.cloudwatch;

import dev.kubelogs.job.sink.cloudwatch.wire.MessageSlices;
import dev.kubelogs.job.sink.cloudwatch.wire.Utf8;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A batch's events in one array, after a prefix of the caller's (the committable's header): the layout of
 * {@link CloudWatchLogsCommittableSerializer} version 4, so the array is the checkpoint's bytes as they are. Why: a
 * TaskManager holds about 10 s of its events between the writer and their commit; held as a {@link SinkEvent} and an
 * array each, plus the serialized copy of the checkpoint, they were ~1.6 KB and two objects per ~1 KB message, and
 * every young collection promoted them and every full one marked them one by one.
 *
 * <pre>
 * varint eventCount, varint sourceCount, sourceCount x string sourceId   (distinct non-null sourceIds, first use first)
 * eventCount x (zigzag timestamp delta to the previous event (the first: to 0), varint own length,
 *               varint tail length, varint source (0 = null, i = the i-th sourceId),
 *               zigzag sourceOffset delta to the previous event of the same source (the first: to 0))
 * the messages' own UTF-8 bytes, one after the other, to the end of the array
 * </pre>
 *
 * A message is its own bytes followed by the last {@code tail length} bytes of the <i>anchor</i>: the latest event
 * before it with no tail, whose own bytes are its whole message (the first event is one). A committable holds one
 * log stream, i.e. one container, and Container Insights ends every event with the container's
 * {@code "kubernetes":{...}} block (~500 bytes): it is stored once per run of events that share it, not per event, and
 * the put escapes it once per run too. An event becomes an anchor when it shares fewer than
 * {@value #MIN_TAIL} bytes with the one before; a tail starts at a character.
 *
 * <p>The put writes its body from slices of the array ({@link #slices()}); the rare paths (read-back, dead letters,
 * the SDK's marshaller) decode {@link #events()}. Immutable; the array is shared, never modified.
 */
final class EventArena {
    /** Shorter common ends are not worth a reference: the event is stored whole and anchors the ones after it. */
    static final int MIN_TAIL = 64;

    private final byte[] bytes;
    private final int metadataAt;
    private final int messagesAt;
    private final int size;
    /** Index 0 is null: events without a source. */
    private final String[] sources;

    private final long messageBytes;
    private final long minTimestamp;
    private final long maxTimestamp;

    /** An arena whose bytes {@link EventArenaBuilder} has written; keeps the array. */
    EventArena(
            byte[] bytes,
            int metadataAt,
            int messagesAt,
            int size,
            String[] sources,
            long messageBytes,
            long minTimestamp,
            long maxTimestamp) {
        this.bytes = bytes;
        this.metadataAt = metadataAt;
        this.messagesAt = messagesAt;
        this.size = size;
        this.sources = sources;
        this.messageBytes = messageBytes;
        this.minTimestamp = minTimestamp;
        this.maxTimestamp = maxTimestamp;
    }

    /** {@code events} (at least one) without a prefix. */
    static EventArena of(List<SinkEvent> events) {
        return encode(new byte[0], events);
    }

    /** {@code prefix} followed by {@code events} (at least one), in one array sized exactly. */
    static EventArena encode(byte[] prefix, List<SinkEvent> events) {
        return encode(prefix, events, new ChunkPool());
    }

    /**
     * As {@link #encode(byte[], List)}, the builder's arrays taken from {@code pool} and given back to it: the
     * writer's out-of-order cut passes its own, so a cut allocates only the arenas' arrays.
     */
    static EventArena encode(byte[] prefix, List<SinkEvent> events, ChunkPool pool) {
        EventArenaBuilder builder = new EventArenaBuilder(pool);
        for (SinkEvent e : events) {
            builder.append(e.timestamp(), e.utf8(), e.sourceId(), e.sourceOffset());
        }
        return builder.finish(prefix);
    }

    /**
     * The arena {@link EventArenaBuilder} wrote into {@code bytes} after {@code from} bytes of prefix (checkpoint bytes: checked,
     * every message must be well-formed UTF-8, since the put copies them to the wire as they are). Keeps the array.
     */
    static EventArena read(byte[] bytes, int from) throws IOException {
        CommittableInput in = new CommittableInput(bytes, from);
        int n = in.varintInt();
        if (n <= 0 || n > BatchCutter.MAX_EVENTS_PER_BATCH) {
            throw new IOException("corrupt committable: " + n + " events");
        }
        String[] sources = in.sourceTable(n);
        int sourceCount = sources.length - 1;
        int metadataAt = in.position();
        long ts = 0;
        long minTs = 0;
        long messages = 0;
        long ownBytes = 0;
        int[] lengths = new int[n];
        int[] tails = new int[n];
        for (int i = 0; i < n; i++) {
            ts += in.zigzag();
            if (i == 0) {
                minTs = ts;
            }
            lengths[i] = in.varintInt();
            tails[i] = in.varintInt();
            ownBytes += lengths[i];
            messages += lengths[i] + (long) tails[i];
            if (messages > BatchCutter.MAX_BATCH_BYTES) {
                throw new IOException(
                        "corrupt committable: more than " + BatchCutter.MAX_BATCH_BYTES + " bytes of messages");
            }
            if (in.varintInt() > sourceCount) {
                throw new IOException("corrupt committable: a source beyond the " + sourceCount + " named");
            }
            in.zigzag();
        }
        int messagesAt = in.position();
        if (in.remaining() != ownBytes) {
            throw new IOException(
                    "corrupt committable: " + in.remaining() + " bytes for " + ownBytes + " bytes of messages");
        }
        int at = messagesAt;
        int anchorEnd = -1;
        int anchorLength = 0;
        for (int i = 0; i < n; i++) {
            if (tails[i] == 0) {
                anchorEnd = at + lengths[i];
                anchorLength = lengths[i];
            } else if (anchorEnd < 0 || tails[i] > anchorLength) {
                throw new IOException(
                        "corrupt committable: a tail of " + tails[i] + " bytes of a " + anchorLength + "-byte anchor");
            }
            // both parts well-formed: the message is (a tail starts at a character)
            if (!Utf8.isWellFormed(bytes, at, at + lengths[i])
                    || (tails[i] > 0 && !Utf8.isWellFormed(bytes, anchorEnd - tails[i], anchorEnd))) {
                throw new IOException("corrupt committable: a message is not well-formed UTF-8");
            }
            at += lengths[i];
        }
        return new EventArena(bytes, metadataAt, messagesAt, n, sources, messages, minTs, ts);
    }

    /** The whole array: the prefix, then the events. Shared, do not modify. */
    byte[] bytes() {
        return bytes;
    }

    int size() {
        return size;
    }

    /** UTF-8 bytes of the messages. */
    long messageBytes() {
        return messageBytes;
    }

    long minTimestamp() {
        return minTimestamp;
    }

    long maxTimestamp() {
        return maxTimestamp;
    }

    /** Where each event's message lies in {@link #bytes()}, and its timestamp: what a put body is written from. */
    MessageSlices slices() {
        long[] timestamps = new long[size];
        int[] starts = new int[size];
        int[] lengths = new int[size];
        int[] tailStarts = new int[size];
        int[] tailLengths = new int[size];
        Cursor c = new Cursor();
        for (int i = 0; i < size; i++) {
            c.next();
            timestamps[i] = c.timestamp;
            starts[i] = c.messageAt;
            lengths[i] = c.length;
            tailStarts[i] = c.anchorEnd - c.tail;
            tailLengths[i] = c.tail;
        }
        return new MessageSlices(bytes, timestamps, starts, lengths, tailStarts, tailLengths);
    }

    /** The events, decoded (each message copied out): for the rare paths. */
    List<SinkEvent> events() {
        List<SinkEvent> events = new ArrayList<>(size);
        Cursor c = new Cursor();
        for (int i = 0; i < size; i++) {
            c.next();
            byte[] message = Arrays.copyOfRange(bytes, c.messageAt, c.messageAt + c.length + c.tail);
            System.arraycopy(bytes, c.anchorEnd - c.tail, message, c.length, c.tail);
            events.add(new SinkEvent(c.timestamp, message, sources[c.source], c.sourceOffset));
        }
        return events;
    }

    /** Walks the events' metadata, which {@link #read} has checked or {@link EventArenaBuilder} wrote. */
    private final class Cursor {
        private final long[] lastOffset = new long[sources.length];
        private int metadata = metadataAt;
        private int messageAt = messagesAt;
        private long timestamp;
        private int length;
        private int tail;
        private int anchorEnd;
        private int source;
        private long sourceOffset;

        void next() {
            messageAt += length;
            timestamp += zigzag(varint());
            length = (int) varint();
            tail = (int) varint();
            if (tail == 0) {
                anchorEnd = messageAt + length;
            }
            source = (int) varint();
            lastOffset[source] += zigzag(varint());
            sourceOffset = lastOffset[source];
        }

        private long varint() {
            long v = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = bytes[metadata++];
                v |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return v;
                }
            }
        }

        private long zigzag(long v) {
            return (v >>> 1) ^ -(v & 1);
        }
    }
}
