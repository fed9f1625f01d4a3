package dev.kubelogs.job.source;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * When spool discovery runs next: every discovery interval, phased, while checkpoints are triggered at their configured
 * interval, so that a discovery runs a lead before each expected trigger. A line is delivered when the checkpoint after
 * its segment was read completes; a segment found a lead before the trigger is read before that checkpoint's barrier,
 * so it does not wait for a phase the two timers happened to take at start-up.
 *
 * <p>Only the phase moves: discovery never comes later than an interval after the one before, and comes early only once
 * each time the phase is set. The checkpoints' phase is learnt from their triggers (the enumerator's {@code
 * snapshotState}); while two triggers in a row are not an interval apart (min-pause after a slow checkpoint, a failed
 * one, a savepoint, just after a restore), discovery keeps its own timer. It follows the checkpoints only when one
 * interval is a whole multiple of the other: otherwise keeping the discovery interval and a discovery before every
 * trigger are not both possible.
 *
 * <p>The exception is a schedule that runs discovery only before the triggers ({@link #withCheckpointInterval(Duration,
 * boolean)}, while the spool is quiet): while triggers are regular it skips the discoveries between them, since what
 * they would find waits for the next trigger anyway and each is a LIST.
 *
 * <p>Times are milliseconds on one monotonic clock. Not thread-safe: the enumerator uses it on its coordinator thread.
 */
final class DiscoverySchedule {
    private static final long UNKNOWN = Long.MIN_VALUE;

    private final long intervalMillis;
    /** The checkpoint interval discovery follows; 0 when it does not follow checkpoints. */
    private final long checkpointMillis;

    private final long leadMillis;
    /** The lead asked for, before it was cut to the checkpoint interval (kept for another interval). */
    private final long requestedLeadMillis;
    /** Whether, while triggers are regular, discovery runs only a lead before each of them. */
    private final boolean onlyBeforeTriggers;

    private long lastTrigger = UNKNOWN;
    private boolean lastTwoTriggersRegular;

    private DiscoverySchedule(
            long intervalMillis,
            long checkpointMillis,
            long leadMillis,
            long requestedLeadMillis,
            boolean onlyBeforeTriggers) {
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException(
                    "discovery interval must be longer than 0, was " + intervalMillis + " ms");
        }
        this.intervalMillis = intervalMillis;
        this.checkpointMillis = checkpointMillis;
        this.leadMillis = leadMillis;
        this.requestedLeadMillis = requestedLeadMillis;
        this.onlyBeforeTriggers = onlyBeforeTriggers;
    }

    /** Discovery on its own timer, every {@code interval}. */
    static DiscoverySchedule every(Duration interval) {
        return new DiscoverySchedule(interval.toMillis(), 0, 0, 0, false);
    }

    /**
     * Discovery every {@code interval}, {@code lead} before each checkpoint trigger when checkpoints come every {@code
     * checkpointInterval}. A lead is cut to half the checkpoint interval; a lead of 0, or intervals of which neither is
     * a multiple of the other, leave discovery on its own timer.
     */
    static DiscoverySchedule beforeCheckpoints(Duration interval, Duration checkpointInterval, Duration lead) {
        return beforeCheckpoints(interval, checkpointInterval, lead, false);
    }

    private static DiscoverySchedule beforeCheckpoints(
            Duration interval, Duration checkpointInterval, Duration lead, boolean onlyBeforeTriggers) {
        long discovery = interval.toMillis();
        long checkpoint = checkpointInterval.toMillis();
        long cutLead = Math.min(lead.toMillis(), checkpoint / 2);
        boolean commensurate = discovery > 0
                && checkpoint > 0
                && Math.max(discovery, checkpoint) % Math.min(discovery, checkpoint) == 0;
        if (!commensurate || cutLead <= 0) {
            return new DiscoverySchedule(discovery, 0, 0, lead.toMillis(), false);
        }
        return new DiscoverySchedule(discovery, checkpoint, cutLead, lead.toMillis(), onlyBeforeTriggers);
    }

    /**
     * This schedule for checkpoints that now come every {@code checkpointInterval} (Flink's interval during backlog,
     * see {@link SpoolPace}): the same discovery interval and lead, the last trigger kept; discovery follows the new
     * interval once two triggers came that far apart. With {@code onlyBeforeTriggers} it then runs only a lead before
     * each trigger (every checkpoint interval instead of every discovery interval), and on its own timer again as
     * soon as triggers are not regular.
     */
    DiscoverySchedule withCheckpointInterval(Duration checkpointInterval, boolean onlyBeforeTriggers) {
        DiscoverySchedule next = beforeCheckpoints(
                Duration.ofMillis(intervalMillis),
                checkpointInterval,
                Duration.ofMillis(requestedLeadMillis),
                onlyBeforeTriggers);
        next.lastTrigger = lastTrigger;
        return next;
    }

    /** Whether discovery may follow checkpoint triggers at all (else it is a plain timer). */
    boolean followsCheckpoints() {
        return checkpointMillis > 0;
    }

    long intervalMillis() {
        return intervalMillis;
    }

    long leadMillis() {
        return leadMillis;
    }

    /** A checkpoint or savepoint was triggered at {@code now}. */
    void checkpointTriggered(long now) {
        lastTwoTriggersRegular =
                lastTrigger != UNKNOWN && Math.abs(now - lastTrigger - checkpointMillis) <= tolerance();
        lastTrigger = now;
    }

    /** Whether, at {@code now}, the next trigger is expected a checkpoint interval after the last one. */
    boolean alignedAt(long now) {
        return followsCheckpoints() && lastTwoTriggersRegular && now - lastTrigger <= checkpointMillis + tolerance();
    }

    /**
     * The discovery after the one due at {@code due}, as seen at {@code now}: within one interval after {@code due}, a
     * lead before an expected trigger when triggers are regular (the next such, when discovery runs only before
     * triggers), else exactly one interval after it.
     */
    long nextAfter(long due, long now) {
        if (!alignedAt(now)) {
            return due + intervalMillis;
        }
        // steps of the discovery interval from the last trigger less its lead meet every later trigger less its lead
        // when the checkpoint interval is a multiple of it, and every k-th when it is k checkpoint intervals
        return stepAfter(lastTrigger - leadMillis, due, onlyBeforeTriggers ? alignedPeriodMillis() : intervalMillis);
    }

    /**
     * The next discovery that runs a lead before a checkpoint trigger, as seen at {@code now} with the discovery due at
     * {@code due} just run: empty while triggers are not regular. Such discoveries come every {@link
     * #alignedPeriodMillis()}: each k-th discovery when checkpoints are k discovery intervals apart, each discovery when
     * discovery is the longer interval.
     */
    OptionalLong nextAlignedAfter(long due, long now) {
        if (!alignedAt(now)) {
            return OptionalLong.empty();
        }
        if (intervalMillis > checkpointMillis) {
            return OptionalLong.of(nextAfter(due, now));
        }
        return OptionalLong.of(stepAfter(lastTrigger - leadMillis, now, checkpointMillis));
    }

    /** The first of {@code phase + k * step} (any integer k) after {@code time}. */
    private static long stepAfter(long phase, long time, long step) {
        return phase + (Math.floorDiv(time - phase, step) + 1) * step;
    }

    /** The time between two discoveries that run ahead of a checkpoint trigger (while triggers are regular). */
    long alignedPeriodMillis() {
        return Math.max(intervalMillis, checkpointMillis);
    }

    /** Triggers this close to a checkpoint interval apart count as regular: the coordinator's own scheduling jitter. */
    private long tolerance() {
        return Math.max(1, checkpointMillis / 10);
    }
}
