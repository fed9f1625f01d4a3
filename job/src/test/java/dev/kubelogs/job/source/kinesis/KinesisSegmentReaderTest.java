package dev.kubelogs.job.source.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.connector.testutils.source.reader.TestingReaderContext;
import org.junit.jupiter.api.Test;

class KinesisSegmentReaderTest {
    private static KinesisSegmentReader reader(TestingReaderContext context) {
        // never reaches the endpoint: a finished shard is not read
        KinesisStreamSettings settings =
                LocalStreams.settings("segments", "http://127.0.0.1:9", InitialPosition.TRIM_HORIZON);
        return new KinesisSegmentReader(settings, context);
    }

    @Test
    void aRestoredEndedShardIsAnnouncedAgainAndKeptUntilALaterCheckpointCompletes() throws Exception {
        TestingReaderContext context = new TestingReaderContext();
        ShardSplit ended = new ShardSplit("shardId-000000000000", List.of(), ShardSplit.TRIM_HORIZON)
                .after("9")
                .asFinished();
        try (KinesisSegmentReader reader = reader(context)) {
            reader.addSplits(List.of(ended));

            assertThat(context.getSentEvents()).containsExactly(new ShardsFinishedEvent(List.of(ended.shardId())));
            assertThat(reader.getNumberOfCurrentlyAssignedSplits()).isZero();
            assertThat(reader.snapshotState(5)).containsExactly(ended);
            // checkpoint 4 began before the notice went out: it proves nothing
            reader.notifyCheckpointComplete(4);
            assertThat(reader.snapshotState(6)).containsExactly(ended);
            reader.notifyCheckpointComplete(5);
            assertThat(reader.snapshotState(7)).isEmpty();
        }
    }
}
