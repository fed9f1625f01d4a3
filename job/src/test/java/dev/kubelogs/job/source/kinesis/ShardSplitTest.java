package dev.kubelogs.job.source.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardSplitTest {
    private static final String SHARD = "shardId-000000000003";
    private static final String SEQUENCE = "49590338271490256608559692538361571095921575989136588898";

    @Test
    void aNewShardStartsWhereTheJobFirstStartedAndIsNotFinished() {
        ShardSplit s =
                new ShardSplit(SHARD, List.of("shardId-000000000001", "shardId-000000000002"), 1_760_000_000_000L);
        assertThat(s.splitId()).isEqualTo(SHARD);
        assertThat(s.afterSequenceNumber()).isNull();
        assertThat(s.startTimestampMillis()).isEqualTo(1_760_000_000_000L);
        assertThat(s.finished()).isFalse();
        assertThat(s.parentShardIds()).containsExactly("shardId-000000000001", "shardId-000000000002");
        assertThat(new ShardSplit(SHARD, List.of(), ShardSplit.TRIM_HORIZON).startTimestampMillis())
                .isEqualTo(-1L);
    }

    @Test
    void aRestoredPositionKeepsEverythingElse() {
        ShardSplit s = new ShardSplit(SHARD, List.of("shardId-000000000001"), 42L).after(SEQUENCE);
        assertThat(s).isEqualTo(new ShardSplit(SHARD, List.of("shardId-000000000001"), SEQUENCE, 42L, false));
        ShardSplit later = s.after("49590338271490256608559692538361571095921575989136588899");
        assertThat(later.afterSequenceNumber()).endsWith("899");
        assertThat(later.startTimestampMillis()).isEqualTo(42L);
    }

    @Test
    void aFinishedSplitKeepsItsLastPosition() {
        ShardSplit s = new ShardSplit(SHARD, List.of(), ShardSplit.TRIM_HORIZON)
                .after(SEQUENCE)
                .asFinished();
        assertThat(s.finished()).isTrue();
        assertThat(s.afterSequenceNumber()).isEqualTo(SEQUENCE);
        assertThat(s.asFinished()).isEqualTo(s);
        assertThat(s.after("1").finished()).isTrue();
    }

    @Test
    void theParentsAreACopyThatCannotChange() {
        List<String> parents = new ArrayList<>(List.of("shardId-000000000001"));
        ShardSplit s = new ShardSplit(SHARD, parents, 0L);
        parents.add("shardId-000000000002");
        assertThat(s.parentShardIds()).containsExactly("shardId-000000000001");
        assertThatThrownBy(() -> s.parentShardIds().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aShardIdAndItsParentsAreRequired() {
        assertThatThrownBy(() -> new ShardSplit(null, List.of(), 0L))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("shardId");
        assertThatThrownBy(() -> new ShardSplit(SHARD, null, 0L)).isInstanceOf(NullPointerException.class);
    }
}
