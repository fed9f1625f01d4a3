package dev.kubelogs.job.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** When discovery runs: a lead before each expected checkpoint trigger while triggers are regular, else every interval. */
class DiscoveryScheduleTest {
    private static final Duration FIVE_SECONDS = Duration.ofSeconds(5);

    private static DiscoverySchedule shipped() {
        return DiscoverySchedule.beforeCheckpoints(FIVE_SECONDS, FIVE_SECONDS, Duration.ofMillis(500));
    }

    /** {@link #shipped()} after triggers at 1,750 and 6,750: regular, the next expected at 11,750. */
    private static DiscoverySchedule shippedAfterTwoRegularTriggers() {
        DiscoverySchedule schedule = shipped();
        schedule.checkpointTriggered(1_750);
        schedule.checkpointTriggered(6_750);
        return schedule;
    }

    @Test
    void onItsOwnTimerDiscoveryRunsEveryInterval() {
        DiscoverySchedule schedule = DiscoverySchedule.every(FIVE_SECONDS);
        schedule.checkpointTriggered(1_750);
        schedule.checkpointTriggered(6_750);
        assertThat(schedule.followsCheckpoints()).isFalse();
        assertThat(schedule.nextAfter(10_000, 10_000)).isEqualTo(15_000);
    }

    @Test
    void twoTriggersAnIntervalApartMoveTheNextDiscoveryToALeadBeforeTheExpectedTrigger() {
        DiscoverySchedule schedule = shipped();
        schedule.checkpointTriggered(1_750);
        assertThat(schedule.nextAfter(5_000, 5_000))
                .as("one trigger tells no phase")
                .isEqualTo(10_000);
        schedule.checkpointTriggered(6_750);
        // the next trigger is expected at 11,750: discovery comes early once, at 11,250 instead of 15,000
        assertThat(schedule.nextAfter(10_000, 10_000)).isEqualTo(11_250);
        schedule.checkpointTriggered(11_750);
        assertThat(schedule.nextAfter(11_250, 11_250)).isEqualTo(16_250);
    }

    @Test
    void aTriggerOffTheIntervalLeavesDiscoveryOnItsOwnTimerUntilTwoComeAnIntervalApartAgain() {
        DiscoverySchedule schedule = shipped();
        schedule.checkpointTriggered(1_750);
        schedule.checkpointTriggered(6_750);
        schedule.checkpointTriggered(9_000); // min-pause after a slow checkpoint moved Flink's timer
        assertThat(schedule.alignedAt(10_000)).isFalse();
        assertThat(schedule.nextAfter(10_000, 10_000)).isEqualTo(15_000);
        schedule.checkpointTriggered(14_000);
        assertThat(schedule.nextAfter(15_000, 15_000)).isEqualTo(18_500);
    }

    @Test
    void triggersThatStoppedComingLeaveDiscoveryOnItsOwnTimer() {
        DiscoverySchedule schedule = shipped();
        schedule.checkpointTriggered(1_750);
        schedule.checkpointTriggered(6_750);
        assertThat(schedule.alignedAt(12_250)).isTrue();
        assertThat(schedule.alignedAt(12_300))
                .as("a checkpoint still running holds the next trigger")
                .isFalse();
        assertThat(schedule.nextAfter(12_300, 12_300)).isEqualTo(17_300);
    }

    @Test
    void checkpointsAMultipleOfTheDiscoveryIntervalApartGetADiscoveryALeadBeforeEach() {
        DiscoverySchedule schedule = DiscoverySchedule.beforeCheckpoints(
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMillis(500));
        schedule.checkpointTriggered(0);
        schedule.checkpointTriggered(2_000);
        long due = 2_100;
        for (int i = 0; i < 4; i++) {
            due = schedule.nextAfter(due, due);
            assertThat(due).isEqualTo(2_500 + i * 1_000L);
        }
        // 3,500 is a lead before the trigger at 4,000
    }

    @Test
    void discoveryAMultipleOfTheCheckpointIntervalApartRunsALeadBeforeEveryFewTriggers() {
        DiscoverySchedule schedule =
                DiscoverySchedule.beforeCheckpoints(Duration.ofSeconds(10), FIVE_SECONDS, Duration.ofMillis(500));
        schedule.checkpointTriggered(0);
        schedule.checkpointTriggered(5_000);
        // steps of 10 s from the last trigger less its lead: a lead before every other trigger (at 15,000)
        assertThat(schedule.nextAfter(6_000, 6_000)).isEqualTo(14_500);
    }

    @Test
    void intervalsNeitherAMultipleOfTheOtherOrNoLeadLeaveDiscoveryOnItsOwnTimer() {
        assertThat(DiscoverySchedule.beforeCheckpoints(FIVE_SECONDS, Duration.ofSeconds(3), Duration.ofMillis(500))
                        .followsCheckpoints())
                .isFalse();
        assertThat(DiscoverySchedule.beforeCheckpoints(FIVE_SECONDS, FIVE_SECONDS, Duration.ZERO)
                        .followsCheckpoints())
                .isFalse();
    }

    @Test
    void theLeadIsAtMostHalfTheCheckpointInterval() {
        DiscoverySchedule schedule =
                DiscoverySchedule.beforeCheckpoints(Duration.ofSeconds(1), Duration.ofSeconds(2), FIVE_SECONDS);
        assertThat(schedule.leadMillis()).isEqualTo(1_000);
    }

    @Test
    void discoveryNeverComesLaterThanAnIntervalAfterTheOneBeforeAndEarlyOnlyWhenThePhaseMoves() {
        DiscoverySchedule schedule = shipped();
        Random random = new Random(16);
        long due = 0;
        long trigger = 1_234;
        int early = 0;
        int phaseMoves = 0;
        for (int i = 0; i < 2_000; i++) {
            if (random.nextInt(20) == 0) {
                trigger += random.nextInt(3_000); // a delayed trigger: a new phase
                phaseMoves++;
            }
            while (trigger <= due) {
                schedule.checkpointTriggered(trigger);
                trigger += 5_000;
            }
            long next = schedule.nextAfter(due, due);
            assertThat(next - due).isPositive().isLessThanOrEqualTo(5_000);
            if (next - due < 5_000) {
                early++;
            }
            due = next;
        }
        assertThat(early).isLessThanOrEqualTo(phaseMoves + 1);
    }

    @Test
    void aNewCheckpointIntervalIsFollowedOnceTwoTriggersCameThatFarApart() {
        DiscoverySchedule schedule = shippedAfterTwoRegularTriggers();
        assertThat(schedule.alignedAt(10_000)).isTrue();

        DiscoverySchedule quiet = schedule.withCheckpointInterval(Duration.ofSeconds(10), false);
        assertThat(quiet.followsCheckpoints()).isTrue();
        assertThat(quiet.intervalMillis()).isEqualTo(5_000);
        assertThat(quiet.leadMillis()).isEqualTo(500);
        assertThat(quiet.alignedAt(10_000)).as("no two triggers 10 s apart yet").isFalse();
        quiet.checkpointTriggered(16_750);
        assertThat(quiet.alignedAt(20_000)).isTrue();
        // the next trigger is expected at 26,750
        assertThat(quiet.nextAfter(20_000, 20_000)).isEqualTo(21_250);
        assertThat(quiet.nextAfter(21_250, 21_250)).isEqualTo(26_250);

        assertThat(quiet.withCheckpointInterval(Duration.ofSeconds(7), false).followsCheckpoints())
                .as("7 s and 5 s: neither is a multiple of the other")
                .isFalse();
    }

    @Test
    void onlyBeforeTriggersDiscoveryRunsALeadBeforeEachRegularTriggerAndNoneBetween() {
        DiscoverySchedule quiet = shippedAfterTwoRegularTriggers().withCheckpointInterval(Duration.ofSeconds(10), true);
        assertThat(quiet.nextAfter(10_000, 10_000))
                .as("no two triggers 10 s apart yet: every discovery interval")
                .isEqualTo(15_000);
        quiet.checkpointTriggered(16_750);
        // the next trigger is expected at 26,750, then 36,750: one discovery a lead before each, none between
        assertThat(quiet.nextAfter(20_000, 20_000)).isEqualTo(26_250);
        quiet.checkpointTriggered(26_750);
        assertThat(quiet.nextAfter(26_250, 26_800)).isEqualTo(36_250);
        assertThat(quiet.nextAlignedAfter(26_250, 26_800)).hasValue(36_250);
        assertThat(quiet.nextAfter(36_250, 38_000))
                .as("the trigger at 36,750 did not come: every discovery interval again")
                .isEqualTo(41_250);

        DiscoverySchedule busy = quiet.withCheckpointInterval(FIVE_SECONDS, false);
        busy.checkpointTriggered(31_750);
        assertThat(busy.nextAfter(31_250, 32_000))
                .as("busy again: a discovery every interval, each a lead before a trigger")
                .isEqualTo(36_250);
        assertThat(busy.nextAfter(36_250, 36_250)).isEqualTo(41_250);
    }

    @Test
    void theNextAlignedDiscoveryIsALeadBeforeTheNextExpectedTriggerOnlyWhileTriggersAreRegular() {
        DiscoverySchedule schedule = shipped();
        schedule.checkpointTriggered(1_750);
        assertThat(schedule.nextAlignedAfter(5_000, 5_000))
                .as("one trigger tells no phase")
                .isEmpty();
        schedule.checkpointTriggered(6_750);
        assertThat(schedule.nextAlignedAfter(6_800, 6_800)).hasValue(11_250);
        assertThat(schedule.alignedPeriodMillis()).isEqualTo(5_000);
        assertThat(schedule.nextAlignedAfter(11_250, 11_250))
                .as("strictly after now")
                .hasValue(16_250);
        assertThat(schedule.nextAlignedAfter(13_000, 13_000))
                .as("a trigger overdue by more than the tolerance: not aligned")
                .isEmpty();
    }

    @Test
    void whenCheckpointsAreTwoDiscoveryIntervalsApartEverySecondDiscoveryIsAligned() {
        DiscoverySchedule schedule =
                DiscoverySchedule.beforeCheckpoints(FIVE_SECONDS, Duration.ofSeconds(10), Duration.ofMillis(500));
        schedule.checkpointTriggered(1_000);
        schedule.checkpointTriggered(11_000);
        assertThat(schedule.alignedPeriodMillis()).isEqualTo(10_000);
        // discoveries at 15,500 and 20,500; only 20,500 precedes a trigger (21,000)
        assertThat(schedule.nextAfter(15_500, 15_500)).isEqualTo(20_500);
        assertThat(schedule.nextAlignedAfter(15_500, 15_500)).hasValue(20_500);
        assertThat(schedule.nextAlignedAfter(11_100, 11_100)).hasValue(20_500);
    }

    @Test
    void whenDiscoveryIsTheLongerIntervalEachDiscoveryIsAligned() {
        DiscoverySchedule schedule =
                DiscoverySchedule.beforeCheckpoints(Duration.ofSeconds(10), FIVE_SECONDS, Duration.ofMillis(500));
        schedule.checkpointTriggered(1_000);
        schedule.checkpointTriggered(6_000);
        assertThat(schedule.alignedPeriodMillis()).isEqualTo(10_000);
        assertThat(schedule.nextAlignedAfter(5_500, 6_100)).hasValue(schedule.nextAfter(5_500, 6_100));
    }
}
