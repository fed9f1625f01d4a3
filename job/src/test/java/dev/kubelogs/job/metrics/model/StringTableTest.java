package dev.kubelogs.job.metrics.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StringTableTest {
    @Test
    void eachDistinctStringGetsTheNextIndexAndIsFoundByEqualityAfter() {
        StringTable table = new StringTable();
        assertThat(table.indexOrAdd("job")).isEqualTo(-1);
        assertThat(table.indexOrAdd("instance")).isEqualTo(-1);
        assertThat(table.indexOrAdd("job")).isZero();
        assertThat(table.indexOrAdd(new String("instance".toCharArray()))).isEqualTo(1);
        assertThat(table.indexOrAdd("")).isEqualTo(-1);
        assertThat(table.indexOrAdd("")).isEqualTo(2);
        assertThat(table.size()).isEqualTo(3);
    }

    @Test
    void aClearedTableKnowsNoneOfTheLastRecordsStrings() {
        StringTable table = new StringTable();
        table.indexOrAdd("job");
        table.indexOrAdd("instance");
        table.clear();
        assertThat(table.size()).isZero();
        assertThat(table.indexOrAdd("instance")).isEqualTo(-1);
        assertThat(table.indexOrAdd("job")).isEqualTo(-1);
        assertThat(table.indexOrAdd("instance")).isZero();
        assertThat(table.indexOrAdd("job")).isEqualTo(1);
    }

    @Test
    void growsPastItsSlotsAndCollidingStringsKeepTheirOwnIndices() {
        StringTable table = new StringTable();
        // "Aa" and "BB" have the same hash, and so does every string made of those pairs
        String[] pairs = {"Aa", "BB"};
        Map<String, Integer> expected = new HashMap<>();
        for (int round = 0; round < 2; round++) {
            table.clear();
            expected.clear();
            for (int i = 0; i < 3 * StringTable.INITIAL_SLOTS; i++) {
                String s = i < 64 ? collider(pairs, i) : "s" + i;
                assertThat(table.indexOrAdd(s)).isEqualTo(-1);
                expected.put(s, expected.size());
            }
            expected.forEach((s, index) -> assertThat(table.indexOrAdd(s)).as(s).isEqualTo(index));
            assertThat(table.size()).isEqualTo(expected.size());
        }
    }

    @Test
    void aTableGrownForOneLargeRecordStartsSmallAgainAndStillWorks() {
        StringTable table = new StringTable();
        for (int i = 0; i <= StringTable.MAX_KEPT_SLOTS; i++) {
            table.indexOrAdd("s" + i);
        }
        table.clear();
        assertThat(table.indexOrAdd("s1")).isEqualTo(-1);
        assertThat(table.indexOrAdd("s1")).isZero();
    }

    /** Six pairs chosen by the bits of {@code i}: 64 strings of the same hash. */
    private static String collider(String[] pairs, int i) {
        StringBuilder s = new StringBuilder();
        for (int bit = 0; bit < 6; bit++) {
            s.append(pairs[(i >> bit) & 1]);
        }
        return s.toString();
    }
}
