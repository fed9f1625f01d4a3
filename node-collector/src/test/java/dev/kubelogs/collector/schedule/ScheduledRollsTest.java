package dev.kubelogs.collector.schedule;

import static dev.kubelogs.collector.schedule.ScheduledRolls.Roll.AGE;
import static dev.kubelogs.collector.schedule.ScheduledRolls.Roll.NONE;
import static dev.kubelogs.collector.schedule.ScheduledRolls.Roll.SCHEDULE;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Roll decisions on a controlled clock: wall-clock ms for the schedule, the segment's age in nanos as the tail loop
 * measures it. The job's discoveries here are at 100 s + j * period; with the 300 ms lead the roll points are at
 * 99.7 s + j * period.
 */
class ScheduledRollsTest {
    static final long NEXT = 100_000;
    static final long LEAD = 300;
    static final long FIRST_POINT = NEXT - LEAD;
    static final long NOTHING_OPEN = -1;

    static DiscoverySchedule every(long periodMillis) {
        return new DiscoverySchedule(1, 0, NEXT, periodMillis, 300_000);
    }

    static ScheduledRolls rolls(long maxAgeMillis) {
        return new ScheduledRolls(Duration.ofMillis(maxAgeMillis), Duration.ofMillis(LEAD));
    }

    static long ms(long millis) {
        return millis * 1_000_000L;
    }

    /** A plan that has handled the point before {@code FIRST_POINT} (nothing open then). */
    static ScheduledRolls following(DiscoverySchedule s, long maxAgeMillis) {
        ScheduledRolls r = rolls(maxAgeMillis);
        assertThat(r.decide(s, FIRST_POINT - 1, NOTHING_OPEN)).isEqualTo(NONE);
        assertThat(r.following()).isTrue();
        return r;
    }

    @Test
    void withoutAScheduleSegmentsRollAtTheirMaxAge() {
        ScheduledRolls r = rolls(8000);
        assertThat(r.decide(null, FIRST_POINT, ms(7999))).isEqualTo(NONE);
        assertThat(r.decide(null, FIRST_POINT, ms(8000))).isEqualTo(AGE);
        assertThat(r.decide(null, FIRST_POINT, NOTHING_OPEN)).isEqualTo(NONE);
        assertThat(r.following()).isFalse();
        assertThat(r.nanosUntilRoll(null, FIRST_POINT, ms(3000))).isEqualTo(ms(5000));
    }

    @Test
    void aScheduleWithoutANextDiscoveryOrOfAnotherVersionMeansRollingByAge() {
        ScheduledRolls r = rolls(8000);
        DiscoverySchedule noNext = new DiscoverySchedule(1, 0, null, 10_000, 300_000);
        DiscoverySchedule v2 = new DiscoverySchedule(2, 0, NEXT, 10_000, 300_000);
        assertThat(r.decide(noNext, FIRST_POINT, ms(9000))).isEqualTo(AGE);
        assertThat(r.decide(v2, FIRST_POINT, ms(9000))).isEqualTo(AGE);
        assertThat(r.decide(v2, FIRST_POINT + 10_000, ms(1000))).isEqualTo(NONE);
        assertThat(r.following()).isFalse();
    }

    @Test
    void aSegmentRollsAtTheFirstPassAtOrAfterARollPointAndOnlyOnce() {
        ScheduledRolls r = following(every(10_000), 8000);
        assertThat(r.decide(every(10_000), FIRST_POINT - 1, ms(20_000)))
                .as("before the point, whatever its age")
                .isEqualTo(NONE);
        assertThat(r.decide(every(10_000), FIRST_POINT + 40, ms(20_000))).isEqualTo(SCHEDULE);
        assertThat(r.decide(every(10_000), FIRST_POINT + 60, ms(20_000)))
                .as("the point is handled")
                .isEqualTo(NONE);
        assertThat(r.decide(every(10_000), FIRST_POINT + 10_000, ms(9_000))).isEqualTo(SCHEDULE);
    }

    @Test
    void theIdleWaitEndsAtTheNextRollPoint() {
        ScheduledRolls r = following(every(10_000), 8000);
        assertThat(r.nanosUntilRoll(every(10_000), FIRST_POINT - 1, ms(20_000)))
                .as("not the age deadline long past")
                .isEqualTo(ms(1));
        r.decide(every(10_000), FIRST_POINT + 2000, ms(1000));
        assertThat(r.nanosUntilRoll(every(10_000), FIRST_POINT + 2500, ms(1500)))
                .isEqualTo(ms(7500));
        assertThat(r.nanosUntilRoll(every(10_000), FIRST_POINT + 10_000, ms(9000)))
                .as("a point not handled yet")
                .isZero();
        assertThat(r.nanosUntilRoll(every(4000), FIRST_POINT + 2500, ms(1500)))
                .as("a schedule not followed yet")
                .isZero();
    }

    /** Rule (a) with SEGMENT_MAX_AGE 8 s and a 10 s period: a segment at least 3 s old at a point rolls. */
    @Test
    void ruleAWithAPeriodLongerThanTheMaxAge() {
        assertRuleAge(8000, 10_000, 3000);
    }

    /** Rule (a) with SEGMENT_MAX_AGE 8 s and a 5 s period: at least 5.5 s. */
    @Test
    void ruleAWithAPeriodShorterThanTheMaxAge() {
        assertRuleAge(8000, 5000, 5500);
    }

    /** Rule (a) with SEGMENT_MAX_AGE 8 s and a 4 s period: at least 6 s, every second point for a quiet node. */
    @Test
    void ruleAWithAPeriodOfHalfTheMaxAge() {
        assertRuleAge(8000, 4000, 6000);
    }

    private static void assertRuleAge(long maxAge, long period, long ruleAge) {
        DiscoverySchedule s = every(period);
        ScheduledRolls r = following(s, maxAge);
        assertThat(r.decide(s, FIRST_POINT, ms(ruleAge) - 1))
                .as("just younger than %d ms at the point", ruleAge)
                .isEqualTo(NONE);
        assertThat(r.decide(s, FIRST_POINT + period / 2, ms(ruleAge + period / 2)))
                .as("no roll by age between points")
                .isEqualTo(NONE);
        assertThat(r.decide(s, FIRST_POINT + period - 1, ms(maxAge + period)))
                .as("no roll by age between points, even past the max age")
                .isEqualTo(NONE);
        assertThat(r.decide(s, FIRST_POINT + period, ms(ruleAge + period) - 1))
                .as("at the next point")
                .isEqualTo(SCHEDULE);

        ScheduledRolls exactly = following(s, maxAge);
        assertThat(exactly.decide(s, FIRST_POINT, ms(ruleAge))).isEqualTo(SCHEDULE);
    }

    @Test
    void aQuietNodeRollsAboutOncePerMaxAgeEachRightBeforeADiscovery() {
        // lines all the time, no size rolls: a segment opens right after each roll
        DiscoverySchedule s = every(4000);
        ScheduledRolls r = following(s, 8000);
        long openedAt = FIRST_POINT;
        int rolled = 0;
        for (long now = FIRST_POINT; now <= FIRST_POINT + 80_000; now += 250) {
            if (r.decide(s, now, ms(now - openedAt)) == SCHEDULE) {
                assertThat((now - FIRST_POINT) % 4000).as("at a roll point").isLessThan(250);
                openedAt = now;
                rolled++;
            }
        }
        assertThat(rolled)
                .as("80 s at an 8 s max age, the first segment opened at the first point")
                .isEqualTo(10);
    }

    @Test
    void ruleBASizeRollSinceThePreviousPointRollsAYoungSegment() {
        DiscoverySchedule s = every(10_000);
        ScheduledRolls r = following(s, 8000);
        r.sizeRolled();
        assertThat(r.decide(s, FIRST_POINT, ms(200))).isEqualTo(SCHEDULE);
        assertThat(r.decide(s, FIRST_POINT + 10_000, ms(200)))
                .as("no size roll since that point")
                .isEqualTo(NONE);
    }

    @Test
    void ruleBCountsOnlySizeRollsSinceThePreviousPoint() {
        DiscoverySchedule s = every(10_000);
        ScheduledRolls r = following(s, 8000);
        r.sizeRolled();
        assertThat(r.decide(s, FIRST_POINT, NOTHING_OPEN))
                .as("nothing open at the point")
                .isEqualTo(NONE);
        assertThat(r.decide(s, FIRST_POINT + 10_000, ms(100))).isEqualTo(NONE);
        r.sizeRolled();
        assertThat(r.decide(s, FIRST_POINT + 19_000, ms(100)))
                .as("between points: no roll")
                .isEqualTo(NONE);
        assertThat(r.decide(s, FIRST_POINT + 20_000, ms(1100))).isEqualTo(SCHEDULE);
    }

    @Test
    void anExpiredScheduleFallsBackToAge() {
        DiscoverySchedule s = new DiscoverySchedule(1, 0, NEXT, 10_000, 120_000); // valid until 120 s
        ScheduledRolls r = following(s, 8000);
        assertThat(r.decide(s, FIRST_POINT + 10_000, ms(1000))).isEqualTo(NONE);
        assertThat(r.decide(s, 115_000, ms(9000)))
                .as("valid: no roll by age between points")
                .isEqualTo(NONE);
        assertThat(r.decide(s, 120_001, ms(9000))).isEqualTo(AGE);
        assertThat(r.following()).isFalse();
        assertThat(r.nanosUntilRoll(s, 120_001, ms(1000))).isEqualTo(ms(7000));
        assertThat(r.decide(s, FIRST_POINT + 30_000, ms(7000)))
                .as("expired: no roll at a point")
                .isEqualTo(NONE);
    }

    @Test
    void aRepublishedScheduleWhosePhaseMovedByAFewMillisDoesNotRollTwice() {
        ScheduledRolls r = following(every(10_000), 0);
        assertThat(r.decide(every(10_000), FIRST_POINT, ms(100))).isEqualTo(SCHEDULE);
        DiscoverySchedule moved = new DiscoverySchedule(1, 60_000, NEXT + 10_000 + 7, 10_000, 300_000);
        assertThat(r.decide(moved, FIRST_POINT + 8, ms(1))).isEqualTo(NONE);
        assertThat(r.decide(moved, FIRST_POINT + 10_006, ms(10_000))).isEqualTo(NONE);
        assertThat(r.decide(moved, FIRST_POINT + 10_007, ms(10_000))).isEqualTo(SCHEDULE);
    }

    @Test
    void anOldSegmentRollsWhenAScheduleIsAdopted() {
        // the point just passed counts as reached: without the schedule this segment would have rolled by age soon
        ScheduledRolls r = rolls(8000);
        assertThat(r.decide(every(10_000), FIRST_POINT + 4000, ms(7000))).isEqualTo(SCHEDULE);
        ScheduledRolls young = rolls(8000);
        assertThat(young.decide(every(10_000), FIRST_POINT + 4000, ms(1000))).isEqualTo(NONE);
        assertThat(young.following()).isTrue();
    }
}
