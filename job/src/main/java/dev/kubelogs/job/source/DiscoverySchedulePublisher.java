package dev.kubelogs.job.source;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * What the collectors are told of the job's discovery schedule, and when it is worth telling them again: the
 * wall-clock time of the next discovery that runs ahead of a checkpoint trigger and the period of such discoveries,
 * in {@value #OBJECT_NAME} at the spool root. A collector rolls its open segment just before those times, so a line
 * waits for one discovery instead of for a roll by age and then a discovery (the collector's
 * {@code SEGMENT_ROLL_LEAD}).
 *
 * <pre>
 * {"version":1,"publishedMillis":..,"nextMillis":.. or null,"periodMillis":..,"validMillis":..}
 * </pre>
 *
 * A new object is due when the period or the phase changed, when alignment was lost or found ({@code nextMillis} null:
 * collectors roll by age), and a quarter of {@link #VALID_MILLIS} after the last one, so a collector can tell a job
 * that stopped telling from one whose schedule holds. Not thread-safe: the enumerator's coordinator thread uses it.
 */
final class DiscoverySchedulePublisher {
    static final String OBJECT_NAME = "discovery-schedule.json";
    static final int VERSION = 1;
    /** How long collectors may trust an object: long enough to ride out a few failed writes. */
    static final long VALID_MILLIS = 300_000;
    /** A phase that moved less than this is the clocks' jitter, not a new schedule. */
    static final long PHASE_TOLERANCE_MILLIS = 50;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long NEVER = Long.MIN_VALUE;

    private final LongSupplier wallClockMillis;
    private long publishedMillis = NEVER;
    private boolean publishedAligned;
    private long publishedNextMillis;
    private long publishedPeriodMillis;

    DiscoverySchedulePublisher(LongSupplier wallClockMillis) {
        this.wallClockMillis = wallClockMillis;
    }

    /**
     * The object to write now, or null when the last one still holds.
     *
     * @param nextAligned the next aligned discovery on the discovery clock, empty when none is known
     * @param periodMillis the time between aligned discoveries
     * @param now the discovery clock now
     */
    byte[] update(OptionalLong nextAligned, long periodMillis, long now) {
        long wallNow = wallClockMillis.getAsLong();
        boolean aligned = nextAligned.isPresent();
        long nextMillis = aligned ? wallNow + (nextAligned.getAsLong() - now) : 0;
        boolean due = publishedMillis == NEVER
                || wallNow - publishedMillis >= VALID_MILLIS / 4
                || aligned != publishedAligned
                || (aligned && (periodMillis != publishedPeriodMillis || phaseMoved(nextMillis, periodMillis)));
        if (!due) {
            return null;
        }
        publishedMillis = wallNow;
        publishedAligned = aligned;
        publishedNextMillis = nextMillis;
        publishedPeriodMillis = periodMillis;
        return json(wallNow, aligned, nextMillis, periodMillis);
    }

    /** The last object was not written: the next {@link #update} writes again. */
    void writeFailed() {
        publishedMillis = NEVER;
    }

    private boolean phaseMoved(long nextMillis, long periodMillis) {
        long offset = Math.floorMod(nextMillis - publishedNextMillis, periodMillis);
        return Math.min(offset, periodMillis - offset) > PHASE_TOLERANCE_MILLIS;
    }

    private static byte[] json(long wallNow, boolean aligned, long nextMillis, long periodMillis) {
        ObjectNode o = JSON.createObjectNode();
        o.put("version", VERSION);
        o.put("publishedMillis", wallNow);
        if (aligned) {
            o.put("nextMillis", nextMillis);
        } else {
            o.putNull("nextMillis");
        }
        o.put("periodMillis", aligned ? periodMillis : 0);
        o.put("validMillis", VALID_MILLIS);
        try {
            return JSON.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the discovery schedule as JSON", e);
        }
    }
}
