package dev.kubelogs.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleTest {
    private static final Duration FROM = Duration.ofSeconds(20);
    private static final Duration TO = Duration.ofSeconds(100);

    @Test
    void theSameSeedGivesTheSameSchedule() {
        Schedule a = Schedule.draw(42, List.of(FaultKind.values()), 2, FROM, TO, 2, 3);
        Schedule b = Schedule.draw(42, List.of(FaultKind.values()), 2, FROM, TO, 2, 3);
        assertThat(a).isEqualTo(b);
        assertThat(a.describe())
                .isEqualTo(b.describe())
                .startsWith("seed 42, " + 2 * FaultKind.values().length + " faults:");
        assertThat(Schedule.draw(43, List.of(FaultKind.values()), 2, FROM, TO, 2, 3))
                .isNotEqualTo(a);
    }

    @Test
    void everyKindComesAsOftenAsAskedInsideTheWindowInTimeOrder() {
        Schedule s = Schedule.draw(7, List.of(FaultKind.TM_KILL, FaultKind.COLLECTOR_KILL), 3, FROM, TO, 2, 4);
        assertThat(s.faults()).hasSize(6);
        assertThat(s.faults())
                .filteredOn(f -> f.kind() == FaultKind.TM_KILL)
                .hasSize(3)
                .allMatch(f -> f.target() < 2);
        assertThat(s.faults())
                .filteredOn(f -> f.kind() == FaultKind.COLLECTOR_KILL)
                .hasSize(3)
                .allMatch(f -> f.target() < 4);
        assertThat(s.faults()).allMatch(f -> f.at().compareTo(FROM) >= 0 && f.at().compareTo(TO) < 0);
        assertThat(s.faults()).isSortedAccordingTo((x, y) -> x.at().compareTo(y.at()));
        assertThat(s.faults()).extracting(Schedule.Fault::id).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void aRunTooShortForItsFaultsIsRefused() {
        assertThatThrownBy(() -> Schedule.draw(1, List.of(FaultKind.TM_KILL), 1, TO, FROM, 2, 2))
                .hasMessageContaining("make --duration longer");
    }
}
