package dev.kubelogs.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TmLostModeTest {

    @Test
    void continueStartsASpareTaskManagerPerLossAndKeepsTheJobOnTwoSlots() {
        assertThat(TmLostMode.CONTINUE.taskManagers(0)).isEqualTo(2);
        assertThat(TmLostMode.CONTINUE.taskManagers(2)).isEqualTo(4);
        assertThat(TmLostMode.CONTINUE.parallelism(4)).isEqualTo(2);
    }

    @Test
    void waitRunsTheJobOnEverySlotOfTwoTaskManagers() {
        assertThat(TmLostMode.WAIT.taskManagers(2)).isEqualTo(2);
        assertThat(TmLostMode.WAIT.parallelism(2)).isEqualTo(4);
    }
}
