package dev.kubelogs.bench.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RoundsTest {
    private static Rounds of(double... values) {
        Rounds rounds = new Rounds();
        for (double v : values) {
            rounds.add(v);
        }
        return rounds;
    }

    @Test
    void bestIsTheLeastRound() {
        assertThat(of(5, 3, 9, 4).best()).isEqualTo(3);
    }

    @Test
    void medianOfAnOddCountIsTheMiddleRound() {
        assertThat(of(9, 1, 5, 7, 3).median()).isEqualTo(5);
    }

    @Test
    void medianOfAnEvenCountIsTheUpperMiddleRound() {
        // the figure the loops have always printed: sorted[n / 2], not the mean of the two middle ones
        assertThat(of(4, 1, 3, 2).median()).isEqualTo(3);
    }

    @Test
    void moreRoundsThanTheFirstCapacityAreAllKept() {
        Rounds rounds = new Rounds();
        for (int i = 100; i > 0; i--) {
            rounds.add(i);
        }
        assertThat(rounds.size()).isEqualTo(100);
        assertThat(rounds.best()).isEqualTo(1);
        assertThat(rounds.median()).isEqualTo(51);
    }

    @Test
    void afterSkipsTheFirstRoundsInRoundOrder() {
        Rounds rest = of(1, 50, 20, 30).after(1);
        assertThat(rest.size()).isEqualTo(3);
        assertThat(rest.best()).isEqualTo(20);
        assertThat(rest.median()).isEqualTo(30);
    }

    @Test
    void noRoundsHaveNoFigures() {
        assertThat(new Rounds().best()).isNaN();
        assertThat(new Rounds().median()).isNaN();
        assertThat(of(1, 2).after(2).median()).isNaN();
    }

    @Test
    void skippingMoreRoundsThanThereAreIsAnError() {
        assertThatThrownBy(() -> of(1, 2).after(3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 of 2");
    }
}
