package dev.kubelogs.job.metrics.delta;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeltaStateTest {

    private static DeltaState of(long... idValueTime) {
        DeltaState s = new DeltaState(idValueTime.length / 3 + 2);
        for (int i = 0; i < idValueTime.length; i += 3) {
            s.add(idValueTime[i], idValueTime[i + 1], idValueTime[i + 2]);
        }
        return s;
    }

    @Test
    void indexOfTriesTheHintFirstAndElseSearches() {
        DeltaState s = of(10, 1, 100, 20, 2, 200, 30, 3, 300);

        assertThat(s.indexOf(20, 1)).isEqualTo(1);
        assertThat(s.indexOf(30, 0)).as("a wrong hint").isEqualTo(2);
        assertThat(s.indexOf(10, -1)).as("no hint").isEqualTo(0);
        assertThat(s.indexOf(10, 7)).as("a hint past the end").isEqualTo(0);
        assertThat(s.indexOf(40, 1)).as("absent").isEqualTo(-1);
    }

    @Test
    void entriesPastTheSizeAreNotFound() {
        DeltaState s = new DeltaState(new long[] {10, 20}, new double[] {1, 2}, new long[] {100, 200}, 1);

        assertThat(s.indexOf(20, 1)).isEqualTo(-1);
        assertThat(s.newestTimestamp()).isEqualTo(100L);
    }

    @Test
    void newestTimestampIsTheLatestOfAllEntries() {
        assertThat(of(10, 1, 300, 20, 2, 100, 30, 3, 200).newestTimestamp()).isEqualTo(300L);
        assertThat(of(10, 1, -5).newestTimestamp()).isEqualTo(-5L);
        assertThat(new DeltaState(0).newestTimestamp()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void equalityLooksAtTheUsedEntriesOnly() {
        DeltaState a = new DeltaState(new long[] {10, 99}, new double[] {1, 9}, new long[] {100, 900}, 1);
        DeltaState b = of(10, 1, 100);

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(of(10, 2, 100));
        assertThat(a).isNotEqualTo(of(10, 1, 101));
        assertThat(a).isNotEqualTo(of(11, 1, 100));
        assertThat(a).isNotEqualTo(of(10, 1, 100, 20, 2, 200));
        assertThat(a).isNotEqualTo("DeltaState[a=1.0@100]");
    }

    @Test
    void toStringListsEntriesWithHexIds() {
        assertThat(of(255, 1, 100, 16, 2, 200).toString()).isEqualTo("DeltaState[ff=1.0@100, 10=2.0@200]");
        assertThat(new DeltaState(3).toString()).isEqualTo("DeltaState[]");
    }
}
