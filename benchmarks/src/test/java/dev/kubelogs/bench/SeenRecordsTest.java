package dev.kubelogs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SeenRecordsTest {

    @Test
    void countsEachRecordExactlyAndTakesNothingOutsideItsBounds() {
        SeenRecords seen = new SeenRecords(new long[][] {{1_000_000, 5}});
        for (int i = 0; i < 200; i++) {
            assertThat(seen.see(0, 0, 999_999)).isTrue();
        }
        assertThat(seen.see(0, 1, 4)).isTrue();

        assertThat(seen.count(0, 0, 999_999)).isEqualTo(200);
        assertThat(seen.count(0, 1, 4)).isEqualTo(1);
        assertThat(seen.count(0, 0, 0)).isZero();
        assertThat(seen.see(0, 1, 5)).isFalse();
        assertThat(seen.see(0, 2, 0)).isFalse();
        assertThat(seen.see(1, 0, 0)).isFalse();
        assertThat(seen.extent(0, 0)).isGreaterThan(999_999).isLessThan(1_000_000 + (1 << 16) + 1);
    }
}
