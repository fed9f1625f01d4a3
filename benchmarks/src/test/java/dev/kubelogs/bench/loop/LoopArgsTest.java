package dev.kubelogs.bench.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LoopArgsTest {
    private final LoopArgs args = new LoopArgs(new String[] {"40", "rocksdb", "2.5", "copies", "9000000000"});

    @Test
    void givenArgumentsAreParsedByPosition() {
        assertThat(args.integer(0, "targets", 7)).isEqualTo(40);
        assertThat(args.word(1, "hashmap")).isEqualTo("rocksdb");
        assertThat(args.number(2, "lines per second", 1)).isEqualTo(2.5);
        assertThat(args.is(3, "copies")).isTrue();
        assertThat(args.is(1, "copies")).isFalse();
        assertThat(args.longInteger(4, "pace-ms", 0)).isEqualTo(9_000_000_000L);
    }

    @Test
    void argumentsLeftOffTakeTheirDefaults() {
        assertThat(args.has(5)).isFalse();
        assertThat(args.integer(5, "rounds", 30)).isEqualTo(30);
        assertThat(args.longInteger(6, "pace-ms", 3)).isEqualTo(3);
        assertThat(args.number(7, "rate", 1.5)).isEqualTo(1.5);
        assertThat(args.word(8, "emf")).isEqualTo("emf");
        assertThat(args.is(9, "rules")).isFalse();
    }

    @Test
    void anArgumentOfTheWrongKindIsAnErrorNamingIt() {
        assertThatThrownBy(() -> args.integer(1, "rounds", 30))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("argument 2 (rounds) is not a number of its kind: rocksdb");
        assertThatThrownBy(() -> args.integer(2, "targets", 30))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("argument 3 (targets)");
        assertThatThrownBy(() -> args.integer(4, "targets", 30))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("9000000000");
    }

    @Test
    void laterChangesToTheArrayDoNotChangeTheArguments() {
        String[] raw = {"1"};
        LoopArgs copied = new LoopArgs(raw);
        raw[0] = "2";
        assertThat(copied.integer(0, "targets", 0)).isEqualTo(1);
    }
}
