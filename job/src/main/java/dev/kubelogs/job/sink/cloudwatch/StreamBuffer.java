package dev.kubelogs.job.sink.cloudwatch;

import java.util.ArrayList;
import java.util.List;

/**
 * One log stream's events since the last barrier, written into arenas ({@link EventArenaBuilder}) as they arrive and cut
 * into committables at the barrier: what the writer holds between barriers instead of an object per event.
 *
 * <p>Events mostly arrive in timestamp order; then {@link BatchCutter#cut}'s stable sort keeps them as they are and
 * its greedy cut can be made as they arrive: an arena is closed when the next event would break a PutLogEvents limit
 * (events, bytes, span), and each becomes a committable's arena as it is. An event older than the one before turns
 * that off for the rest of the interval: the barrier then decodes the arenas and cuts with {@link BatchCutter#cut},
 * so the batches are always exactly the ones it makes.
 */
final class StreamBuffer {
    private static final byte[] NO_PREFIX = new byte[0];

    private final String group;
    private final String stream;
    private final ChunkPool pool;
    private final List<EventArenaBuilder> closed = new ArrayList<>();
    private EventArenaBuilder open;
    /** Batch bytes in {@link #open}. */
    private long openBytes;

    private int events;
    private long bytes;
    private boolean inOrder = true;
    private long lastTimestamp;

    StreamBuffer(String group, String stream, ChunkPool pool) {
        this.group = group;
        this.stream = stream;
        this.pool = pool;
    }

    /**
     * Appends an event ({@code utf8}: its whole message, well-formed UTF-8 that fits a batch alone, not modified
     * afterwards); returns the bytes it counts towards a batch.
     */
    long add(long timestamp, byte[] utf8, String sourceId, long sourceOffset) {
        long b = utf8.length + (long) BatchCutter.EVENT_OVERHEAD_BYTES;
        if (b > BatchCutter.MAX_BATCH_BYTES) {
            throw new IllegalArgumentException("event of " + utf8.length + " bytes cannot fit any batch");
        }
        if (events > 0 && timestamp < lastTimestamp) {
            inOrder = false;
        }
        if (open != null
                && (open.size() >= BatchCutter.MAX_EVENTS_PER_BATCH
                        || openBytes + b > BatchCutter.MAX_BATCH_BYTES
                        || timestamp - open.firstTimestamp() >= BatchCutter.MAX_SPAN_MILLIS)) {
            closed.add(open);
            open = null;
        }
        if (open == null) {
            open = new EventArenaBuilder(pool);
            openBytes = 0;
        }
        open.append(timestamp, utf8, sourceId, sourceOffset);
        openBytes += b;
        events++;
        bytes += b;
        lastTimestamp = timestamp;
        return b;
    }

    /** Events held. */
    int events() {
        return events;
    }

    /** Batch bytes held: UTF-8 message bytes + 26 per event. */
    long bytes() {
        return bytes;
    }

    /**
     * The committables of everything held, in timestamp order, numbered from {@code sequence} on; the buffer is empty
     * afterwards and its arrays are back in the pool.
     */
    List<CloudWatchLogsCommittable> cut(long writerEpoch, int subtask, long sequence, long now) {
        List<EventArenaBuilder> arenas = new ArrayList<>(closed);
        if (open != null) {
            arenas.add(open);
        }
        closed.clear();
        open = null;
        events = 0;
        bytes = 0;
        List<CloudWatchLogsCommittable> out = new ArrayList<>(arenas.size());
        if (inOrder) {
            for (EventArenaBuilder a : arenas) {
                byte[] header =
                        CloudWatchLogsCommittableSerializer.header(group, stream, writerEpoch, subtask, sequence, now);
                out.add(new CloudWatchLogsCommittable(
                        group, stream, writerEpoch, subtask, sequence++, now, a.finish(header)));
            }
            return out;
        }
        inOrder = true;
        List<SinkEvent> all = new ArrayList<>();
        for (EventArenaBuilder a : arenas) {
            all.addAll(a.finish(NO_PREFIX).events());
        }
        for (List<SinkEvent> batch : BatchCutter.cut(all)) {
            byte[] header =
                    CloudWatchLogsCommittableSerializer.header(group, stream, writerEpoch, subtask, sequence, now);
            out.add(new CloudWatchLogsCommittable(
                    group, stream, writerEpoch, subtask, sequence++, now, EventArena.encode(header, batch, pool)));
        }
        return out;
    }
}
