package dev.kubelogs.job.metrics.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** One instance for equal values, never an unequal one. */
class InternerTest {
    @Test
    void equalValuesGetTheFirstInstance() {
        Interner<String> interner = new Interner<>(16);
        String first = new String("job");
        String second = new String("job");

        assertThat(interner.intern(first)).isSameAs(first);
        assertThat(interner.intern(second)).isSameAs(first);
    }

    @Test
    void aCollisionReplacesTheSlotAndNeverReturnsAnUnequalValue() {
        Interner<String> interner = new Interner<>(1);
        String a = new String("a");
        String b = new String("b");

        assertThat(interner.intern(a)).isSameAs(a);
        assertThat(interner.intern(b)).isSameAs(b);
        String again = new String("a");
        assertThat(interner.intern(again)).isSameAs(again);
    }

    @Test
    void slotsArePowerOfTwo() {
        assertThatThrownBy(() -> new Interner<String>(12)).isInstanceOf(IllegalArgumentException.class);
    }
}
