package dev.kubelogs.job.sink.cloudwatch;

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
    private final List<SinkEvent> events;
    /**
     * This committable in the serializer's current version, once written: Flink snapshots every committable not yet
     * committed at every checkpoint, so one waiting for its commit is snapshotted again (under backpressure, 3–8 times
     * in the sink benchmark); it is immutable, so its bytes are too. Shared, never modified.
     */
    private volatile byte[] serialized;

    public CloudWatchLogsCommittable(
            String logGroup,
            String logStream,
            long writerEpoch,
            int subtaskIndex,
            long sequence,
            long createdAtMillis,
            List<SinkEvent> events) {
        this.logGroup = Objects.requireNonNull(logGroup, "logGroup");
        this.logStream = Objects.requireNonNull(logStream, "logStream");
        this.writerEpoch = writerEpoch;
        this.subtaskIndex = subtaskIndex;
        this.sequence = sequence;
        this.createdAtMillis = createdAtMillis;
        if (events.isEmpty()) {
            throw new IllegalArgumentException("a committable needs at least one event");
        }
        // a copy, not a view: the serializer keeps the bytes it wrote, so the events must not change behind it
        this.events = List.copyOf(events);
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

    public List<SinkEvent> events() {
        return events;
    }

    /** The bytes PutLogEvents counts for this batch: UTF-8 message bytes + 26 per event. */
    public long batchBytes() {
        long bytes = 0;
        for (SinkEvent e : events) {
            bytes += e.batchBytes();
        }
        return bytes;
    }

    /** The bytes {@link CloudWatchLogsCommittableSerializer} wrote for this committable before, or null. */
    byte[] serialized() {
        return serialized;
    }

    void rememberSerialized(byte[] bytes) {
        serialized = bytes;
    }

    public long minTimestamp() {
        return events.get(0).timestamp();
    }

    public long maxTimestamp() {
        return events.get(events.size() - 1).timestamp();
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
        return writerEpoch == c.writerEpoch
                && subtaskIndex == c.subtaskIndex
                && sequence == c.sequence
                && createdAtMillis == c.createdAtMillis
                && logGroup.equals(c.logGroup)
                && logStream.equals(c.logStream)
                && events.equals(c.events);
    }

    @Override
    public int hashCode() {
        return Objects.hash(logGroup, logStream, writerEpoch, subtaskIndex, sequence, createdAtMillis, events);
    }

    @Override
    public String toString() {
        return id() + " [" + events.size() + " events " + minTimestamp() + ".." + maxTimestamp() + "]";
    }
}
