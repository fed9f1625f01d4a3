package dev.kubelogs.bench.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AlternationTest {
    @Test
    void eachRoundStartsOneArmLater() {
        assertThat(Alternation.rotated(0, 3)).containsExactly(0, 1, 2);
        assertThat(Alternation.rotated(1, 3)).containsExactly(1, 2, 0);
        assertThat(Alternation.rotated(2, 3)).containsExactly(2, 0, 1);
        assertThat(Alternation.rotated(3, 3)).containsExactly(0, 1, 2);
    }

    @Test
    void twoArmsTakeTurnsGoingFirst() {
        assertThat(Alternation.rotated(0, 2)).containsExactly(0, 1);
        assertThat(Alternation.rotated(1, 2)).containsExactly(1, 0);
    }

    @Test
    void overAsManyRoundsAsArmsEveryArmRunsInEveryPlaceOnce() {
        int arms = 5;
        int[][] times = new int[arms][arms];
        for (int r = 0; r < arms; r++) {
            int[] order = Alternation.rotated(r, arms);
            for (int place = 0; place < arms; place++) {
                times[order[place]][place]++;
            }
        }
        for (int[] arm : times) {
            assertThat(arm).containsOnly(1);
        }
    }

    @Test
    void blocksWarmEveryArmUpThenTakeTurnsOfABlock() {
        List<Alternation.Turn> turns = Alternation.inBlocks(2, 2, 5, 2);
        assertThat(turns)
                .containsExactly(
                        new Alternation.Turn(0, 0, 1, false),
                        new Alternation.Turn(1, 0, 1, false),
                        new Alternation.Turn(0, 1, 1, false),
                        new Alternation.Turn(1, 1, 1, false),
                        new Alternation.Turn(0, 2, 2, true),
                        new Alternation.Turn(1, 2, 2, true),
                        new Alternation.Turn(0, 4, 2, true),
                        new Alternation.Turn(1, 4, 2, true),
                        new Alternation.Turn(0, 6, 1, true),
                        new Alternation.Turn(1, 6, 1, true));
    }

    @Test
    void everyArmRunsExactlyTheMeasuredRoundsAskedFor() {
        int arms = 3;
        List<Alternation.Turn> turns = Alternation.inBlocks(arms, 7, 200, 30);
        for (int arm = 0; arm < arms; arm++) {
            int a = arm;
            assertThat(turns.stream()
                            .filter(t -> t.arm() == a && t.measured())
                            .mapToInt(Alternation.Turn::rounds)
                            .sum())
                    .isEqualTo(200);
            assertThat(turns.stream().filter(t -> t.arm() == a && !t.measured()))
                    .hasSize(7);
        }
    }

    @Test
    void aRotationOrBlocksWithoutArmsOrWithAnEmptyBlockAreErrors() {
        assertThatThrownBy(() -> Alternation.rotated(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Alternation.inBlocks(2, 0, 10, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("block 0");
        assertThatThrownBy(() -> Alternation.inBlocks(0, 0, 10, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
