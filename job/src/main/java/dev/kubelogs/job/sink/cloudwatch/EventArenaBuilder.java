package dev.kubelogs.job.sink.cloudwatch;

import dev.kubelogs.job.sink.cloudwatch.wire.Words;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes an {@link EventArena} an event at a time, as the writer receives them: the sources, the events' metadata and
 * their own message bytes each into {@link ByteChunks}, in {@link EventArena}'s layout (the only code that writes it:
 * {@link EventArena#encode} appends a list's events here), so that the barrier only puts the committable's header in
 * front and copies them once into the arena's array. Why: held as a {@link SinkEvent} and an array each until the
 * barrier, a TaskManager's ~5 s of events survived young collections object by object; here they are a few arrays per
 * stream, and the end a run of events shares (the kubernetes block) is kept once from the start.
 *
 * <p>A message is kept by reference while it is the anchor (the array must not change); the builder is spent by
 * {@link #finish}, which gives its arrays back to the pool.
 */
final class EventArenaBuilder {
    private final ByteChunks sourceTable;
    private final ByteChunks metadata;
    private final ByteChunks messages;
    /** Index 0 is null: events without a source. */
    private final List<String> sources = new ArrayList<>();

    private final Map<String, Integer> sourceIndex = new HashMap<>();
    private long[] lastOffset = new long[4];
    private String lastSource;
    private int lastSourceNumber;

    private byte[] anchor;
    /** The common end found for the last event: a cheap first guess for the next one. */
    private int lastCommon;

    private int size;
    private long messageBytes;
    private long firstTimestamp;
    private long lastTimestamp;
    private boolean spent;

    EventArenaBuilder(ChunkPool pool) {
        sourceTable = new ByteChunks(pool);
        metadata = new ByteChunks(pool);
        messages = new ByteChunks(pool);
        sources.add(null);
    }

    /** Appends an event; {@code utf8} is its whole message, well-formed UTF-8, not modified afterwards. */
    void append(long timestamp, byte[] utf8, String sourceId, long sourceOffset) {
        if (spent) {
            throw new IllegalStateException("this arena is finished");
        }
        int tail = 0;
        if (anchor != null) {
            lastCommon = Words.commonSuffixLength(anchor, utf8, lastCommon);
            tail = shareableTail(utf8, lastCommon);
        }
        if (tail == 0) {
            anchor = utf8;
        }
        int s = source(sourceId);
        int own = utf8.length - tail;
        metadata.zigzag(timestamp - lastTimestamp);
        metadata.varint(own);
        metadata.varint(tail);
        metadata.varint(s);
        metadata.zigzag(sourceOffset - lastOffset[s]);
        lastOffset[s] = sourceOffset;
        messages.write(utf8, 0, own);
        if (size == 0) {
            firstTimestamp = timestamp;
        }
        lastTimestamp = timestamp;
        messageBytes += utf8.length;
        size++;
    }

    /**
     * Of the last {@code common} bytes {@code message} shares with its anchor, those it takes from it: from a character
     * on, or none when fewer than {@link EventArena#MIN_TAIL}.
     */
    private static int shareableTail(byte[] message, int common) {
        int tail = common;
        while (tail > 0 && (message[message.length - tail] & 0xC0) == 0x80) {
            tail--;
        }
        return tail < EventArena.MIN_TAIL ? 0 : tail;
    }

    /** The source's number in this arena's table, added at its first use. */
    private int source(String id) {
        if (id == null) {
            return 0;
        }
        if (id == lastSource) {
            return lastSourceNumber; // the writer shares one instance per run of a source
        }
        Integer known = sourceIndex.get(id);
        if (known == null) {
            byte[] utf8 = id.getBytes(StandardCharsets.UTF_8);
            sourceTable.varint(utf8.length);
            sourceTable.write(utf8, 0, utf8.length);
            sources.add(id);
            known = sources.size() - 1;
            sourceIndex.put(id, known);
            if (known >= lastOffset.length) {
                lastOffset = Arrays.copyOf(lastOffset, lastOffset.length * 2);
            }
        }
        lastSource = id;
        lastSourceNumber = known;
        return known;
    }

    int size() {
        return size;
    }

    long firstTimestamp() {
        return firstTimestamp;
    }

    /** {@code prefix} followed by the events (at least one) in one array sized exactly; the builder is spent. */
    EventArena finish(byte[] prefix) {
        if (spent) {
            throw new IllegalStateException("this arena is finished");
        }
        if (size == 0) {
            throw new IllegalArgumentException("an arena needs at least one event");
        }
        int sourceCount = sources.size() - 1;
        long total = prefix.length
                + (long) CommittableOutput.varintSize(size)
                + CommittableOutput.varintSize(sourceCount)
                + sourceTable.size()
                + metadata.size()
                + messages.size();
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("a batch of " + size + " events is too large for one array: " + total);
        }
        CommittableOutput out = new CommittableOutput((int) total);
        out.raw(prefix, prefix.length);
        out.varint(size);
        out.varint(sourceCount);
        out.raw(sourceTable);
        int metadataAt = out.position();
        out.raw(metadata);
        int messagesAt = out.position();
        out.raw(messages);
        sourceTable.release();
        metadata.release();
        messages.release();
        anchor = null;
        spent = true;
        return new EventArena(
                out.toByteArray(),
                metadataAt,
                messagesAt,
                size,
                sources.toArray(new String[0]),
                messageBytes,
                firstTimestamp,
                lastTimestamp);
    }
}
