package dev.kubelogs.job.source.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardSplitSerializerTest {
    private static ShardSplit roundTrip(ShardSplit split) throws IOException {
        ShardSplitSerializer serializer = ShardSplitSerializer.INSTANCE;
        return serializer.deserialize(serializer.getVersion(), serializer.serialize(split));
    }

    @Test
    void aSplitComesBackAsItWent() throws IOException {
        ShardSplit fresh = new ShardSplit("shardId-000000000000", List.of(), ShardSplit.TRIM_HORIZON);
        ShardSplit child = new ShardSplit(
                "shardId-000000000003", List.of("shardId-000000000001", "shardId-000000000002"), 1_764_000_000L);
        ShardSplit restored = fresh.after("49590338271490256608559692538361571095921575989136588898");

        assertThat(roundTrip(fresh)).isEqualTo(fresh);
        assertThat(roundTrip(child)).isEqualTo(child);
        assertThat(roundTrip(restored)).isEqualTo(restored);
        assertThat(roundTrip(restored.asFinished())).isEqualTo(restored.asFinished());
        assertThat(restored.splitId()).isEqualTo("shardId-000000000000");
    }

    @Test
    void anUnknownVersionIsRefused() {
        assertThatThrownBy(() -> ShardSplitSerializer.INSTANCE.deserialize(2, new byte[0]))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version 2");
    }
}
