package dev.kubelogs.job.source.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubelogs.job.LogPipelineJob;
import dev.kubelogs.job.source.SpoolSource;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.mocks.MockSplitEnumeratorContext;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

class KinesisSegmentSourceTest {
    private static final KinesisStreamSettings SETTINGS = new KinesisStreamSettings(
            "kubelogs-segments",
            "eu-west-1",
            "http://127.0.0.1:1",
            true,
            InitialPosition.LATEST,
            Duration.ofSeconds(10),
            Duration.ofMillis(200));

    @Test
    void itsUidIsNotTheSpoolSourcesSoNeitherRestoresTheOthersState() {
        assertThat(KinesisSegmentSource.UID).isEqualTo("kinesis-source").isNotEqualTo(LogPipelineJob.SOURCE_UID);
    }

    @Test
    void anUnboundedSourceOfTheSpoolSourcesRecords() {
        KinesisSegmentSource source = new KinesisSegmentSource(SETTINGS);
        assertThat(source.getBoundedness()).isEqualTo(Boundedness.CONTINUOUS_UNBOUNDED);
        assertThat(source.getProducedType()).isEqualTo(SpoolSource.recordType());
        assertThat(source.settings()).isSameAs(SETTINGS);
    }

    @Test
    void itsSerializersRoundTripSplitsAndEnumeratorState() throws Exception {
        KinesisSegmentSource source = new KinesisSegmentSource(SETTINGS);
        ShardSplit split = new ShardSplit("shardId-000000000001", List.of("shardId-000000000000"), 1_760_000_000_000L)
                .after("49590338271490256608559692538361571095921575989136588898");
        var splits = source.getSplitSerializer();
        assertThat(splits.deserialize(splits.getVersion(), splits.serialize(split)))
                .isEqualTo(split);

        KinesisEnumeratorState state = new KinesisEnumeratorState(
                Set.of("shardId-000000000000", "shardId-000000000001"),
                Set.of("shardId-000000000000"),
                List.of(new ShardSplit("shardId-000000000002", List.of(), ShardSplit.TRIM_HORIZON)),
                true);
        var states = source.getEnumeratorCheckpointSerializer();
        assertThat(states.deserialize(states.getVersion(), states.serialize(state)))
                .isEqualTo(state);
    }

    @Test
    void aNewEnumeratorStartsEmptyAndARestoredOneKeepsItsState() throws Exception {
        KinesisSegmentSource source = new KinesisSegmentSource(SETTINGS);
        KinesisEnumeratorState restored = new KinesisEnumeratorState(
                Set.of("shardId-000000000000"),
                Set.of(),
                List.of(new ShardSplit("shardId-000000000001", List.of("shardId-000000000000"), 5L)),
                true);
        try (MockSplitEnumeratorContext<ShardSplit> context = new MockSplitEnumeratorContext<>(1)) {
            try (SplitEnumerator<ShardSplit, KinesisEnumeratorState> fresh = source.createEnumerator(context)) {
                assertThat(fresh.snapshotState(1)).isEqualTo(KinesisEnumeratorState.empty());
            }
            try (SplitEnumerator<ShardSplit, KinesisEnumeratorState> again =
                    source.restoreEnumerator(context, restored)) {
                assertThat(again.snapshotState(2)).isEqualTo(restored);
            }
        }
    }

    @Test
    void itTravelsToTheClusterWhole() throws Exception {
        KinesisSegmentSource copy = InstantiationUtil.clone(
                new KinesisSegmentSource(SETTINGS), getClass().getClassLoader());
        assertThat(copy.settings()).isEqualTo(SETTINGS);
    }
}
