package dev.kubelogs.job.source.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KinesisEnumeratorStateSerializerTest {
    @Test
    void theStateComesBackAsItWent() throws IOException {
        KinesisEnumeratorState state = new KinesisEnumeratorState(
                Set.of("shardId-000000000000", "shardId-000000000001"),
                Set.of("shardId-000000000000"),
                List.of(new ShardSplit("shardId-000000000002", List.of("shardId-000000000000"), "7", 5L, false)),
                true);
        KinesisEnumeratorStateSerializer serializer = new KinesisEnumeratorStateSerializer();

        assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(state)))
                .isEqualTo(state);
        assertThat(serializer.deserialize(
                        serializer.getVersion(), serializer.serialize(KinesisEnumeratorState.empty())))
                .isEqualTo(KinesisEnumeratorState.empty());
    }
}
