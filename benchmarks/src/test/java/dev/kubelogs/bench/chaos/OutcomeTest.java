package dev.kubelogs.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutcomeTest {
    private static Monitor.Sample s(long t, String state, long lastCheckpoint, long failed, long stored, int armed) {
        return new Monitor.Sample(t, state, lastCheckpoint, failed, stored, armed, 1.0);
    }

    @Test
    void aFlinkFaultIsOverWhenTheJobRunsAndACheckpointTriggeredAfterItCompleted() {
        Schedule.Fault kill = new Schedule.Fault(1, FaultKind.TM_KILL, 0, Duration.ofSeconds(30));
        List<Monitor.Sample> samples = List.of(
                s(900, "RUNNING", 800, 0, 10, 0),
                s(1500, "RESTARTING", 800, 1, 10, 0),
                s(2000, "RUNNING", 800, 2, 10, 0), // running again, but its newest checkpoint is older than the fault
                s(2500, null, -1, -1, 10, 0), // REST did not answer
                s(3000, "RUNNING", 2600, 2, 20, 0),
                s(4000, "RUNNING", 3500, 3, 30, 0));
        Outcome o = Outcome.of(kill, 1000, 1200, "", samples);
        assertThat(o.recoveredMillis()).isEqualTo(2000);
        assertThat(o.checkpointsFailed()).isEqualTo(2);
    }

    @Test
    void failedCheckpointsCountAcrossAJobManagerThatStartedItsCountersAgain() {
        Schedule.Fault kill = new Schedule.Fault(1, FaultKind.JM_KILL, 0, Duration.ofSeconds(30));
        List<Monitor.Sample> samples = List.of(
                s(900, "RUNNING", 800, 5, 10, 0),
                s(1500, "RUNNING", 800, 6, 10, 0),
                s(2000, "RUNNING", 800, 1, 10, 0), // a new JobManager: counters from 0
                s(3000, "RUNNING", 2500, 1, 20, 0));
        assertThat(Outcome.of(kill, 1000, 1200, "", samples).checkpointsFailed())
                .isEqualTo(2);
    }

    @Test
    void anEndpointFaultIsOverWhenItsSwitchesAreUsedUpAndEventsAreStoredAgain() {
        Schedule.Fault throttle = new Schedule.Fault(1, FaultKind.THROTTLE, 0, Duration.ofSeconds(30));
        List<Monitor.Sample> samples = List.of(
                s(1000, "RUNNING", 900, 0, 100, 1),
                s(1500, "RUNNING", 900, 0, 100, 0),
                s(2000, "RUNNING", 900, 0, 100, 0),
                s(2500, "RUNNING", 2100, 0, 150, 0));
        assertThat(Outcome.of(throttle, 1000, 1000, "", samples).recoveredMillis())
                .isEqualTo(1500);
    }

    @Test
    void aFaultNeverGotOverIsNotSeen() {
        Schedule.Fault kill = new Schedule.Fault(1, FaultKind.TM_KILL, 0, Duration.ofSeconds(30));
        assertThat(Outcome.of(kill, 1000, 1200, "", List.of(s(2000, "RESTARTING", 800, 0, 10, 0)))
                        .recoveredMillis())
                .isEqualTo(-1);
    }
}
