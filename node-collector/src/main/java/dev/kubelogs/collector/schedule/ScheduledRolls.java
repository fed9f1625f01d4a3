package dev.kubelogs.collector.schedule;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, pass by pass on the tail thread, when the open segment rolls other than by size. Without a valid
 * {@link DiscoverySchedule} it rolls at {@code SEGMENT_MAX_AGE}, as it always did. With one it rolls only at the roll
 * points {@code nextMillis + j * periodMillis - SEGMENT_ROLL_LEAD}, at the first pass at or after each, when the open
 * segment is at least {@code SEGMENT_MAX_AGE - periodMillis / 2} old (rule a: the age rolls move to the nearest roll
 * point) or a segment was rolled by size since the previous point (rule b: a busy node's partial segment makes the
 * coming discovery). Schedule times are wall-clock epoch ms; a segment's age is the tail loop's monotonic nanos.
 */
public final class ScheduledRolls {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduledRolls.class);
    private static final long NO_POINT = Long.MIN_VALUE;

    /** What a pass does with the open segment. */
    public enum Roll {
        NONE,
        /** old enough, without a valid schedule */
        AGE,
        /** at a roll point of the schedule */
        SCHEDULE
    }

    private final long maxAgeNanos;
    private final long leadMillis;
    /** The valid schedule the last decision followed, or null while rolling by age. */
    private DiscoverySchedule followed;
    /** The roll point the last decision handled, or NO_POINT. */
    private long handledPointMillis = NO_POINT;

    private boolean sizeRolledSincePoint;

    public ScheduledRolls(Duration maxSegmentAge, Duration rollLead) {
        this.maxAgeNanos = maxSegmentAge.toNanos();
        this.leadMillis = rollLead.toMillis();
    }

    /** A segment was rolled by size (rule b looks at the next roll point). */
    public void sizeRolled() {
        sizeRolledSincePoint = true;
    }

    /**
     * Once per pass, with the latest schedule read (null: none): whether to roll the open segment.
     *
     * @param openAgeNanos the open segment's age, or -1 when none is open
     */
    public Roll decide(DiscoverySchedule schedule, long nowMillis, long openAgeNanos) {
        DiscoverySchedule s = follow(schedule, nowMillis);
        if (s == null) {
            return openAgeNanos >= maxAgeNanos ? Roll.AGE : Roll.NONE;
        }
        long point = s.rollPointAtOrBefore(nowMillis, leadMillis);
        if (handled(point, s)) {
            return Roll.NONE;
        }
        handledPointMillis = point;
        boolean roll = openAgeNanos >= 0 && (openAgeNanos >= ruleAgeNanos(s) || sizeRolledSincePoint);
        sizeRolledSincePoint = false;
        return roll ? Roll.SCHEDULE : Roll.NONE;
    }

    /**
     * How long until the open segment may roll (0: at once), for the tail loop's idle wait: until the next roll point
     * with a valid schedule, until the segment's max age without one.
     */
    public long nanosUntilRoll(DiscoverySchedule schedule, long nowMillis, long openAgeNanos) {
        if (schedule == null || !schedule.validAt(nowMillis)) {
            return maxAgeNanos - openAgeNanos;
        }
        long point = schedule.rollPointAtOrBefore(nowMillis, leadMillis);
        if (!schedule.equals(followed) || !handled(point, schedule)) {
            return 0; // a new schedule or a roll point not handled yet: the next pass decides
        }
        return (point + schedule.periodMillis() - nowMillis) * 1_000_000L;
    }

    /** True while a valid schedule is followed (as of the last decision). */
    public boolean following() {
        return followed != null;
    }

    /**
     * A point within half a period of the one handled is that one: a republished schedule's phase can move by a few
     * ms (the job converts its monotonic clock to wall-clock time each time), which must not roll twice.
     */
    private boolean handled(long point, DiscoverySchedule s) {
        return handledPointMillis != NO_POINT && point - handledPointMillis <= s.periodMillis() / 2;
    }

    private long ruleAgeNanos(DiscoverySchedule s) {
        return maxAgeNanos - s.periodMillis() * 500_000L;
    }

    /** The schedule to follow now, or null; logs when following starts, changes period, or ends. */
    private DiscoverySchedule follow(DiscoverySchedule schedule, long nowMillis) {
        String invalid = schedule == null ? "the job publishes none" : schedule.invalidAt(nowMillis);
        if (invalid != null) {
            if (followed != null) {
                LOG.info("discovery schedule dropped ({}): segments roll by age ({}) again", invalid, age());
                followed = null;
                handledPointMillis = NO_POINT;
            }
            return null;
        }
        if (followed == null) {
            LOG.info(
                    "following the job's discovery schedule: segments roll {} ms before its discoveries every {} ms, "
                            + "when at least {} ms old or after a roll by size, instead of at {}",
                    leadMillis,
                    schedule.periodMillis(),
                    Math.max(0, ruleAgeNanos(schedule) / 1_000_000L),
                    age());
            sizeRolledSincePoint = false;
        } else if (followed.periodMillis() != schedule.periodMillis()) {
            LOG.info(
                    "the job's discovery period changed from {} ms to {} ms",
                    followed.periodMillis(),
                    schedule.periodMillis());
        }
        followed = schedule;
        return schedule;
    }

    private String age() {
        return Duration.ofNanos(maxAgeNanos).toMillis() + " ms";
    }
}
