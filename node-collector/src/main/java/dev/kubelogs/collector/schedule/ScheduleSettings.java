package dev.kubelogs.collector.schedule;

import java.time.Duration;

/**
 * Reading the job's discovery schedule, and rolling by it.
 *
 * @param pollInterval how often the schedule is read (DISCOVERY_SCHEDULE_POLL); zero: never, segments roll by age
 * @param rollLead how long before each of the job's aligned discoveries the open segment rolls (SEGMENT_ROLL_LEAD):
 *     time for the roll and the upload to be visible when the job lists
 */
public record ScheduleSettings(Duration pollInterval, Duration rollLead) {
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_ROLL_LEAD = Duration.ofMillis(300);

    public ScheduleSettings {
        notNegative("DISCOVERY_SCHEDULE_POLL", pollInterval);
        notNegative("SEGMENT_ROLL_LEAD", rollLead);
    }

    private static void notNegative(String what, Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(what + " must be a duration of 0 or more: " + d);
        }
    }

    public boolean enabled() {
        return !pollInterval.isZero();
    }
}
