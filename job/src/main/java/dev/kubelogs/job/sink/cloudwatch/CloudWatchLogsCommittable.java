package dev.kubelogs.job.sink.cloudwatch;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One PutLogEvents batch for one log stream, cut by the writer at a checkpoint barrier and carried in
 * checkpoint state until the committer has made sure every event of it is in CloudWatch exactly once.
 *
 * <ul>
 *   <li>{@code events} are sorted by timestamp (stable), within all PutLogEvents limits (see {@link BatchCutter}).
 *   <li>{@code writerEpoch} is the checkpoint id the writer that cut this batch was restored from (-1 for a
 *       fresh start). A committer restored from checkpoint C sees committables it did not get from its own
 *       writer as {@code writerEpoch < C}: those may already be (partly) in CloudWatch and are read back
 *       before anything is written. Committables in the state of checkpoint C were cut by a writer restored
 *       from an earlier checkpoint, so their epoch is always smaller than C.
 *   <li>{@code subtaskIndex} and {@code sequence} name the batch (unique per writer epoch); they are not sent.
 *   <li>{@code createdAtMillis} is wall-clock time at the cut; commit latency is measured from it.
 * </ul>
 */
public final class CloudWatchLogsCommittable {
    private final String logGroup;
    private final String logStream;
    private final long writerEpoch;
    private final int subtaskIndex;
    private final long sequence;
    private final long createdAtMillis;
    /**
     * The events, after this committable's header, in one array: its checkpoint bytes (serializer version 4), which
     * the put writes its body from. Held in place of an object and an array per event and a serialized copy.
     */
    private final EventArena arena;

    public CloudWatchLogsCommittable(
            String logGroup,
            String logStream,
            long writerEpoch,
            int subtaskIndex,
            long sequence,
            long createdAtMillis,
            List<SinkEvent> events) {
        this(
                logGroup,
                logStream,
                writerEpoch,
                subtaskIndex,
                sequence,
                createdAtMillis,
                EventArena.encode(
                        CloudWatchLogsCommittableSerializer.header(
                                Objects.requireNonNull(logGroup, "logGroup"),
                                Objects.requireNonNull(logStream, "logStream"),
                                writerEpoch,
                                subtaskIndex,
                                sequence,
                                createdAtMillis),
                        nonEmpty(events)));
    }

    private static List<SinkEvent> nonEmpty(List<SinkEvent> events) {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("a committable needs at least one event");
        }
        return events;
    }

    /** With the events already in {@code arena}, whose prefix is this header (a restored committable). */
    CloudWatchLogsCommittable(
            String logGroup,
            String logStream,
            long writerEpoch,
            int subtaskIndex,
            long sequence,
            long createdAtMillis,
            EventArena arena) {
        this.logGroup = Objects.requireNonNull(logGroup, "logGroup");
        this.logStream = Objects.requireNonNull(logStream, "logStream");
        this.writerEpoch = writerEpoch;
        this.subtaskIndex = subtaskIndex;
        this.sequence = sequence;
        this.createdAtMillis = createdAtMillis;
        this.arena = arena;
    }

    public String logGroup() {
        return logGroup;
    }

    public String logStream() {
        return logStream;
    }

    public long writerEpoch() {
        return writerEpoch;
    }

    public int subtaskIndex() {
        return subtaskIndex;
    }

    public long sequence() {
        return sequence;
    }

    public long createdAtMillis() {
        return createdAtMillis;
    }

    /** The events, decoded from the arena on every call (each message copied): for tests and the rare paths. */
    public List<SinkEvent> events() {
        return arena.events();
    }

    public int eventCount() {
        return arena.size();
    }

    /** UTF-8 bytes of the messages. */
    public long messageBytes() {
        return arena.messageBytes();
    }

    /** The bytes PutLogEvents counts for this batch: UTF-8 message bytes + 26 per event. */
    public long batchBytes() {
        return arena.messageBytes() + (long) BatchCutter.EVENT_OVERHEAD_BYTES * arena.size();
    }

    /** The events in one array, after the header. */
    EventArena arena() {
        return arena;
    }

    public long minTimestamp() {
        return arena.minTimestamp();
    }

    public long maxTimestamp() {
        return arena.maxTimestamp();
    }

    /** A readable id for logs: {@code group/stream#epoch.subtask.sequence}. */
    public String id() {
        return logGroup + "/" + logStream + "#" + writerEpoch + "." + subtaskIndex + "." + sequence;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CloudWatchLogsCommittable)) {
            return false;
        }
        CloudWatchLogsCommittable c = (CloudWatchLogsCommittable) o;
        // the arena holds the header and the events, written deterministically: equal bytes, equal committables
        return writerEpoch == c.writerEpoch
                && subtaskIndex == c.subtaskIndex
                && sequence == c.sequence
                && createdAtMillis == c.createdAtMillis
                && logGroup.equals(c.logGroup)
                && logStream.equals(c.logStream)
                && Arrays.equals(arena.bytes(), c.arena.bytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(arena.bytes());
    }

    @Override
    public String toString() {
        return id() + " [" + eventCount() + " events " + minTimestamp() + ".." + maxTimestamp() + "]";
    }
}
